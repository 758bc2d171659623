"""The bench's local policy for wipes asked by the server (agents/daemon/tasks.py), on a fake /sys."""

from __future__ import annotations

import threading
from pathlib import Path

from agents.client import ServerClient
from agents.daemon.tasks import TaskWorker
from agents.outbox import Outbox
from agents.settings import BenchSettings


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
    assert worker.protection(present) == [
        "present when the bench agent started (local policy: only disks plugged in afterwards "
        "are wiped on request)"
    ]
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
    assert off.protection(disk) == [
        "local policy: this bench accepts no wipe request from the server"
    ]
    anything = _worker(tmp_path / "any", remote_wipe="any")
    anything.sys_root = tmp_path / "sys"
    anything.note_startup([disk])  # even a disk present at start
    assert anything.protection(disk) == []
