"""Inventory of this very machine: real /sys, real pyudev, real psutil, a real loop device."""

from __future__ import annotations

import dataclasses
import json
import os
import shlex
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import psutil
import pytest

from agents.inventory.ata import identify_disk
from agents.inventory.devices import iter_pci_ids_file, pci_names, read_pci_ids
from agents.inventory.disks import list_disks
from agents.inventory.tools import ToolRunner
from agents.inventory.udev import subsystem_properties
from atelier_protocol.snapshot import parse_snapshot

LOOP_SIZE = 48 * 1024 * 1024
BENCH_AGENT = Path(sys.executable).with_name("bench-agent")


@pytest.fixture
def loop_device(tmp_path):
    """Attach a 48 MiB sparse file to a free loop device; always detach it afterwards."""
    if os.geteuid() != 0:
        pytest.skip("attaching a loop device needs root")
    if shutil.which("losetup") is None:
        pytest.skip("losetup (util-linux) is not installed")
    backing = tmp_path / "disk.img"
    with open(backing, "wb") as handle:
        handle.truncate(LOOP_SIZE)
    done = subprocess.run(
        ["losetup", "--find", "--show", str(backing)], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        pytest.skip(f"no loop device available: {done.stderr.strip()}")
    device = done.stdout.strip()
    try:
        yield device
    finally:
        subprocess.run(["losetup", "--detach", device], check=False)


def run_agent(*args: str) -> str:
    done = subprocess.run(
        [str(BENCH_AGENT), "inventory", *args], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, f"bench-agent {shlex.join(args)} failed: {done.stderr}"
    return done.stdout


def test_json_snapshot_matches_what_the_machine_says(loop_device):
    snapshot = json.loads(run_agent("--json"))

    parsed = parse_snapshot(snapshot)

    assert parsed.hostname == socket.gethostname()
    assert parsed.memory.total_bytes == psutil.virtual_memory().total
    assert parsed.cpu.threads == os.cpu_count()
    loop = next(d for d in parsed.disks if d.path == loop_device)
    assert loop.size_bytes == LOOP_SIZE
    assert loop.transport == "loop"
    # Every disk reported is one the kernel lists, with the kernel's size.
    for disk in parsed.disks:
        sectors = int(Path(f"/sys/block/{disk.name}/size").read_text())
        assert disk.size_bytes == sectors * 512, disk.name


def test_network_interfaces_match_psutil():
    snapshot = json.loads(run_agent("--json"))
    links = {
        name: next((a.address for a in addrs if a.family == psutil.AF_LINK), None)
        for name, addrs in psutil.net_if_addrs().items()
    }
    physical = {n for n in links if Path(f"/sys/class/net/{n}/device").exists()}

    reported = {i["name"]: i["mac"] for i in snapshot["network"]}

    assert set(reported) == physical
    for name, mac in reported.items():
        assert mac == links[name]


def test_human_summary_lists_the_loop_device(loop_device):
    text = run_agent()

    line = next(ln for ln in text.splitlines() if ln.strip().startswith(loop_device + " "))
    assert "loop" in line and "50.3 MB" in line  # 48 MiB in decimal units


def test_pyudev_sees_every_disk_sysfs_lists(loop_device):
    notes: list[str] = []

    properties = subsystem_properties("block", notes)

    assert notes == []
    names = [d.name for d in list_disks()]
    assert os.path.basename(loop_device) in names
    for name in names:
        assert properties[name]["DEVNAME"] == f"/dev/{name}"


def test_pci_names_agree_with_lspci():
    database = "/usr/share/misc/pci.ids"
    if shutil.which("lspci") is None or not os.path.exists(database):
        pytest.skip("pciutils (lspci, pci.ids) is not installed")
    out = subprocess.run(["lspci", "-mm", "-D"], capture_output=True, text=True, check=True).stdout
    checked = 0
    for line in out.splitlines():
        fields = shlex.split(line)
        address, vendor_name, device_name = fields[0], fields[2], fields[3]
        ids = read_pci_ids(Path("/sys/bus/pci/devices") / address)
        vendor, device = ids["vendor"][2:], ids["device"][2:]

        ours = pci_names(iter_pci_ids_file(database), vendor, device)

        assert ours[0] == vendor_name, address
        assert (ours[1] or f"Device {device}") == device_name, address
        checked += 1
    assert checked > 0


def test_real_tools_on_a_disk_without_ata_degrade_to_no_identity(loop_device):
    if shutil.which("smartctl", path="/usr/sbin:/sbin:/usr/bin") is None:
        pytest.skip("smartmontools is not installed")
    disk = next(d for d in list_disks() if d.path == loop_device)
    # Pretend it sits on a SCSI bus so the agent asks smartctl, which cannot identify a loop file.
    scsi_disk = dataclasses.replace(disk, transport="scsi")
    runner = ToolRunner()

    identity = identify_disk(scsi_disk, runner)

    assert identity is None
    assert runner.notes == []  # smartctl ran; its error status is read, not reported as a crash
