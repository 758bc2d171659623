"""Wipes asked from the server, run by `bench-agent run`: the bench decides, on real loop devices.

Real parts: a `workshop serve` process, the bench daemon process, loop devices over files
on disk attached before and after the daemon starts (real udev/uevent hotplug). The
"compromised server" case writes a task straight into the server's database, as a
stolen server session could, to check that the bench's own policy still refuses it.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import threading
import uuid
from pathlib import Path

import pytest

from agents.client import ServerClient
from agents.daemon.tasks import LocalTasks, TaskWorker, _Running
from agents.outbox import Outbox
from agents.settings import load_settings
from agents.wipe.passes import Progress
from atelier_protocol.task import TaskSpec
from tests.helpers.waiting import wait_for
from workshop import bench_text

SIZE = 32 * 1024 * 1024
PLANTED = b"donor data, mairie de Lamballe "


@pytest.fixture
def loops(tmp_path):
    """attach(name) -> (device, backing file full of donor data); detached at the end."""
    if os.geteuid() != 0:
        pytest.skip("attaching a loop device needs root")
    if shutil.which("losetup") is None:
        pytest.skip("losetup (util-linux) is not installed")
    attached: list[str] = []

    def attach(name: str) -> tuple[str, Path]:
        backing = tmp_path / f"{name}.img"
        backing.write_bytes((PLANTED * (SIZE // len(PLANTED) + 1))[:SIZE])
        done = subprocess.run(["losetup", "--find", "--show", "--direct-io=on", str(backing)],
                              capture_output=True, text=True, check=True)  # fmt: skip
        attached.append(done.stdout.strip())
        return done.stdout.strip(), backing

    yield attach
    for device in attached:
        subprocess.run(["losetup", "--detach", device], check=False, capture_output=True)


def _disk(server, name):
    disks = server.api(f"/benches/{server.bench_id}")["disks"]
    return next((d for d in disks if d["name"] == name), None)


def _task(server, uid):
    tasks = server.api(f"/benches/{server.bench_id}/tasks")
    return next(t for t in tasks if t["uid"] == uid)


def _ask(server, name, size, kind="wipe"):
    body = {"kind": kind, "disk": name, "serial": None, "size_bytes": size, "method": "zero"}
    return server.call("POST", f"/benches/{server.bench_id}/tasks", body)


def _daemon(spawn_agent, agent_env, **policy):
    env = {**agent_env, "BENCH_HEARTBEAT_INTERVAL": "1", **policy}
    process = spawn_agent(env, "run")
    return process


def test_a_wipe_asked_from_the_server_runs_only_where_the_bench_allows(
    workshop_server, agent_env, spawn_agent, loops
):
    present, present_file = loops("present")  # there before the daemon: never wiped on request
    daemon = _daemon(spawn_agent, agent_env, BENCH_REMOTE_WIPE="hotplugged")
    name_present = os.path.basename(present)
    first = wait_for(lambda: _disk(workshop_server, name_present), "startup disk reported")
    assert any("present when the bench agent started" in r for r in first["protected"])
    plugged, plugged_file = loops("plugged")
    name = os.path.basename(plugged)
    seen = wait_for(lambda: _disk(workshop_server, name), "hotplugged disk reported")
    assert seen["protected"] == []
    task = _ask(workshop_server, name, SIZE)
    done = wait_for(
        lambda: (t := _task(workshop_server, task["uid"]))["status"] in ("passed", "failed") and t,
        "the wipe asked from the server",
    )
    assert done["status"] == "passed", done
    assert plugged_file.read_bytes().count(0) == SIZE  # every byte overwritten
    assert PLANTED in present_file.read_bytes()  # the other disk untouched
    records = workshop_server.api(f"/benches/{workshop_server.bench_id}/records")
    assert {"wipe.record", "task.status"} <= {r["kind"] for r in records}

    # A compromised server writes a task for the startup disk, past its own checks.
    uid = str(uuid.uuid4())
    with sqlite3.connect(workshop_server.instance / "atelier.sqlite3") as db:
        db.execute(
            "INSERT INTO bench_task (uid, bench_id, kind, origin, status, disk_name, "
            "disk_size_bytes, method, verify, progress, created_at) "
            "VALUES (?, ?, 'wipe', 'api', 'queued', ?, ?, 'zero', 'full', '{}', "
            "'2026-11-22 10:00:00.000000')",
            (uid, workshop_server.bench_id, name_present, SIZE),
        )
    refused = wait_for(
        lambda: (t := _task(workshop_server, uid))["status"] != "queued" and t, "the bench's answer"
    )
    assert refused["status"] == "refused"
    assert "present when the bench agent started" in refused["message"]
    assert PLANTED in present_file.read_bytes()
    daemon.terminate()
    assert daemon.wait(timeout=30) == 0


def test_dock_mode_wipes_what_is_plugged_in_after_start(
    workshop_server, agent_env, spawn_agent, loops
):
    present, present_file = loops("present")
    _daemon(spawn_agent, agent_env, BENCH_DOCK_METHOD="zero", BENCH_DOCK_VERIFY="sample")
    wait_for(lambda: _disk(workshop_server, os.path.basename(present)), "startup disk reported")
    plugged, plugged_file = loops("docked")

    def dock_task():
        tasks = workshop_server.api(f"/benches/{workshop_server.bench_id}/tasks")
        mine = [t for t in tasks if t["disk_name"] == os.path.basename(plugged)]
        final = ("passed", "passed_with_reservations", "failed")
        return mine and mine[0]["status"] in final and mine[0]

    task = wait_for(dock_task, "the dock wipe")
    # A sampled read-back is named: the task and its record say "with reservations".
    assert (task["status"], task["origin"], task["verify"]) == (
        "passed_with_reservations", "dock", "sample"
    )  # fmt: skip
    assert task["message"] == "verification by sampling, not every sector read back"
    assert plugged_file.read_bytes().count(0) == SIZE
    assert PLANTED in present_file.read_bytes()


def test_a_diagnostic_of_the_machine_runs_on_request_and_its_result_reaches_the_server(
    workshop_server, agent_env, spawn_agent
):
    """The real checks of this machine (RAM, CPU, batteries, each disk's SMART), kept short."""
    daemon = _daemon(
        spawn_agent, agent_env, BENCH_MACHINE_RAM_MIB="8", BENCH_MACHINE_CPU_SECONDS="0.5"
    )
    task = workshop_server.call(
        "POST", f"/benches/{workshop_server.bench_id}/machine-diagnostic", {}
    )
    done = wait_for(
        lambda: (
            (t := _task(workshop_server, task["uid"]))["status"] not in ("queued", "running") and t
        ),
        "the diagnostic of the machine",
    )
    assert done["status"] == "passed", done
    assert done["message"].startswith("RAM test passed; CPU test passed"), done["message"]
    assert bench_text.known(done["message"]), done["message"]  # shown in French on the board
    assert done["verdict"] in ("A", "B", "C", "parts", "recycle")
    records = workshop_server.api(f"/benches/{workshop_server.bench_id}/records")
    assert [r["kind"] for r in records].count("diagnostic.result") == 1  # through the outbox
    daemon.terminate()
    assert daemon.wait(timeout=30) == 0


def test_progress_reaches_the_server_and_a_crash_is_reported(workshop_server, agent_env, tmp_path):
    """The worker in-process (real client, real server) with a Progress we drive by hand."""
    settings = load_settings(agent_env)
    outbox = Outbox(Path(settings.state_dir) / "outbox.sqlite3")
    client = ServerClient(settings.server_url or "", settings.token, timeout=10)
    stopping, wake = threading.Event(), threading.Event()
    worker = TaskWorker(settings, client, outbox, wake_sender=wake, stopping=stopping)
    body = {"observed_at": "2026-11-22T10:00:00Z", "disks": [{
        "name": "sdq", "path": "/dev/sdq", "model": "M", "transport": "sata",
        "serial": {"value": "Q1", "placeholder": False}, "wwn": None, "size_bytes": 1000,
        "logical_sector_size": 512, "physical_sector_size": 512, "rotational": True,
        "removable": False}]}  # fmt: skip
    workshop_server.call("PUT", "/bench/disks", body, token=workshop_server.bench_token)
    task = workshop_server.call("POST", f"/benches/{workshop_server.bench_id}/tasks",
                 {"kind": "diagnose", "disk": "sdq", "serial": "Q1", "size_bytes": 1000})  # fmt: skip
    progress = Progress()
    progress.begin("surface scan", 1000)
    progress.add(250)
    spec = TaskSpec.model_validate(client.get_tasks()[0])
    worker.running[spec.uid] = _Running(spec, progress)
    sender = threading.Thread(target=worker.progress_loop)
    sender.start()
    seen = wait_for(
        lambda: (t := _task(workshop_server, task["uid"]))["progress"] and t, "progress"
    )
    stopping.set()
    sender.join()
    assert seen["status"] == "running"
    assert (seen["progress"]["phase"], seen["progress"]["percent"]) == ("surface scan", 25.0)

    # The agent dies with the task recorded as running: a restart reports it interrupted.
    LocalTasks(Path(settings.state_dir) / "tasks.json").set(spec.uid, "running")
    again = TaskWorker(settings, client, outbox, wake_sender=wake, stopping=threading.Event())
    again.recover()
    from agents.sync.sender import flush

    flush(outbox, client)
    ended = _task(workshop_server, task["uid"])
    assert ended["status"] == "interrupted" and "NOT erased" in ended["message"]
    assert again.local.get(spec.uid) == "interrupted"
    assert again.poll_once() == 0  # nothing left to run
    outbox.close()


def test_status_shows_the_local_policy_and_a_bad_one_is_named(agent_env, run_agent):
    shown = run_agent({**agent_env, "BENCH_DOCK_METHOD": "random"}, "status", "--offline")
    assert shown.returncode == 0, shown.stderr
    assert "Policy    remote wipes: hotplugged disks only; disk dock: random (verify full)" in (
        shown.stdout
    )
    assert "Tasks     0 running" in shown.stdout
    bad = run_agent({**agent_env, "BENCH_REMOTE_WIPE": "all"}, "status", "--offline")
    assert bad.returncode == 2
    assert "setting 'remote_wipe': must be one of off, hotplugged, any, not 'all'" in bad.stderr
