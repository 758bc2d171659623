"""What the agents say, produced by the agents' own code: every reason has a code and a French
rendering (workshop/agent_text.py), and old records without codes still read in French through
the old matching (workshop/bench_text.py).
"""

from __future__ import annotations

import errno
import json
import sys
import threading
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from agents.client import ServerClient
from agents.daemon.tasks import TaskWorker, _Running
from agents.diagnostics import run as run_module
from agents.diagnostics.grading import suggest_grade
from agents.diagnostics.rules import grade_by_rules, load_rules
from agents.diagnostics.smart import judge_report
from agents.inventory import disks as disks_module
from agents.outbox import Outbox
from agents.safety import protection_messages
from agents.settings import BenchSettings
from agents.wipe import chunkio
from agents.wipe.device import resolve_disk
from agents.wipe.errors import WipeError
from agents.wipe.passes import Progress
from agents.wipe.purge import decide
from atelier_protocol.diagnostic import CpuCheck, MemoryCheck
from atelier_protocol.reasons import REASONS, Message, english
from atelier_protocol.task import TaskSpec
from tests.helpers.smartctl_replay import ReplaySmartctl, replay_disk
from workshop import agent_text, bench_text, create_app
from workshop.settings import WorkshopSettings

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "agents" / "wipe"))
from test_purge import SSD, FakeTools, hdparm  # noqa: E402
from test_safety import EFI, ROOT_ON_DM, USB, fake_system  # noqa: E402

FIXTURES = HERE.parents[1] / "fixtures" / "hardware" / "smartctl"


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Any:
    folder = tmp_path_factory.mktemp("instance")
    return create_app(WorkshopSettings(env="testing", instance_path=folder, secret_key="k" * 32))


def _in(app: Any, lang: str, function: Any) -> Any:
    def call(*args: Any) -> Any:
        with app.test_request_context(f"/?lang={lang}"):
            return function(*args)

    return call


@pytest.fixture
def french(app: Any) -> Any:
    return _in(app, "fr", agent_text.render)


@pytest.fixture
def english_page(app: Any) -> Any:
    return _in(app, "en", agent_text.render)


def _safety(tmp_path: Path) -> list[Message]:
    paths = fake_system(tmp_path, [ROOT_ON_DM, EFI, USB], ["/dev/sda1 partition 8388604 0 -2\n"])
    return [reason for name in ("sda", "sdb", "sdc") for reason in protection_messages(name, paths)]


def _task_statuses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """What the bench's task worker reports (refusals, an interrupted task, a diagnostic of the
    machine on replayed smartctl answers), from its own code."""
    monkeypatch.setattr(run_module, "ToolRunner", ReplaySmartctl)
    found = [replay_disk("sdb", "usb"), replay_disk("sdc", "sata"), replay_disk("vda", "virtio")]
    monkeypatch.setattr(disks_module, "list_disks", lambda *args: found)
    config = BenchSettings(config_path=tmp_path / "b.json", state_dir=str(tmp_path),
                           remote_wipe="off", machine_ram_mib=4, machine_cpu_seconds=0.1)  # fmt: skip
    outbox = Outbox(tmp_path / "outbox.sqlite3")
    worker = TaskWorker(
        config, ServerClient("http://127.0.0.1:9", "t"), outbox,
        wake_sender=threading.Event(), stopping=threading.Event(),
        protection=lambda name: _safety(tmp_path / "sys")[:2],
    )  # fmt: skip
    worker.note_startup([])
    worker.resolve = lambda name: SimpleNamespace(
        name=name, path=f"/dev/{name}", model="M", serial="S1", size_bytes=4096
    )
    for uid, serial in (("0c6f3c1e-8d0b-4d59-9d7e-2f0f9c1a2b3c", "S1"), ("5b1d2c3e-aaaa", "S2")):
        spec = TaskSpec.model_validate({
            "uid": uid, "kind": "wipe", "origin": "web", "method": "zero", "verify": "full",
            "disk": {"name": "sdz", "serial": serial, "size_bytes": 4096},
        })  # fmt: skip
        worker.start(spec).join(timeout=10)
    worker.local.set("7d2e4f5a-crashed", "running")  # found running at restart: interrupted
    worker.recover()
    wipe = TaskSpec.model_validate({"uid": "wipe-0001", "kind": "wipe",
                                    "disk": {"name": "sdb", "size_bytes": 500 << 30}})  # fmt: skip
    worker.running[wipe.uid] = _Running(wipe, Progress())  # sdb is being wiped: left out
    machine = TaskSpec.model_validate({"uid": "machine-0001", "kind": "machine"})
    worker.start(machine).join(timeout=60)
    statuses = []
    while (item := outbox.claim(ignore_schedule=True)) is not None:
        body = json.loads(item.body)
        if body["kind"] == "task.status" and body["payload"]["state"] != "running":
            statuses.append(body["payload"])
        outbox.ack(item, None)
    outbox.close()
    return statuses


def _smart() -> list[Message]:
    reasons = []
    for path in sorted(FIXTURES.glob("*.json")):
        try:
            health = judge_report(json.loads(path.read_text()))
        except Exception:  # noqa: BLE001, S112 - a fixture that is not one device's report
            continue
        assert all(r.said is not None and r.said.english() == r.message for r in health.reasons)
        reasons += [r.said for r in health.reasons if r.said is not None]
    return reasons


