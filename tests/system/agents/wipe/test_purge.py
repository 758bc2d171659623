"""Purge on real loop devices driven through a fake drive firmware (tests/helpers/fake_drive.py).

The agent runs its real code and calls `hdparm` / `nvme` through PATH; only the
drive's firmware is emulated (there is no ATA or NVMe drive here). The fake
really rewrites the loop device's backing file, so "the planted data is gone"
is checked on the bytes, and a drive that lies is caught by what it left there.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest

from agents.wipe.device import resolve_disk
from agents.wipe.journal import Journal
from agents.wipe.passes import Progress
from agents.wipe.purge_poll import PurgeTiming
from agents.wipe.runner import DriveCommands, Tuning, WipeRequest, run_wipe
from atelier_protocol.wipe import parse_wipe_record
from tests.helpers import fake_drive

SECRET = b"donor-secret:IBAN FR76 3000 6000 0112 3456 7890 189|"
SMALL = Tuning(chunk=1 << 20, depth=4)
FAST = DriveCommands(timing=PurgeTiming(poll_seconds=0.01))


@dataclass
class TracedProgress(Progress):
    """Progress that remembers (phase, bytes done) after every step."""

    trail: list[tuple[str, int]] = field(default_factory=list)

    def add(self, count: int) -> None:
        super().add(count)
        self.trail.append((self.phase, self.done))


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


def wipe(loop, state_dir: Path, *, method: str = "auto", transport: str = "sata", **kwargs):
    disk = replace(
        resolve_disk(loop.device), transport=transport, rotational=kwargs.pop("rotational", False)
    )
    request = WipeRequest(disk, method=method, verify=kwargs.pop("verify", "full"))
    record = run_wipe(
        request,
        selected={loop.device},
        journal=Journal(state_dir),
        tuning=SMALL,
        commands=FAST,
        progress=kwargs.pop("progress", None),
    )
    # What the server will parse: the record must survive its parser unchanged.
    assert parse_wipe_record(record.model_dump_json()) == record
    return record


def only_zeros(data: bytes) -> bool:
    return data.count(0) == len(data)


def test_ata_crypto_scramble_is_followed_by_a_verified_zero_overwrite(
    make_loop, state_dir, drive_on
):
    loop = make_loop(4, fill=SECRET)
    drive = drive_on(loop)
    progress = TracedProgress()
    record = wipe(loop, state_dir, progress=progress)
    data = loop.read_backing()
    # hdparm's whole percentages (33 %, 66 %), as bytes of the disk, while in progress.
    purge_steps = [done for phase, done in progress.trail if phase == "purge crypto-scramble"]
    assert [round(done / len(data), 2) for done in purge_steps] == [0.33, 0.66]
    assert record.status == "passed" and record.method == "purge"
    assert record.technique == "ata-sanitize-crypto-scramble+overwrite-zeros"
    assert record.purge is not None and record.purge.result == "completed"
    assert record.purge.states_seen[0] == "accepted"
    assert any(s.startswith("in_progress") for s in record.purge.states_seen)
    assert record.purge.states_seen[-1] == "completed"
    assert record.purge.followed_by_clear and record.purge.sectors_unchanged == 0
    assert record.purge.sectors_sampled and record.purge.sectors_sampled > 100
    assert record.tool.utility == "hdparm" and "v9.65" in (record.tool.utility_version or "")
    assert record.verification.result == "passed" and record.bytes_verified == len(data)
    assert only_zeros(data)
    sent = [c for c in drive.calls() if "--sanitize-crypto-scramble" in c]
    assert sent == [
        ["hdparm", "--yes-i-know-what-i-am-doing", "--sanitize-crypto-scramble", loop.device]
    ]


def test_overwrite_sanitize_is_verified_on_what_the_drive_wrote(make_loop, state_dir, drive_on):
    loop = make_loop(4, fill=SECRET)
    drive_on(loop, sanitize=("overwrite",))
    record = wipe(loop, state_dir, method="purge", verify="full")
    assert record.status == "passed"
    assert (record.method, record.technique) == ("purge", "ata-sanitize-overwrite")
    # The host wrote nothing: the zeros read back are the drive's own work.
    assert record.passes == [] and record.bytes_written == 0
    assert record.verification.result == "passed"
    assert record.bytes_verified == record.erased_bytes == loop.backing.stat().st_size
    assert only_zeros(loop.read_backing())


def test_a_drive_that_stops_half_way_is_caught_by_the_sampled_sectors(
    make_loop, state_dir, drive_on
):
    loop = make_loop(4, fill=SECRET)
    drive_on(loop, sanitize=("overwrite",), behaviour="partial", polls=4)
    record = wipe(loop, state_dir, method="purge")
    assert record.purge is not None and record.purge.result == "failed"
    assert record.purge.sectors_unchanged and record.purge.sectors_sampled
    assert 0 < record.purge.sectors_unchanged < record.purge.sectors_sampled
    assert record.method == "clear" and record.status == "passed"
    assert SECRET[:16] not in loop.read_backing()


@pytest.mark.parametrize("previously_sanitized", [True, False])
def test_the_idle_drive_that_says_success_is_not_believed(
    make_loop, state_dir, drive_on, previously_sanitized
):
    loop = make_loop(4, fill=SECRET)
    drive_on(loop, behaviour="idle_liar", previously_sanitized=previously_sanitized)
    record = wipe(loop, state_dir)
    assert record.purge is not None and record.purge.result == "failed"
    assert record.purge.sectors_unchanged == record.purge.sectors_sampled > 0
    # Not passed by Purge: Cleared instead, and the record says why.
    assert (record.method, record.technique) == ("clear", "overwrite-aes-256-ctr")
    assert "still hold their old content" in (record.fallback_reason or "")
    if previously_sanitized:
        assert "never seen in progress" in (record.fallback_reason or "")
    assert record.status == "passed"
    assert SECRET[:16] not in loop.read_backing()


def test_a_refused_sanitize_falls_back_to_clear(make_loop, state_dir, drive_on):
    loop = make_loop(4, fill=SECRET)
    drive_on(loop, behaviour="reject")
    record = wipe(loop, state_dir)
    assert record.method == "clear" and record.status == "passed"
    assert "command refused (exit 5)" in (record.fallback_reason or "")
    assert "Device in FROZEN state" in (record.fallback_reason or "")
    assert SECRET[:16] not in loop.read_backing()


def test_a_sanitize_that_fails_midway_falls_back_to_clear(make_loop, state_dir, drive_on):
    loop = make_loop(4, fill=SECRET)
    drive_on(loop, behaviour="fail")
    record = wipe(loop, state_dir)
    assert record.purge is not None and record.purge.result == "failed"
    assert "ended in state failed" in (record.fallback_reason or "")
    assert record.method == "clear" and record.status == "passed"


def test_sanitize_frozen_by_the_bios_falls_back_with_the_unfreeze_hint(
    make_loop, state_dir, drive_on
):
    loop = make_loop(4, fill=SECRET)
    drive = drive_on(loop, frozen=True)
    record = wipe(loop, state_dir)
    assert record.method == "clear" and record.status == "passed"
    assert "frozen" in (record.fallback_reason or "") and "replug" in (record.fallback_reason or "")
    assert not [c for c in drive.calls() if "--sanitize-crypto-scramble" in c]


def test_frozen_security_gives_clear_and_says_suspend_resume(make_loop, state_dir, drive_on):
    loop = make_loop(4, fill=SECRET)
    drive = drive_on(loop, sanitize=(), frozen=True, solid_state=False)
    record = wipe(loop, state_dir, method="purge", rotational=True)
    assert record.method == "clear" and record.purge is None
    assert "frozen" in (record.fallback_reason or "")
    assert "suspend and resume" in (record.fallback_reason or "")
    assert not [c for c in drive.calls() if "--security-set-pass" in c]
    assert only_zeros(loop.read_backing())


def test_security_erase_on_a_hard_disk_removes_its_temporary_password(
    make_loop, state_dir, drive_on
):
    loop = make_loop(4, fill=SECRET)
    drive = drive_on(loop, sanitize=(), solid_state=False)
    record = wipe(loop, state_dir, method="purge", rotational=True)
    assert record.status == "passed" and record.method == "purge"
    assert record.technique == "ata-security-erase-enhanced+overwrite-zeros"
    assert record.purge is not None and record.purge.security_left_enabled is False
    assert "<temporary password>" in record.purge.command
    state = drive.state()
    assert not state["enabled"] and not state["locked"] and state["password"] is None
    assert only_zeros(loop.read_backing())


def test_a_failed_security_erase_does_not_leave_the_drive_locked(make_loop, state_dir, drive_on):
    loop = make_loop(4, fill=SECRET)
    drive = drive_on(loop, sanitize=(), solid_state=False, behaviour="erase_fails")
    record = wipe(loop, state_dir, method="purge", rotational=True)
    state = drive.state()
    assert not state["enabled"] and not state["locked"] and state["password"] is None
    set_pass = next(c for c in drive.calls() if "--security-set-pass" in c)
    password = set_pass[set_pass.index("--security-set-pass") + 1]
    assert [
        "hdparm",
        "--user-master",
        "u",
        "--security-disable",
        password,
        loop.device,
    ] in drive.calls()
    assert password not in record.model_dump_json()  # removed: no reason to publish it
    assert record.purge is not None and record.purge.security_left_enabled is False
    assert record.method == "clear" and record.status == "passed"
    assert "SECURITY ERASE UNIT failed" in (record.fallback_reason or "")


def test_a_password_that_cannot_be_removed_fails_the_wipe_and_names_it(
    make_loop, state_dir, drive_on
):
    loop = make_loop(4, fill=SECRET)
    drive = drive_on(loop, sanitize=(), solid_state=False, behaviour="password_stuck")
    record = wipe(loop, state_dir, method="purge", rotational=True)
    password = drive.state()["password"]
    assert record.status == "failed" and record.erased_bytes == 0
    assert record.purge is not None and record.purge.security_left_enabled is True
    assert f"--security-disable {password}" in record.errors[0].message


@pytest.mark.parametrize(
    ("caps", "technique", "host_writes"),
    [
        ({"sanicap": 0b111}, "nvme-sanitize-crypto-erase+overwrite-zeros", True),
        ({"sanicap": 0b010}, "nvme-sanitize-block-erase+overwrite-zeros", True),
        ({"sanicap": 0b100}, "nvme-sanitize-overwrite", False),
        ({"sanicap": 0, "fna": 0b100}, "nvme-format-crypto-erase+overwrite-zeros", True),
    ],
)
def test_nvme_purges(make_loop, state_dir, drive_on, caps, technique, host_writes):
    loop = make_loop(4, fill=SECRET)
    drive = drive_on(loop, kind="nvme", **caps)
    record = wipe(loop, state_dir, transport="nvme")
    assert record.status == "passed" and record.method == "purge"
    assert record.technique == technique
    assert record.tool.utility == "nvme"
    assert (record.bytes_written > 0) is host_writes
    assert only_zeros(loop.read_backing())
    if "sanitize" in technique:
        assert any(s.startswith("in_progress") for s in record.purge.states_seen)  # type: ignore[union-attr]
        sent = next(c for c in drive.calls() if c[:2] == ["nvme", "sanitize"])
        assert "--ause" in sent


def test_nvme_liar_is_not_believed(make_loop, state_dir, drive_on):
    loop = make_loop(4, fill=SECRET)
    drive_on(loop, kind="nvme", behaviour="idle_liar", previously_sanitized=True)
    record = wipe(loop, state_dir, transport="nvme")
    assert record.method == "clear" and record.purge is not None
    assert record.purge.result == "failed"
    assert SECRET[:16] not in loop.read_backing()


def test_a_controller_with_two_namespaces_is_not_sanitized(make_loop, state_dir, drive_on):
    loop = make_loop(4, fill=SECRET)
    drive = drive_on(loop, kind="nvme", namespaces=2)
    record = wipe(loop, state_dir, transport="nvme")
    assert record.method == "clear" and record.purge is None
    assert "2 namespaces" in (record.fallback_reason or "")
    assert not [c for c in drive.calls() if c[:2] == ["nvme", "sanitize"]]


def test_usb_never_gets_a_purge_command(make_loop, state_dir, drive_on):
    loop = make_loop(4, fill=SECRET)
    drive = drive_on(loop)
    record = wipe(loop, state_dir, method="purge", transport="usb")
    assert record.method == "clear" and "USB" in (record.fallback_reason or "")
    assert not [c for c in drive.calls() if any(a.startswith("--sanitize") for a in c)]
