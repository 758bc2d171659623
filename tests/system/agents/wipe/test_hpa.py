"""HPA removal before the wipe, on real loop devices behind a fake drive firmware.

The fake (tests/helpers/fake_drive.py) keeps the hidden sectors in a second file;
`hdparm -N p<native>` appends them to the loop device's backing file and runs
`losetup -c`, so the kernel really sees the disk grow and the agent must wipe
the whole native size. Where the HPA stays, the record must not claim it.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from agents.wipe.device import resolve_disk
from agents.wipe.journal import Journal
from agents.wipe.purge_poll import PurgeTiming
from agents.wipe.runner import DriveCommands, Tuning, WipeRequest, run_wipe
from atelier_protocol.wipe import parse_wipe_record
from tests.helpers import fake_drive

SECRET = b"donor-secret:IBAN FR76 3000 6000 0112 3456 7890 189|"
HIDDEN = b"hidden-area:recovery image of the donor's old system|"
MiB = 1 << 20
SMALL = Tuning(chunk=1 << 20, depth=4)
FAST = DriveCommands(timing=PurgeTiming(poll_seconds=0.01))


@pytest.fixture
def drive_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Factory: drive_on(loop, **fake options) installs the fake tools first on PATH."""

    def make(loop, **options) -> fake_drive.FakeDrive:
        drive = fake_drive.install(
            tmp_path / "drive-tools", device=loop.device, backing=loop.backing, **options
        )
        monkeypatch.setenv("PATH", drive.path)
        return drive

    return make


def hidden(size: int = MiB) -> bytes:
    return (HIDDEN * (size // len(HIDDEN) + 1))[:size]


def wipe(loop, state_dir: Path, method: str = "zero"):
    disk = replace(resolve_disk(loop.device), transport="sata", rotational=True)
    request = WipeRequest(disk, method=method)
    record = run_wipe(
        request, selected={loop.device}, journal=Journal(state_dir), tuning=SMALL, commands=FAST
    )
    assert parse_wipe_record(record.model_dump_json()) == record  # what the server reads
    return record


def test_the_hpa_is_removed_and_the_whole_native_size_wiped(make_loop, state_dir, drive_on):
    loop = make_loop(4, fill=SECRET)
    drive = drive_on(loop, hidden=hidden())
    record = wipe(loop, state_dir)
    data = loop.read_backing()
    area = record.hidden_area
    assert area is not None and area.detected and area.removed
    assert (area.current_max_sectors_before, area.native_max_sectors_before) == (8192, 10240)
    assert (area.current_max_sectors_after, area.native_max_sectors_after) == (10240, 10240)
    assert "HPA removed" in (area.note or "")
    assert record.hidden_bytes_not_erased == 0
    assert len(data) == 5 * MiB == record.disk.size_bytes == record.erased_bytes
    assert record.disk.sectors == 10240
    assert record.status == "passed" and record.bytes_verified == 5 * MiB
    assert HIDDEN[:16] not in data and data.count(0) == len(data)
    sent = [c for c in drive.calls() if "-N" in c and c[-2].startswith("p")]
    assert sent == [["hdparm", "--yes-i-know-what-i-am-doing", "-N", "p10240", loop.device]]
    assert area.dco_restricted is False


def test_an_hpa_that_cannot_be_removed_is_not_claimed(make_loop, state_dir, drive_on):
    loop = make_loop(4, fill=SECRET)
    drive = drive_on(loop, hidden=hidden(), hpa_removable=False)
    record = wipe(loop, state_dir)
    area = record.hidden_area
    assert area is not None and area.detected and not area.removed
    assert "could not be removed" in (area.note or "") and "not erased" in (area.note or "")
    assert "SET_MAX_ADDRESS failed" in (area.note or "")
    assert record.hidden_bytes_not_erased == MiB
    # The visible part is wiped; the hidden part is still there, not claimed, and named.
    assert record.status == "passed_with_reservations"
    assert record.reservations == ["hidden_sectors_not_erased"]
    assert record.erased_bytes == 4 * MiB == record.disk.size_bytes
    assert loop.read_backing().count(0) == 4 * MiB
    assert HIDDEN[:16] in Path(drive.state()["hidden_store"]).read_bytes()


def test_an_hpa_removed_but_unseen_by_the_kernel_is_not_claimed(make_loop, state_dir, drive_on):
    loop = make_loop(4, fill=SECRET)
    drive_on(loop, hidden=hidden(), kernel_follows=False)
    record = wipe(loop, state_dir)
    area = record.hidden_area
    assert area is not None and area.removed
    assert "kernel still sees 8192 of 10240" in (area.note or "")
    assert "replug" in (area.note or "")
    assert record.hidden_bytes_not_erased == MiB
    assert record.erased_bytes == record.disk.size_bytes == 4 * MiB
    assert (record.status, record.reservations) == (
        "passed_with_reservations", ["hidden_sectors_not_erased"]
    )  # fmt: skip
    data = loop.read_backing()
    assert data[: 4 * MiB].count(0) == 4 * MiB and HIDDEN[:16] in data[4 * MiB :]


def test_a_dco_restriction_is_reported_and_left_alone(make_loop, state_dir, drive_on):
    loop = make_loop(4, fill=SECRET)
    drive = drive_on(loop, dco_real_sectors=8192 + 2048)
    record = wipe(loop, state_dir)
    area = record.hidden_area
    assert area is not None and area.dco_restricted is True and area.detected
    assert "DCO restore is not run automatically" in (area.note or "")
    assert record.hidden_bytes_not_erased == 2048 * 512
    assert not [c for c in drive.calls() if "--dco-restore" in c]


def test_no_hpa_means_no_set_max_command(make_loop, state_dir, drive_on):
    loop = make_loop(4, fill=SECRET)
    drive = drive_on(loop)
    record = wipe(loop, state_dir)
    assert record.hidden_area is not None and not record.hidden_area.detected
    assert record.hidden_bytes_not_erased == 0
    assert not [c for c in drive.calls() if "--yes-i-know-what-i-am-doing" in c]


def test_hpa_removal_then_purge_covers_the_former_hidden_area(make_loop, state_dir, drive_on):
    loop = make_loop(4, fill=SECRET)
    drive_on(loop, hidden=hidden(), sanitize=("overwrite",))
    record = wipe(loop, state_dir, method="purge")
    data = loop.read_backing()
    assert record.method == "purge" and record.technique == "ata-sanitize-overwrite"
    assert record.status == "passed" and record.hidden_bytes_not_erased == 0
    assert len(data) == 5 * MiB and data.count(0) == len(data)
