"""Issue #3, "never lose a result": real server and agent processes, killed mid-batch.

Whatever dies (the server, or the agent between sending a record and writing
down the answer), every record queued on the bench arrives on the server exactly
once: counted on the server through its API, keys compared one by one.
"""

from __future__ import annotations

import signal
import sqlite3
import time
from pathlib import Path

import pytest

from agents.outbox import Outbox

N = 30
KILL_AFTER = 5  # acknowledged records before something is killed


def _outbox(env) -> Outbox:
    return Outbox(Path(env["BENCH_STATE_DIR"]) / "outbox.sqlite3")


def _enqueue(env, snapshot, count=N) -> list[str]:
    box = _outbox(env)
    try:
        return [box.enqueue("inventory.snapshot", snapshot).key for _ in range(count)]
    finally:
        box.close()


def _acked(env) -> int:
    path = Path(env["BENCH_STATE_DIR"]) / "outbox.sqlite3"
    with sqlite3.connect(path, timeout=10) as db:
        return int(db.execute("SELECT COUNT(*) FROM item WHERE state = 'acked'").fetchone()[0])


def _wait_until_some_acked(env, process) -> None:
    deadline = time.monotonic() + 60
    while _acked(env) < KILL_AFTER:
        if process.poll() is not None:
            pytest.fail(f"sync ended before the kill: {process.communicate()}")
        assert time.monotonic() < deadline, "no record acknowledged within 60 s"
        time.sleep(0.005)


def _assert_exactly_once(server, keys) -> None:
    on_server = server.record_keys()
    assert len(on_server) == len(keys), f"{len(on_server)} records on the server, {len(keys)} sent"
    assert sorted(on_server) == sorted(keys)


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_server_stopped_mid_batch_then_restarted_gets_each_record_once(
    workshop_server, agent_env, snapshot, spawn_agent, run_agent, sig
):
    keys = _enqueue(agent_env, snapshot)
    sync = spawn_agent(agent_env, "sync")
    _wait_until_some_acked(agent_env, sync)
    workshop_server.kill(sig)
    out, err = sync.communicate(timeout=60)
    assert sync.returncode == 1, (out, err)
    assert " waiting: server unreachable" in out
    remaining = _outbox(agent_env).pending_count()
    assert 0 < remaining < N

    again = run_agent(agent_env, "sync")
    assert again.returncode == 1 and "server unreachable" in again.stdout, "server still down"

    workshop_server.start()
    final = run_agent(agent_env, "sync")
    assert final.returncode == 0, final.stdout + final.stderr
    assert final.stdout.endswith("nothing left to send\n")
    _assert_exactly_once(workshop_server, keys)


def test_agent_killed_mid_batch_resends_what_was_in_flight_exactly_once(
    workshop_server, agent_env, snapshot, spawn_agent, run_agent
):
    keys = _enqueue(agent_env, snapshot)
    sync = spawn_agent(agent_env, "sync")
    _wait_until_some_acked(agent_env, sync)
    sync.send_signal(signal.SIGKILL)
    sync.communicate(timeout=20)
    assert sync.returncode == -signal.SIGKILL
    assert _outbox(agent_env).pending_count() > 0, "the kill came after the last record"

    final = run_agent(agent_env, "sync")
    assert final.returncode == 0, final.stdout + final.stderr
    _assert_exactly_once(workshop_server, keys)


def test_record_the_server_has_but_the_agent_never_heard_of_is_resent_as_a_duplicate(
    workshop_server, agent_env, snapshot, run_agent
):
    # The window an exact kill cannot hit reliably: the server committed, the agent died
    # before writing "acked". Recreate it: send, then put the items back as the dead agent left them.
    keys = _enqueue(agent_env, snapshot, count=3)
    assert run_agent(agent_env, "sync").returncode == 0
    path = Path(agent_env["BENCH_STATE_DIR"]) / "outbox.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute(
            "UPDATE item SET state = 'in_flight', claimed_by = 999999999, lease_until = 9e18"
        )

    final = run_agent(agent_env, "sync")
    assert final.returncode == 0
    assert final.stdout == "sent 3 records (3 the server already had); nothing left to send\n"
    _assert_exactly_once(workshop_server, keys)


def test_inventory_send_queues_first_and_sends_when_it_can(workshop_server, agent_env, run_agent):
    sent = run_agent(agent_env, "inventory", "--send")
    assert sent.returncode == 0, sent.stderr
    assert "queued inventory.snapshot" in sent.stdout and "; sent" in sent.stdout
    assert len(workshop_server.record_keys()) == 1

    workshop_server.kill()
    queued = run_agent(agent_env, "inventory", "--json", "--send")
    assert queued.returncode == 0, queued.stderr
    assert "not sent yet (server unreachable" in queued.stderr
    status = run_agent(agent_env, "status")
    assert (
        "NOT reachable" in status.stdout
        and "Pending   1, oldest: inventory.snapshot" in status.stdout
    )

    workshop_server.start()
    assert run_agent(agent_env, "sync").returncode == 0
    assert len(workshop_server.record_keys()) == 2
