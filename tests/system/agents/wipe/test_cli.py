"""The `bench-agent disks` and `bench-agent wipe` commands as a technician runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

BENCH_AGENT = [sys.executable, "-m", "agents.cli"]
SECRET = b"mairie-de-lannion:confidential;"


def agent(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*BENCH_AGENT, *args], capture_output=True, text=True, input=stdin, timeout=300, check=False
    )


def mbr_with_one_partition(start_lba: int, sectors: int) -> bytes:
    """A classic MBR: one Linux (0x83) primary partition, boot signature 55AA."""
    entry = bytes([0, 0, 0, 0, 0x83, 0, 0, 0])
    entry += start_lba.to_bytes(4, "little") + sectors.to_bytes(4, "little")
    return bytes(446) + entry + bytes(48) + b"\x55\xaa"


@contextmanager
def mounted(device: str, mountpoint: Path) -> Iterator[None]:
    mountpoint.mkdir(exist_ok=True)
    subprocess.run(["mkfs.ext4", "-q", "-F", device], check=True)
    subprocess.run(["mount", device, str(mountpoint)], check=True)
    try:
        yield
    finally:
        subprocess.run(["umount", str(mountpoint)], check=True)


def _disk_row(name: str) -> dict:
    result = agent("disks", "--json")
    assert result.returncode == 0, result.stderr
    rows = {row["name"]: row for row in json.loads(result.stdout)}
    return rows[name]


def test_disks_lists_a_free_loop_as_wipeable_and_the_system_disk_as_protected(make_loop):
    loop = make_loop(16)
    row = _disk_row(loop.name)
    assert row["wipe_allowed"] is True and row["size_bytes"] == 16 << 20
    root_dev = os.stat("/").st_dev
    system = [
        r
        for r in json.loads(agent("disks", "--json").stdout)
        if any("running system" in reason for reason in r["protected_reasons"])
    ]
    if os.major(root_dev) == 0:
        pytest.skip("/ is not on a block device here (overlay or tmpfs root)")
    assert system, "the disk holding / must be reported as the running system"


def test_wipe_two_disks_in_parallel_passes_and_prints_json_records(make_loop, state_dir):
    first, second = make_loop(16, fill=SECRET), make_loop(24, fill=SECRET)
    result = agent(
        "wipe",
        first.device,
        second.device,
        "--method",
        "zero",
        "--yes",
        "--json",
        "--state-dir",
        str(state_dir),
        "--technician",
        "T. Le Goff",
        "--bench-id",
        "bench-2",
    )
    assert result.returncode == 0, result.stderr
    records = json.loads(result.stdout)["records"]
    assert {r["disk"]["path"] for r in records} == {first.device, second.device}
    assert all(r["status"] == "passed" and r["technician"] == "T. Le Goff" for r in records)
    for loop in (first, second):
        data = loop.read_backing()
        assert data.count(0) == len(data)
    assert "PASSED" in result.stderr


def test_wipe_without_yes_and_without_a_terminal_touches_nothing(make_loop, state_dir):
    loop = make_loop(16, fill=SECRET)
    result = agent("wipe", loop.device, "--state-dir", str(state_dir), stdin="YES\n")
    assert result.returncode == 3
    assert "pass --yes" in result.stderr
    assert loop.read_backing().startswith(SECRET)


def test_wipe_refuses_a_mounted_disk_naming_the_mount(make_loop, state_dir, tmp_path):
    loop = make_loop(32, fill=SECRET)
    with mounted(loop.device, tmp_path / "mnt"):
        assert _disk_row(loop.name)["wipe_allowed"] is False
        result = agent("wipe", loop.device, "--yes", "--state-dir", str(state_dir))
    assert result.returncode == 3
    assert f"mounted: {loop.name} at {tmp_path / 'mnt'}" in result.stderr


def test_wipe_refuses_a_disk_whose_partition_is_mounted(make_loop, state_dir, tmp_path):
    loop = make_loop(32, mbr=mbr_with_one_partition(2048, 40000))
    partition = f"{loop.device}p1"
    if not Path(partition).exists():
        pytest.skip(f"the kernel did not create {partition} (no partition scan on loop here)")
    with mounted(partition, tmp_path / "mnt"):
        result = agent("wipe", loop.device, "--yes", "--state-dir", str(state_dir))
        named_partition = agent("wipe", partition, "--yes", "--state-dir", str(state_dir))
    assert result.returncode == 3
    assert f"mounted: {loop.name}p1 at" in result.stderr
    assert named_partition.returncode == 3 and "is a partition" in named_partition.stderr


def test_wipe_refuses_swap_in_use(make_loop, state_dir):
    loop = make_loop(16)
    subprocess.run(["mkswap", loop.device], check=True, capture_output=True)
    if subprocess.run(["swapon", loop.device], capture_output=True).returncode:
        pytest.skip("swapon is not permitted here")
    try:
        result = agent("wipe", loop.device, "--yes", "--state-dir", str(state_dir))
    finally:
        subprocess.run(["swapoff", loop.device], check=True)
    assert result.returncode == 3
    assert f"swap in use: {loop.device}" in result.stderr


def test_one_failing_disk_makes_the_exit_status_non_zero(make_loop, make_faulty_loop, state_dir):
    good = make_loop(16)
    bad = make_faulty_loop(16, "--fail-write", f"{3 << 20}:512")
    result = agent(
        "wipe",
        good.device,
        bad.device,
        "--method",
        "zero",
        "--yes",
        "--json",
        "--state-dir",
        str(state_dir),
    )
    assert result.returncode == 1
    by_path = {r["disk"]["path"]: r for r in json.loads(result.stdout)["records"]}
    assert by_path[good.device]["status"] == "passed"
    assert by_path[bad.device]["status"] == "failed"
    assert by_path[bad.device]["first_failing_lba"] == (3 << 20) // 512
