"""Clear on real loop devices: data really gone, verification really checks, guards hold."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from agents.safety import SystemPaths
from agents.wipe.device import open_for_wipe, resolve_disk
from agents.wipe.errors import DiskNotSelected, DiskProtected, JournalError
from agents.wipe.journal import Journal
from agents.wipe.runner import Tuning, WipeRequest, run_wipe

SECRET = b"donor-secret:IBAN FR76 3000 6000 0112 3456 7890 189|"
SMALL = Tuning(chunk=1 << 20, depth=4)


def _wipe(loop, state_dir: Path, **kwargs):
    hook = kwargs.pop("after_overwrite", None)
    request = WipeRequest(resolve_disk(loop.device), **kwargs)
    return run_wipe(
        request,
        selected={loop.device},
        journal=Journal(state_dir),
        after_overwrite=hook,
        tuning=kwargs.pop("tuning", SMALL),
    )


def test_zero_clear_leaves_only_zeros_in_the_backing_file(make_loop, state_dir):
    loop = make_loop(33, fill=SECRET)  # 33 MiB: the last chunk is a partial one
    record = _wipe(loop, state_dir, method="zero")
    data = loop.read_backing()
    assert record.status == "passed"
    assert record.bytes_written == record.bytes_verified == len(data) == record.disk.size_bytes
    assert record.erased_bytes == len(data)
    assert data.count(0) == len(data), "a non-zero byte survived the wipe"


def test_random_clear_changes_every_sector(make_loop, state_dir):
    loop = make_loop(16, fill=SECRET)
    before = loop.read_backing()
    record = _wipe(loop, state_dir, method="random")
    after = loop.read_backing()
    assert record.status == "passed"
    assert record.passes[0].pattern == "aes-256-ctr"
    assert SECRET[:16] not in after
    same = [i for i in range(0, len(after), 512) if after[i : i + 512] == before[i : i + 512]]
    assert same == [], f"sectors left as they were: {same[:5]}"
    assert after.count(0) < len(after) // 200, "a random stream should not be mostly zeros"


@pytest.mark.parametrize("method", ["zero", "random"])
def test_full_verification_catches_a_sector_altered_after_the_overwrite(
    make_loop, state_dir, method
):
    loop = make_loop(16)
    lba = 20_001

    def tamper(_disk: object) -> None:
        with open(loop.backing, "r+b") as handle:
            # Inverted, not set: a random pass leaves any given value there 1 time in 256.
            handle.seek(lba * 512 + 100)
            byte = handle.read(1)[0]
            handle.seek(lba * 512 + 100)
            handle.write(bytes([byte ^ 0xFF]))
            handle.flush()
            os.fsync(handle.fileno())

    record = _wipe(loop, state_dir, method=method, after_overwrite=tamper)
    assert record.status == "failed"
    assert record.verification.result == "failed"
    assert record.first_failing_lba == lba
    assert record.erased_bytes == 0


def test_sample_verification_follows_nist_and_says_so(make_loop, state_dir):
    loop = make_loop(16)

    def tamper_last_lba(_disk: object) -> None:
        with open(loop.backing, "r+b") as handle:
            handle.seek(-1, os.SEEK_END)
            handle.write(b"\x7f")

    good = _wipe(loop, state_dir, method="zero", verify="sample")
    # Written everywhere but read back in part: never a plain "passed".
    assert (good.status, good.reservations) == (
        "passed_with_reservations",
        ["sampled_verification"],
    )
    assert good.verification.mode == "sample"
    assert good.verification.subsections == 1000
    assert 0.10 <= (good.verification.coverage or 0) <= 0.15
    assert "NIST SP 800-88" in (good.verification.scheme or "")
    assert good.bytes_verified < good.bytes_written
    bad = _wipe(loop, state_dir, method="zero", verify="sample", after_overwrite=tamper_last_lba)
    assert bad.status == "failed"
    assert bad.first_failing_lba == 16 * 2048 - 1


def test_disk_not_named_is_refused_and_untouched(make_loop, state_dir):
    named, other = make_loop(16), make_loop(16, fill=SECRET)
    before = other.read_backing()
    request = WipeRequest(resolve_disk(other.device), method="zero")
    with pytest.raises(DiskNotSelected):
        run_wipe(request, selected={named.device}, journal=Journal(state_dir))
    assert other.read_backing() == before
    assert not (state_dir / "wipes").exists(), "a refused wipe must not start a journal entry"


def test_mounted_disk_is_refused_even_if_the_check_misses_the_mount(make_loop, tmp_path):
    loop = make_loop(32)
    mountpoint = tmp_path / "mnt"
    mountpoint.mkdir()
    subprocess.run(["mkfs.ext4", "-q", "-F", loop.device], check=True)
    subprocess.run(["mount", loop.device, str(mountpoint)], check=True)
    try:
        disk = resolve_disk(loop.device)
        with pytest.raises(DiskProtected, match="mounted: .* at " + str(mountpoint)):
            open_for_wipe(disk, {loop.device})
        # A mount that appeared after the check (empty mountinfo) is caught by O_EXCL.
        empty = tmp_path / "mountinfo"
        empty.write_text("")
        blind = SystemPaths(mountinfo=empty)
        with pytest.raises(DiskProtected, match="busy"):
            open_for_wipe(disk, {loop.device}, blind)
    finally:
        subprocess.run(["umount", str(mountpoint)], check=True)
    assert (loop.read_backing()[1024 + 56 : 1024 + 58]) == b"\x53\xef", "ext4 superblock gone"


def test_a_disk_that_changed_after_confirmation_is_refused(make_loop, state_dir):
    loop = make_loop(16, fill=SECRET)
    confirmed = resolve_disk(loop.device)
    os.truncate(loop.backing, 32 << 20)  # another disk in the slot: the size differs now
    subprocess.run(["losetup", "--set-capacity", loop.device], check=True)
    with pytest.raises(DiskProtected, match="changed since it was confirmed"):
        run_wipe(WipeRequest(confirmed), selected={loop.device}, journal=Journal(state_dir))
    assert loop.read_backing().startswith(SECRET)


def test_a_disk_without_serial_swapped_in_the_same_slot_is_refused(make_loop, state_dir, tmp_path):
    """Same model (none), same size, no serial: only the media sequence number tells them
    apart, and it is read again from what the opened descriptor really is."""
    loop = make_loop(16, fill=SECRET)
    confirmed = resolve_disk(loop.device)
    assert confirmed.serial is None and confirmed.diskseq is not None
    other = tmp_path / "other.img"
    other.write_bytes(SECRET * ((16 << 20) // len(SECRET) + 1))
    os.truncate(other, 16 << 20)
    subprocess.run(["losetup", "-d", loop.device], check=True)
    subprocess.run(["losetup", "--direct-io=on", loop.device, str(other)], check=True)
    swapped = resolve_disk(loop.device)
    assert (swapped.model, swapped.serial, swapped.size_bytes) == (
        confirmed.model, confirmed.serial, confirmed.size_bytes
    )  # fmt: skip
    with pytest.raises(DiskProtected, match="changed since it was confirmed"):
        run_wipe(
            WipeRequest(confirmed, method="zero"),
            selected={loop.device},
            journal=Journal(state_dir),
        )
    assert other.read_bytes().startswith(SECRET) and loop.read_backing().startswith(SECRET)
    assert not (state_dir / "wipes").exists()


class _JournalFullAfterStart(Journal):
    """The state disk fills up once the wipe has started (a fake at that one edge: the
    journal's own writes are tested for real in tests/unit/agents/wipe/test_journal.py)."""

    def update(self, record):
        raise JournalError("cannot write the wipe journal in /var/lib/atelier-bench: No space")


def test_a_journal_error_after_writing_ends_failed_with_a_record(make_loop, state_dir):
    loop = make_loop(16, fill=SECRET)
    record = run_wipe(
        WipeRequest(resolve_disk(loop.device), method="zero"),
        selected={loop.device},
        journal=_JournalFullAfterStart(state_dir),
        tuning=SMALL,
    )
    # Bytes were written: not "refused" as if the disk was untouched, and a record goes out.
    assert record.status == "failed" and record.bytes_written == 16 << 20
    assert record.errors[0].kind == "JournalError" and "No space" in record.errors[0].message
    assert loop.read_backing().count(0) == 16 << 20


def test_a_journal_that_cannot_be_closed_still_gives_the_record(make_loop, state_dir):
    loop = make_loop(16, fill=SECRET)
    wipes = state_dir / "wipes"

    def break_the_journal(_disk):  # the state folder is gone (disk pulled, remounted ro...)
        for entry in wipes.iterdir():
            entry.unlink()
        wipes.rmdir()
        wipes.write_text("not a folder")

    record = run_wipe(
        WipeRequest(resolve_disk(loop.device), method="zero"),
        selected={loop.device},
        journal=Journal(state_dir),
        after_overwrite=break_the_journal,
        tuning=SMALL,
    )
    assert record.status == "passed"  # every byte written and read back: the facts hold
