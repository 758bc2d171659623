"""A diagnostic of the machine asked by the server (agents/daemon/tasks.py), without hardware:
smartctl answers replayed from real captures (tests/helpers/smartctl_replay.py), the disk list
given."""

from __future__ import annotations

import json
import threading

import pytest

from agents.client import ServerClient
from agents.daemon.tasks import TaskWorker, _Running
from agents.diagnostics import run as run_module
from agents.inventory import disks as disks_module
from agents.outbox import Outbox
from agents.settings import BenchSettings
from agents.wipe.passes import Progress
from atelier_protocol.task import TaskSpec
from tests.helpers.smartctl_replay import ReplaySmartctl, replay_disk
from workshop import bench_text


def test_a_disk_under_a_task_is_left_out_and_the_result_is_queued(tmp_path, monkeypatch):
    monkeypatch.setattr(run_module, "ToolRunner", ReplaySmartctl)
    found = [replay_disk("sdb", "usb"), replay_disk("sdc", "sata"), replay_disk("vda", "virtio")]
    monkeypatch.setattr(disks_module, "list_disks", lambda *args: found)
    config = BenchSettings(config_path=tmp_path / "b.json", state_dir=str(tmp_path),
                           machine_ram_mib=4, machine_cpu_seconds=0.1)  # fmt: skip
    outbox = Outbox(tmp_path / "outbox.sqlite3")
    worker = TaskWorker(config, ServerClient("http://127.0.0.1:9", "t"), outbox,
                        wake_sender=threading.Event(), stopping=threading.Event())  # fmt: skip
    wipe = TaskSpec.model_validate({"uid": "wipe-0001", "kind": "wipe",
                                    "disk": {"name": "sdb", "size_bytes": 500 << 30}})  # fmt: skip
    worker.running[wipe.uid] = _Running(wipe, Progress())  # sdb is being wiped
    machine = TaskSpec.model_validate({"uid": "machine-0001", "kind": "machine",
                                       "asset_tag": "K7QX4M2PH"})  # fmt: skip

    state, fields = worker._diagnose_machine(machine, Progress())

    assert state == "passed"  # sdb's failing SMART is not looked at while it is wiped
    assert fields["message"].startswith("RAM test passed; CPU test passed; sdc: SMART pass; ")
    assert "sdb: left out (a wipe or diagnostic is running on it)" in fields["message"]
    assert bench_text.known(fields["message"]), fields["message"]
    item = outbox.claim(ignore_schedule=True)
    body = json.loads(item.body)
    assert (body["kind"], body["asset_tag"]) == ("diagnostic.result", "K7QX4M2PH")
    assert [d["name"] for d in body["payload"]["disks"]] == ["sdc", "vda"]
    assert "sdb: left out (a wipe or diagnostic is running on it)" in body["payload"]["notes"]
    assert fields["verdict"] == body["payload"]["grade"]["grade"]
    outbox.close()


@pytest.mark.parametrize("check", ["RAM", "CPU"])
def test_machine_phases_name_the_check(check):
    from agents.daemon.tasks import machine_phase

    assert machine_phase(f"{check} check") == f"{check} test"
    assert machine_phase("sdb: SMART pass") == "SMART"
