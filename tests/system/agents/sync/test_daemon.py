"""`bench-agent run` against the real server: heartbeat, outbox, disk hotplug, SIGTERM.

Disks come and go as real loop devices attached and detached during the test;
the server's view (GET /api/v1/benches/<id>, coordinator token) must follow
within the 2 s the spec allows.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time

import pytest

from tests.helpers.waiting import wait_for

HOTPLUG_LATENCY = 2.0  # seconds, from the spec


@pytest.fixture
def loop_file(tmp_path):
    """Backing file for a loop device; the test attaches it, teardown detaches whatever is left."""
    if os.geteuid() != 0:
        pytest.skip("attaching a loop device needs root")
    if shutil.which("losetup") is None:
        pytest.skip("losetup (util-linux) is not installed")
    backing = tmp_path / "disk.img"
    with backing.open("wb") as handle:
        handle.truncate(16 * 1024 * 1024)
    attached: list[str] = []
    yield backing, attached
    for device in attached:
        subprocess.run(["losetup", "--detach", device], check=False, capture_output=True)


def _attach(loop_file) -> str:
    backing, attached = loop_file
    done = subprocess.run(
        ["losetup", "--find", "--show", str(backing)], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        pytest.skip(f"no loop device available: {done.stderr.strip()}")
    attached.append(done.stdout.strip())
    return done.stdout.strip()


def _disk_names(server) -> set[str]:
    return {disk["name"] for disk in server.api(f"/benches/{server.bench_id}")["disks"]}


def test_daemon_reports_disks_beats_sends_and_stops_on_sigterm(
    workshop_server, agent_env, spawn_agent, run_agent, loop_file
):
    env = {**agent_env, "BENCH_HEARTBEAT_INTERVAL": "1"}
    run_agent(env, "inventory", "--send")  # sent at once; a second one goes through the daemon
    workshop_server.kill()
    assert "not sent yet" in run_agent(env, "inventory", "--send").stdout
    workshop_server.start()

    daemon = spawn_agent(env, "run")
    wait_for(lambda: len(workshop_server.record_keys()) == 2, "queued record sent", 30)
    bench = wait_for(
        lambda: (b := workshop_server.api(f"/benches/{workshop_server.bench_id}"))["disks"] and b,
        "initial disks",
        30,
    )
    assert bench["last_seen_at"], "no heartbeat recorded"
    before = _disk_names(workshop_server)

    start = time.monotonic()
    device = os.path.basename(_attach(loop_file))
    wait_for(lambda: device in _disk_names(workshop_server), f"{device} seen", HOTPLUG_LATENCY)
    added = time.monotonic() - start
    start = time.monotonic()
    subprocess.run(["losetup", "--detach", f"/dev/{device}"], check=True)
    loop_file[1].clear()
    wait_for(lambda: device not in _disk_names(workshop_server), f"{device} gone", HOTPLUG_LATENCY)
    print(
        f"hotplug seen by the server: added {added:.2f} s, removed {time.monotonic() - start:.2f} s"
    )
    assert before <= _disk_names(workshop_server) | {device}

    daemon.send_signal(signal.SIGTERM)
    out, err = daemon.communicate(timeout=30)
    assert daemon.returncode == 0, err
    assert "watching block devices" in err and err.rstrip().endswith("INFO stopped")


def test_daemon_started_while_the_server_is_away_catches_up(
    workshop_server, agent_env, spawn_agent, run_agent, loop_file
):
    env = {**agent_env, "BENCH_HEARTBEAT_INTERVAL": "1"}
    workshop_server.kill()
    daemon = spawn_agent(env, "run")
    queued = run_agent(env, "inventory", "--send")
    assert "not sent yet" in queued.stdout
    device = os.path.basename(_attach(loop_file))

    workshop_server.start()
    wait_for(lambda: device in _disk_names(workshop_server), f"{device} seen after restart", 30)
    wait_for(lambda: len(workshop_server.record_keys()) == 1, "queued record sent", 30)
    daemon.send_signal(signal.SIGTERM)
    assert daemon.wait(timeout=30) == 0
