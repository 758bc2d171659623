"""A wipe's record reaches the server through the outbox and moves the host device to "wiped".

Real parts: a `workshop serve` process, a loop device over a file on disk, `bench-agent wipe`.
"""

from __future__ import annotations

import os
import subprocess

import pytest


@pytest.fixture
def loop_device(tmp_path):
    if os.geteuid() != 0:
        pytest.skip("attaching a loop device needs root")
    backing = tmp_path / "donated-disk.img"
    backing.write_bytes((b"donor data " * (16 * 1024 * 1024 // 11 + 1))[: 16 * 1024 * 1024])
    done = subprocess.run(["losetup", "--find", "--show", str(backing)], capture_output=True,
                          text=True, check=True)  # fmt: skip
    device = done.stdout.strip()
    yield device, backing
    subprocess.run(["losetup", "--detach", device], check=False, capture_output=True)


def test_wipe_record_goes_through_the_outbox_to_the_device(
    workshop_server, agent_env, run_agent, loop_device, tmp_path
):
    device, backing = loop_device
    line = workshop_server.cli("create-organisation", "--kind", "collectivite", "--name", "Mairie")
    donor_id = int(line.split("(id ")[1].rstrip(")"))
    donation = workshop_server.call("POST", "/donations", {
        "donor_id": donor_id, "received_on": "2026-11-20", "place": "Mairie",
        "items": [{"type": "laptop", "count": 1}]})  # fmt: skip
    tag = donation["devices"][0]["asset_tag"]
    for status in ("inventoried", "tested"):
        workshop_server.call("POST", f"/devices/{tag}/transitions", {"status": status})
    workshop_server.kill()  # the record must wait in the outbox, not be lost
    wiped = run_agent(agent_env, "wipe", device, "--yes", "--method", "zero",
                      "--asset-tag", tag, "--state-dir", str(tmp_path / "journal"))  # fmt: skip
    assert wiped.returncode == 0, wiped.stderr
    assert "queued 1 wipe.record record; not sent yet" in wiped.stdout
    assert backing.read_bytes().count(0) == backing.stat().st_size
    workshop_server.start()
    assert run_agent(agent_env, "sync").returncode == 0
    seen = workshop_server.call("GET", f"/devices/{tag}")
    assert seen["status"] == "wiped"
    kinds = [e["kind"] for e in workshop_server.call("GET", f"/devices/{tag}/events")]
    assert kinds.count("wipe.recorded") == 1
    # The wipe typed at the bench shows on the bench board, with its outcome.
    (task,) = workshop_server.call("GET", f"/benches/{workshop_server.bench_id}/tasks")
    (wipe,) = workshop_server.call("GET", f"/devices/{tag}/wipes")
    assert (task["origin"], task["status"], task["asset_tag"]) == ("bench", "passed", tag)
    assert task["disk_name"] == os.path.basename(device) and task["wipe_uid"] == wipe["wipe_uid"]
