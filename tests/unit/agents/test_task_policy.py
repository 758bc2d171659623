"""The bench's local policy for wipes asked by the server (agents/daemon/tasks.py), on a fake /sys."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from types import SimpleNamespace

from agents.client import ServerClient
from agents.daemon.tasks import TaskWorker
from agents.outbox import Outbox
from agents.settings import BenchSettings
from atelier_protocol.task import TaskSpec


def _worker(tmp_path: Path, **settings: str) -> TaskWorker:
    config = BenchSettings(config_path=tmp_path / "b.json", state_dir=str(tmp_path), **settings)
    worker = TaskWorker(
        config,
        ServerClient("http://127.0.0.1:9", "t"),
        Outbox(tmp_path / "outbox.sqlite3"),
        wake_sender=threading.Event(),
        stopping=threading.Event(),
        protection=lambda name: [],
    )
    worker.sys_root = tmp_path / "sys"
    return worker


def _plug(tmp_path: Path, name: str, seq: int | None) -> dict[str, object]:
    block = tmp_path / "sys" / "block" / name
    block.mkdir(parents=True, exist_ok=True)
    if seq is not None:
        (block / "diskseq").write_text(f"{seq}\n")
    return {"name": name, "serial": {"value": None, "placeholder": True}, "size_bytes": 4096}


def test_a_disk_back_in_the_same_slot_is_new_by_its_diskseq(tmp_path):
    worker = _worker(tmp_path)
    present = _plug(tmp_path, "sda", 7)
    worker.note_startup([present])
    assert [r.english() for r in worker.protection(present)] == [
        "present when the bench agent started (local policy: only disks plugged in afterwards "
        "are wiped on request)"
    ]
    assert [r.code for r in worker.protection(present)] == ["policy.present_at_start"]
    # Same name, serial and size, but attached again after start: a new diskseq.
    _plug(tmp_path, "sda", 12)
    assert worker.protection(present) == []


def test_without_diskseq_the_identity_decides(tmp_path):
    worker = _worker(tmp_path)
    present = _plug(tmp_path, "sda", None)
    worker.note_startup([present])
    assert worker.protection(present) != []
    other = {**_plug(tmp_path, "sdb", None), "serial": {"value": "S2", "placeholder": False}}
    assert worker.protection(other) == []


def test_policy_off_and_any(tmp_path):
    off = _worker(tmp_path, remote_wipe="off")
    disk = _plug(tmp_path, "sdb", 9)
    off.note_startup([])
    assert [r.english() for r in off.protection(disk)] == [
        "local policy: this bench accepts no wipe request from the server"
    ]
    assert [r.code for r in off.protection(disk)] == ["policy.no_remote_wipe"]
    anything = _worker(tmp_path / "any", remote_wipe="any")
    anything.sys_root = tmp_path / "sys"
    anything.note_startup([disk])  # even a disk present at start
    assert anything.protection(disk) == []


def _statuses(worker: TaskWorker) -> list[dict[str, object]]:
    sent = []
    while (item := worker.outbox.claim(ignore_schedule=True)) is not None:
        sent.append(json.loads(item.body)["payload"])
        worker.outbox.ack(item, None)
    return sent


def test_a_refused_task_is_never_reported_as_running(tmp_path):
    """The checks run before "running" is sent: the board never shows a refused task started."""
    worker = _worker(tmp_path, remote_wipe="off")
    spec = TaskSpec.model_validate({
        "uid": "0c6f3c1e-8d0b-4d59-9d7e-2f0f9c1a2b3c", "kind": "wipe", "origin": "web",
        "disk": {"name": "sdz", "serial": "Z1", "size_bytes": 4096},
        "method": "zero", "verify": "full",
    })  # fmt: skip
    worker.resolve = lambda name: SimpleNamespace(
        name=name, path=f"/dev/{name}", model="M", serial="Z1", size_bytes=4096
    )
    worker.start(spec).join(timeout=10)
    sent = _statuses(worker)
    assert [s["state"] for s in sent] == ["refused"]
    assert "accepts no wipe request" in sent[0]["message"]
    assert sent[0]["spec"]["uid"] == spec.uid  # the server can create a task it never saw
    assert worker.local.get(spec.uid) == "refused" and worker.running == {}

    gone = spec.model_copy(update={"uid": "5b1d2c3e-8d0b-4d59-9d7e-2f0f9c1a2b3c"})
    worker.resolve = lambda name: (_ for _ in ()).throw(FileNotFoundError(name))
    worker.start(gone).join(timeout=10)
    (sent,) = _statuses(worker)
    assert sent["state"] == "refused" and "no disk sdz on this bench now" in sent["message"]
