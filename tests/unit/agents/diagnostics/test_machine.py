"""RAM and CPU checks with small bounds; a flipped bit and a wrong digest must be caught."""

from __future__ import annotations

import mmap
import os
from pathlib import Path

import pytest

from agents.diagnostics.machine import (
    MiB,
    battery_wear,
    check_cpu,
    check_memory,
    read_batteries,
)
from agents.diagnostics.surface import scan_fd
from agents.wipe.patterns import Pattern


def test_ram_check_passes_every_pattern() -> None:
    result = check_memory(8 * MiB, time_limit=60)
    assert result.status == "passed"
    assert result.patterns == ["0x55", "0xaa", "aes-256-ctr", "aes-256-ctr-complement"]
    assert result.bytes_tested == 8 * MiB and result.errors == 0


def test_ram_check_finds_a_flipped_bit_and_its_offset() -> None:
    flipped_at = 5 * MiB + 12345

    def flip(region: mmap.mmap, pattern: Pattern) -> None:
        if pattern.name == "aes-256-ctr":
            region[flipped_at] ^= 0x10

    result = check_memory(8 * MiB, after_write=flip)
    assert result.status == "failed"
    assert result.errors == 1
    assert result.first_error_offset == flipped_at
    assert result.reason == "1 chunk(s) read back wrong"


def test_ram_check_can_be_disabled() -> None:
    assert check_memory(0).status == "skipped"


def test_ram_check_stops_at_its_time_bound() -> None:
    result = check_memory(4 * MiB, time_limit=-1)
    assert result.status == "timeout" and result.patterns == []
    assert "time bound" in (result.reason or "")


def test_cpu_check_uses_every_worker_and_gets_right_digests() -> None:
    result = check_cpu(0.2, workers=2)
    assert result.status == "passed"
    assert result.workers == 2
    assert result.rounds >= 2 and result.wrong_results == 0  # at least one round per worker
    assert result.mb_per_s is not None and result.mb_per_s > 0


def test_cpu_check_counts_wrong_results() -> None:
    calls = {"n": 0}

    def sometimes_wrong(data: bytes) -> bytes:
        import hashlib

        calls["n"] += 1
        digest = hashlib.sha256(data).digest()
        return digest if calls["n"] % 2 else bytes(32)

    result = check_cpu(0.2, workers=1, digest=sometimes_wrong)
    assert result.status == "failed"
    assert result.wrong_results == result.rounds // 2
    assert result.reason == f"{result.wrong_results} of {result.rounds} digests were wrong"


def test_cpu_check_can_be_disabled() -> None:
    assert check_cpu(0).status == "skipped"


def test_battery_wear_from_inventory_records() -> None:
    record = {
        "name": "BAT0",
        "model": "01AV429",
        "design_capacity": 57000,
        "full_capacity": 39900,
        "capacity_unit": "mWh",
        "wear_percent": 30.0,
        "cycle_count": 412,
    }
    (battery,) = battery_wear([record])
    assert (battery.wear_percent, battery.unit, battery.cycle_count) == (30.0, "mWh", 412)


def test_batteries_read_through_the_inventory_from_sysfs(tmp_path: Path) -> None:
    bat = tmp_path / "class" / "power_supply" / "BAT0"
    bat.mkdir(parents=True)
    (bat / "uevent").write_text(
        "POWER_SUPPLY_NAME=BAT0\nPOWER_SUPPLY_TYPE=Battery\n"
        "POWER_SUPPLY_ENERGY_FULL_DESIGN=50000000\nPOWER_SUPPLY_ENERGY_FULL=20000000\n"
    )
    batteries, _notes = read_batteries(str(tmp_path))
    assert [(b.name, b.wear_percent) for b in batteries] == [("BAT0", 60.0)]


def test_surface_scan_reads_every_byte_of_a_file(tmp_path: Path) -> None:
    image = tmp_path / "disk.img"
    image.write_bytes(os.urandom(3 * MiB + 4096))
    fd = os.open(image, os.O_RDONLY)
    try:
        result = scan_fd(fd, 3 * MiB + 4096, 512, chunk=MiB, readers=2)
    finally:
        os.close(fd)
    assert result.status == "passed"
    assert result.bytes_read == result.size_bytes == 3 * MiB + 4096


def test_surface_scan_past_the_end_fails_with_the_lba(tmp_path: Path) -> None:
    image = tmp_path / "short.img"
    image.write_bytes(bytes(2 * MiB))
    fd = os.open(image, os.O_RDONLY)
    try:  # a device that claims 3 MiB but ends at 2 MiB: the read at 2 MiB fails
        result = scan_fd(fd, 3 * MiB, 512, chunk=MiB, readers=1)
    finally:
        os.close(fd)
    assert result.status == "failed"
    assert result.first_failing_lba == 2 * MiB // 512
    assert result.bytes_read == 2 * MiB


def test_ram_check_stops_between_chunks_when_the_bound_passes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import agents.diagnostics.machine as machine

    now = {"t": 0.0}
    monkeypatch.setattr(machine.time, "monotonic", lambda: now["t"])

    def time_runs_out(region: mmap.mmap, pattern: Pattern) -> None:
        now["t"] = 1000.0  # the first pattern took "too long"

    result = check_memory(8 * MiB, time_limit=30, after_write=time_runs_out)
    assert result.status == "passed"  # what was tested read back right
    assert result.patterns == ["0x55"]
    assert result.reason == "time bound reached: 1 pattern(s) done"