def _wipe_engine(tmp_path: Path) -> list[Message]:
    """The wipe engine's own errors and Purge fallbacks, as it builds them."""
    said = [
        chunkio.io_error(OSError(errno.EIO, "Input/output error"), lba=8192, operation="write"),
        chunkio.io_error(OSError(errno.EIO, "Input/output error"), lba=7, operation="read"),
        chunkio.io_error(OSError(errno.EIO, "Input/output error"), lba=None, operation="flush"),
    ]
    try:
        resolve_disk(str(tmp_path / "no-such-disk"))
    except WipeError as error:
        said.append(error)
    messages = [error.said for error in said if error.said is not None]
    assert len(messages) == 4
    frozen = FakeTools({"hdparm -N": (0, ""), "hdparm -I": (0, hdparm("I_frozen_garbled-identify-strings.txt"))})  # fmt: skip
    for disk, tools in (
        (replace(SSD, transport="usb"), FakeTools({})),
        (replace(SSD, transport="loop"), FakeTools({})),
        (replace(SSD, transport="nvme"), FakeTools({})),
        (SSD, FakeTools({"hdparm -I": (2, "")})),
        (SSD, frozen),
    ):
        decision = decide(disk, "purge", tools)
        assert decision.fallback and english(decision.fallback) == decision.fallback_reason
        messages += decision.fallback
    return messages


def _grading() -> list[Message]:
    rules = load_rules()
    facts = {"battery_wear_max": 75.0, "disks_suspect": 1.0, "disks_fail": 1.0,
             "disks_unavailable": 1.0, "memory_failed": 1.0, "cpu_failed": 1.0,
             "power_on_hours_max": 60000.0}  # fmt: skip
    _, matched = grade_by_rules(rules, facts)
    assert len(matched) == len(rules.grade_rules)  # every default rule, each with its code
    memory, cpu = MemoryCheck(status="passed"), CpuCheck(status="passed", rounds=1)
    return [*matched, *suggest_grade(rules, [], memory, cpu, []).said]


def _flat(messages: list[Message]) -> list[Message]:
    out = []
    for message in messages:
        out.append(message)
        for value in message.params.values():
            if isinstance(value, list):
                out += _flat(value)
    return out


def test_every_reason_the_agents_give_has_a_code_and_a_french_rendering(
    tmp_path, monkeypatch, french, english_page
):
    statuses = _task_statuses(tmp_path, monkeypatch)
    assert [s["state"] for s in statuses] == ["refused", "refused", "interrupted", "passed"]
    from_tasks = [Message.model_validate(m) for s in statuses for m in s["reasons"]]
    for status in statuses:  # the English text the agent sends is its codes in English
        assert english([Message.model_validate(m) for m in status["reasons"]]) == status["message"]
        assert english_page(status["message"], status["reasons"]) == status["message"]
        assert french(status["message"], status["reasons"]) != status["message"]
    said = [*_safety(tmp_path), *from_tasks, *_smart(), *_wipe_engine(tmp_path), *_grading()]
    codes = {m.code for m in _flat(said)}
    assert len(codes) >= 45, sorted(codes)
    assert "note.text" not in codes, [m for m in _flat(said) if m.code == "note.text"]
    assert codes <= set(REASONS)
    for message in said:
        assert english_page(None, [message.model_dump()]) == message.english()
        assert french(None, [message.model_dump()]) != message.english(), message


def test_every_code_has_a_french_rendering(app):
    untranslated = []
    with app.test_request_context("/?lang=fr"):
        from workshop.i18n import _

        for code, template in REASONS.items():
            if code != "note.text" and _(template) == template:
                untranslated.append(code)
    assert untranslated == []


def test_codes_render_nested_reasons_and_unknown_codes_fall_back_to_the_text(french):
    protected = {
        "code": "task.disk_protected",
        "params": {
            "path": "/dev/sdz",
            "reasons": [
                {"code": "disk.holds_system", "params": {"dev": "dm-0", "mountpoint": "/"}},
                {"code": "disk.read_only", "params": {"dev": "sdc"}},
            ],
        },
    }
    assert french("ignored when codes are given", [protected]) == (
        "/dev/sdz est protégé : porte le système en marche : dm-0 monté sur /; "
        "sdc est en lecture seule"
    )
    newer = [{"code": "disk.from_the_future", "params": {}}]
    assert french("SMART suspect; something new", newer) == "SMART : douteux; something new"
    assert french("sdc is read-only", "not json") == "sdc est en lecture seule"
    free = [{"code": "note.text", "params": {"text": "<b>règle maison</b>"}}]
    assert french(None, free) == "<b>règle maison</b>"  # as written (the page escapes it)


def test_old_records_without_codes_read_through_the_old_matching(french):
    assert french(
        "/dev/sdz is protected: holds the running system: dm-0 mounted at /; sdc is read-only"
    ) == (
        "/dev/sdz est protégé : porte le système en marche : dm-0 monté sur /; "
        "sdc est en lecture seule"
    )
    assert french("SMART suspect; surface scan failed; 8 pending sectors (attribute 197)") == (
        "SMART : douteux; test de surface échoué; "
        "8 secteurs en attente de réallocation (attribut 197)"
    )
    assert french("92% of rated life left") == "92 % de la durée de vie nominale restante"
    # Agent 0.1 appended the system's error text: the codes' template reads it now.
    assert french("write failed at LBA 8192: Input/output error") == (
        "échec d'écriture au secteur (LBA) 8192 : Input/output error"
    )
    assert french("Purge not used: the drive said no; Clear instead") == (
        "Purge non utilisée : the drive said no; effacement par écrasement (Clear) à la place"
    )  # an unknown inner reason stays as sent
    assert french("something new from a newer agent") == "something new from a newer agent"
    assert french(None) == "" and not bench_text.known("something new")
