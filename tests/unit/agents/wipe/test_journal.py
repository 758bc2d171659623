"""The wipe journal: a wipe whose agent died is reported interrupted, once marked, never passed."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime

import pytest

from agents.wipe.errors import JournalError
from agents.wipe.journal import Journal, state_dir_from_env
from atelier_protocol.wipe import DiskIdentity, ToolInfo, VerificationRecord, WipeRecord


def running_record() -> WipeRecord:
    disk = DiskIdentity(
        name="sdb",
        path="/dev/sdb",
        model="WDC WD3200AAJS",
        serial="WD-WMAV2",
        size_bytes=4096,
        logical_sector_size=512,
        physical_sector_size=512,
        sectors=8,
        transport="sata",
    )
    return WipeRecord(
        wipe_id="w-1",
        status="interrupted",
        disk=disk,
        requested_method="zero",
        method="clear",
        technique="overwrite-zeros",
        tool=ToolInfo(name="t", version="1"),
        verification=VerificationRecord(mode="full", result="not_run"),
        bytes_written=2048,
        bytes_verified=0,
        started_at=datetime.now(UTC),
    )


def test_a_wipe_owned_by_a_live_process_is_not_interrupted(tmp_path):
    journal = Journal(tmp_path)
    journal.start(running_record())
    assert journal.recover() == []


def test_a_wipe_whose_process_died_is_reported_once_then_kept_as_interrupted(tmp_path):
    journal = Journal(tmp_path)
    journal.start(running_record())
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    path = tmp_path / "wipes" / "w-1.json"
    entry = json.loads(path.read_text())
    entry["owner"]["pid"] = int(dead.stdout)
    path.write_text(json.dumps(entry))

    found = journal.recover()
    assert [(r.wipe_id, r.status) for r in found] == [("w-1", "interrupted")]
    assert found[0].errors[-1].kind == "interrupted" and found[0].ended_at is not None
    assert journal.recover() == []
    assert [r.wipe_id for r in journal.interrupted()] == ["w-1"]
    assert json.loads(path.read_text())["state"] == "interrupted"


def test_a_corrupt_entry_is_an_error_not_silence(tmp_path):
    (tmp_path / "wipes").mkdir()
    (tmp_path / "wipes" / "x.json").write_text("{truncated")
    with pytest.raises(JournalError, match="unreadable"):
        Journal(tmp_path).recover()


def test_state_dir_comes_from_argument_then_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("BENCH_STATE_DIR", str(tmp_path / "env"))
    assert state_dir_from_env(None) == tmp_path / "env"
    assert state_dir_from_env(str(tmp_path / "arg")) == tmp_path / "arg"
