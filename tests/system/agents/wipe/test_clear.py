"""Clear on real loop devices: data really gone, verification really checks, guards hold."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from agents.safety import SystemPaths
from agents.wipe.device import open_for_wipe, resolve_disk
from agents.wipe.errors import DiskNotSelected, DiskProtected
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
            handle.seek(lba * 512 + 100)
            handle.write(b"\x01")
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
    assert good.status == "passed"
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
