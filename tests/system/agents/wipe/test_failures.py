"""Failures on real devices: I/O errors, a disk that vanishes, an agent killed mid-wipe.

The failing disk is a loop device over a FUSE file (faultydisk.py) whose server
returns EIO at chosen offsets, blocks a write until told, or "unplugs".
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

from agents.wipe.device import resolve_disk
from agents.wipe.journal import Journal
from agents.wipe.runner import Tuning, WipeRequest, run_wipe

MiB = 1 << 20
TUNING = Tuning(chunk=1 << 20, depth=4)
BENCH_AGENT = [sys.executable, "-m", "agents.cli"]


def _wipe(loop, state_dir: Path, method: str = "zero"):
    request = WipeRequest(resolve_disk(loop.device), method=method)
    return run_wipe(request, selected={loop.device}, journal=Journal(state_dir), tuning=TUNING)


def test_write_error_fails_the_wipe_with_the_first_failing_lba(make_faulty_loop, state_dir):
    bad = 11 * MiB + 7 * 4096
    loop = make_faulty_loop(16, "--fail-write", f"{bad}:4096", "--fail-write", f"{13 * MiB}:512")
    record = _wipe(loop, state_dir)
    assert record.status == "failed"
    assert record.first_failing_lba == bad // 512
    assert record.errors[0].kind == "io_error" and record.errors[0].lba == bad // 512
    assert record.passes[0].complete is False
    assert record.passes[0].bytes_written < 16 * MiB
    assert record.verification.result == "not_run"
    assert record.erased_bytes == 0
    entry = json.loads((state_dir / "wipes" / f"{record.wipe_id}.json").read_text())
    assert entry["state"] == "finished" and entry["record"]["status"] == "failed"


def test_read_error_during_verification_fails_with_the_lba(make_faulty_loop, state_dir):
    bad = 5 * MiB + 3 * 512
    loop = make_faulty_loop(16, "--fail-read", f"{bad}:512")
    record = _wipe(loop, state_dir, method="random")
    assert record.passes[0].complete is True
    assert record.status == "failed"
    assert record.verification.result == "failed"
    assert record.first_failing_lba == bad // 512
    assert record.errors[0].message.startswith("read failed at LBA")


def test_disk_unplugged_mid_wipe_fails(make_faulty_loop, state_dir):
    loop = make_faulty_loop(32, "--gate", str(20 * MiB))
    result = {}
    worker = threading.Thread(target=lambda: result.update(record=_wipe(loop, state_dir)))
    worker.start()
    loop.wait_gate()
    loop.unplug()
    worker.join()
    record = result["record"]
    assert record.status == "failed"
    assert record.errors and record.errors[0].kind == "io_error"
    assert record.first_failing_lba is not None and record.first_failing_lba * 512 < 32 * MiB
    assert record.bytes_written < 32 * MiB


def _agent(*args: str, state_dir: Path) -> subprocess.CompletedProcess[str]:
    argv = [*BENCH_AGENT, "wipe", *args, "--state-dir", str(state_dir)]
    return subprocess.run(argv, capture_output=True, text=True, timeout=300, check=False)


def test_agent_killed_mid_wipe_is_reported_interrupted_at_next_start(make_faulty_loop, state_dir):
    loop = make_faulty_loop(32, "--gate", str(12 * MiB))
    argv = [*BENCH_AGENT, "wipe", loop.device, "--yes", "--json", "--state-dir", str(state_dir)]
    agent = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    loop.wait_gate(agent)
    entries = list((state_dir / "wipes").glob("*.json"))
    assert len(entries) == 1 and json.loads(entries[0].read_text())["state"] == "running"
    os.kill(agent.pid, signal.SIGKILL)
    loop.open_gate()  # the blocked write completes, then the kill takes effect
    agent.wait(timeout=60)
    assert agent.returncode == -signal.SIGKILL

    start = _agent(state_dir=state_dir)  # any wipe command reports it first
    assert "INTERRUPTED wipe" in start.stderr and loop.device in start.stderr
    assert "NOT erased" in start.stderr
    recovered = _agent("--recover", "--json", state_dir=state_dir)
    assert recovered.returncode == 0
    records = json.loads(recovered.stdout)["interrupted"]
    assert [r["status"] for r in records] == ["interrupted"]
    assert records[0]["disk"]["path"] == loop.device
    assert records[0]["errors"][-1]["kind"] == "interrupted"
