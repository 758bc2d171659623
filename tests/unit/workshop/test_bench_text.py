"""The agents' messages in French (workshop/bench_text.py), produced by the agents' own code."""

from __future__ import annotations

import json
import sys
import threading
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from agents.client import ServerClient
from agents.daemon.tasks import TaskWorker
from agents.diagnostics.rules import apply_grade_rules, load_rules
from agents.diagnostics.smart import judge_report
from agents.outbox import Outbox
from agents.safety import protection_reasons
from agents.settings import BenchSettings
from atelier_protocol.task import TaskSpec
from workshop import bench_text, create_app
from workshop.settings import WorkshopSettings

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "agents" / "wipe"))
from test_safety import EFI, ROOT_ON_DM, USB, fake_system  # noqa: E402

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "hardware" / "smartctl"


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Any:
    folder = tmp_path_factory.mktemp("instance")
    return create_app(WorkshopSettings(env="testing", instance_path=folder, secret_key="k" * 32))


def _in(app: Any, lang: str) -> Any:
    def translate(text: str | None) -> str:
        with app.test_request_context(f"/?lang={lang}"):
            return bench_text.translate(text)

    return translate


@pytest.fixture
def french(app: Any) -> Any:
    return _in(app, "fr")


@pytest.fixture
def english(app: Any) -> Any:
    return _in(app, "en")


def _safety_reasons(tmp_path: Path) -> list[str]:
    paths = fake_system(tmp_path, [ROOT_ON_DM, EFI, USB], ["/dev/sda1 partition 8388604 0 -2\n"])
    return [reason for name in ("sda", "sdb", "sdc") for reason in protection_reasons(name, paths)]


def _task_messages(tmp_path: Path) -> list[str]:
    """What the bench's task worker reports when it refuses, from its own code."""
    config = BenchSettings(
        config_path=tmp_path / "b.json", state_dir=str(tmp_path), remote_wipe="off"
    )
    outbox = Outbox(tmp_path / "outbox.sqlite3")
    worker = TaskWorker(
        config, ServerClient("http://127.0.0.1:9", "t"), outbox,
        wake_sender=threading.Event(), stopping=threading.Event(),
        protection=lambda name: _safety_reasons(tmp_path / "sys")[:2],
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
    messages = []
    while (item := outbox.claim(ignore_schedule=True)) is not None:
        messages.append(json.loads(item.body)["payload"]["message"])
        outbox.ack(item, None)
    outbox.close()
    return messages


def _smart_reasons() -> list[str]:
    reasons = []
    for path in sorted(FIXTURES.glob("*.json")):
        try:
            health = judge_report(json.loads(path.read_text()))
        except Exception:  # noqa: BLE001, S112 - a fixture that is not one device's report
            continue
        reasons += [reason.message for reason in health.reasons]
    return reasons


def test_every_reason_the_agents_give_is_translated(tmp_path, french, english):
    safety = _safety_reasons(tmp_path)
    tasks = _task_messages(tmp_path)
    smart = _smart_reasons()
    rules = load_rules()
    grading = [rule.reason for rule in rules.grade_rules]
    _, matched = apply_grade_rules(rules, {"battery_wear_max": 75.0, "disks_suspect": 1.0})
    assert len(safety) >= 5 and len(tasks) == 3 and len(smart) >= 15 and len(matched) == 3
    for message in [*safety, *tasks, *smart, *grading, *matched]:
        assert bench_text.known(message), f"no template for the agent's message: {message!r}"
        assert english(message) == message  # the English page shows what the bench sent
        assert french(message) != message, message


def test_pieces_and_nested_reasons(french):
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
    assert french("Purge not used: hdparm -I failed (exit 2); Clear instead") == (
        "Purge non utilisée : hdparm -I failed (exit 2); "
        "effacement par écrasement (Clear) à la place"
    )  # an unknown inner reason stays as sent
    assert french("something new from a newer agent") == "something new from a newer agent"
    assert french(None) == "" and not bench_text.known("something new")
