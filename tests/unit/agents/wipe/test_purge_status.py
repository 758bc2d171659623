"""Reading sanitize status (hdparm, nvme-cli), the success rule, polling, and the sector evidence."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from agents.wipe import fingerprint
from agents.wipe.passes import Progress
from agents.wipe.purge import parse_hdparm_identify, run_tool
from agents.wipe.purge_ata import parse_sanitize_status
from agents.wipe.purge_exec import check_fingerprints, expected_content
from agents.wipe.purge_nvme import parse_sanitize_log
from agents.wipe.purge_poll import Observation, PollResult, PurgeTiming, judge, poll_until_done
from agents.wipe.wipe_run import _summary
from atelier_protocol.wipe import PurgeRecord, WipeRecordInvalid, parse_wipe_record

# Real terminal output: a Crucial CT1000MX500SSD1 (SATA) on Linux, `hdparm
# --yes-i-know-what-i-am-doing --sanitize-block-erase /dev/sda && hdparm --sanitize-status
# /dev/sda`, copied verbatim from a public write-up (Traditional Chinese blog post on
# erasing drives under Linux, May 2026, smartctl 7.4 / kernel 6.17; found through the
# reference index, document 55372034299). The command was "started in background", yet
# the drive never sanitized: the trap DESIGN.md names.
MX500_BLOCK_ERASE = """
/dev/sda:
Issuing SANITIZE_BLOCK_ERASE command
SG_IO: bad/missing sense data, sb[]:  f0 00 0b 04 51 40 00 0a a0 72 45 6b 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
Operation started in background
You may use `--sanitize-status` to check progress
"""
MX500_STATUS_AFTER = """
/dev/sda:
Issuing SANITIZE_STATUS command
SG_IO: bad/missing sense data, sb[]:  f0 00 0b 04 51 40 00 0a 80 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
Sanitize status:
    State:    SD0 Sanitize Idle
"""

# The lines hdparm 9.65 prints (sanitize_normal_output / sanitize_error_output in hdparm.c).
HDPARM_IN_PROGRESS = """
/dev/sdb:
Issuing SANITIZE_STATUS command
Sanitize status:
    State:    SD2 Sanitize operation In Process
    Progress: 0x7fff (50%)
"""
HDPARM_DONE = """Sanitize status:
    State:    SD0 Sanitize Idle
    Last Sanitize Operation Completed Without Error
"""
HDPARM_FAILED = """Issuing SANITIZE_STATUS command
SANITIZE failed: Input/output error
SANITIZE device error reason: Last Sanitize Command completed unsuccessfully
Drive in SD3 Sanitize Operation Failed state
"""

# nvme-cli 2.x json_sanitize_log: nested under the device name, SSTAT split in fields.
NVME_2X = {
    "nvme0n1": {
        "sprog": 16384,
        "sstat": {
            "global_erased": 0,
            "no_cmplted_passes": 0,
            "status": "(2) Sanitize in Progress.",
        },
        "cdw10_info": 4,
        "time_over_write": 4294967295,
        "time_block_erase": 4294967295,
        "time_crypto_erase": 4294967295,
    }
}


def test_the_captured_mx500_answer_is_idle_not_success():
    assert "started in background" in MX500_BLOCK_ERASE
    seen = parse_sanitize_status(MX500_STATUS_AFTER)
    assert seen.state == "idle"
    result, message = judge(Observation("idle"), PollResult(seen=[seen]))
    assert result == "failed" and "ended in state idle" in message


@pytest.mark.parametrize(
    ("text", "state", "percent"),
    [
        (HDPARM_IN_PROGRESS, "in_progress", 50.0),
        (HDPARM_DONE, "completed", None),
        (HDPARM_FAILED, "failed", None),
        ("Sanitize status:\n    State:    SD1 Sanitize Frozen\n", "frozen", None),
        ("", "unknown", None),
    ],
)
def test_hdparm_sanitize_status_is_read(text, state, percent):
    seen = parse_sanitize_status(text)
    assert (seen.state, seen.percent) == (state, percent)


def test_nvme_cli_2x_sanitize_log_is_read():
    seen = parse_sanitize_log(json.dumps(NVME_2X))
    assert seen.state == "in_progress" and seen.percent == 25.0


@pytest.mark.parametrize(
    ("status", "state"),
    [
        ("(0) NVM Subsystem has never been sanitized.", "idle"),
        ("(1) Most Recent Sanitize Command Completed Successfully.", "completed"),
        ("(3) Most Recent Sanitize Command Failed.", "failed"),
        ("(4) Most Recent Sanitize Command (No-Deallocate After Sanitize) Completed", "completed"),
    ],
)
def test_nvme_sstat_codes(status, state):
    body = {**NVME_2X["nvme0n1"], "sstat": {"status": status}}
    seen = parse_sanitize_log(json.dumps({"nvme1n1": body}))
    assert seen.state == state and seen.percent is None


def test_older_nvme_cli_flat_sstat_is_read():
    # nvme-cli 1.x printed SSTAT as one integer: 0x101 = global data erased + completed.
    seen = parse_sanitize_log(json.dumps({"nvme0n1": {"sprog": 65535, "sstat": 0x101}}))
    assert seen.state == "completed"


def test_unreadable_sanitize_log_raises():
    with pytest.raises(ValueError):
        parse_sanitize_log("NVMe status: INVALID_LOG_PAGE")
    with pytest.raises(ValueError):
        parse_sanitize_log(json.dumps({"nvme0n1": {"sstat": {"status": "busy"}}}))


def polled(*states: str) -> PollResult:
    return PollResult(seen=[Observation(s) for s in states])  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("before", "seen", "result"),
    [
        ("completed", ("in_progress", "completed"), "completed"),
        ("idle", ("completed",), "completed"),  # status changed: never sanitized -> completed
        ("completed", ("completed",), "unconfirmed"),  # an old success, never seen working
        (None, ("completed",), "unconfirmed"),
        ("idle", ("in_progress", "failed"), "failed"),
        ("idle", ("idle",), "failed"),
    ],
)
def test_success_needs_a_sequence_not_a_word(before, seen, result):
    previous = Observation(before) if before else None
    assert judge(previous, polled(*seen))[0] == result


def test_polling_reports_percentages_and_stops_when_done():
    answers = iter([Observation("in_progress", 10.0), Observation("in_progress", 60.0)])
    answers_done = [Observation("completed")]
    sleeps: list[float] = []
    progress = Progress()
    progress.begin("purge", 1000)  # the disk size: percentages become bytes

    def read():
        return next(answers, None) or answers_done[0]

    timing = PurgeTiming(poll_seconds=7.0, sleep=sleeps.append)
    result = poll_until_done(read, timing=timing, timeout=3600, progress=progress)
    assert [o.state for o in result.seen] == ["in_progress", "in_progress", "completed"]
    assert progress.done == 600 and sleeps == [7.0, 7.0] and result.error is None


def test_polling_gives_up_on_repeated_unreadable_status_and_on_time():
    timing = PurgeTiming(sleep=lambda _s: None)
    result = poll_until_done(lambda: None, timing=timing, timeout=3600, progress=Progress())
    assert result.error is not None and "3 times" in result.error
    stuck = poll_until_done(
        lambda: Observation("in_progress", 5.0), timing=timing, timeout=-1, progress=Progress()
    )
    assert stuck.error is not None and "still in progress" in stuck.error
    assert judge(None, stuck)[0] == "failed"


def test_run_tool_keeps_the_error_text_for_the_record():
    status, out = run_tool(["sh", "-c", "echo started; echo 'SANITIZE failed' >&2; exit 5"])
    assert status == 5 and "started" in out and "SANITIZE failed" in out
    assert run_tool(["/nonexistent/hdparm"])[0] == 127


def test_only_techniques_with_a_defined_result_skip_the_follow_up_overwrite():
    assert expected_content("ata-sanitize-overwrite") is not None
    assert expected_content("ata-security-erase-normal") is not None
    for technique in (
        "ata-sanitize-crypto-scramble",
        "ata-sanitize-block-erase",
        "ata-security-erase-enhanced",
        "nvme-sanitize-crypto-erase",
        "nvme-format-user-data-erase",
    ):
        assert expected_content(technique) is None


def _disk_file(tmp_path: Path, data: bytes) -> int:
    path = tmp_path / "disk.img"
    path.write_bytes(data)
    return os.open(path, os.O_RDWR)


def test_sampled_sectors_expose_a_partial_erase_and_confirm_a_full_one(tmp_path):
    size = 4 << 20
    fd = _disk_file(tmp_path, os.urandom(size))
    try:
        prints = fingerprint.take(fd, size, 512, seed=7)
        assert prints.sampled > 200 and {0, size // 512 - 1} <= set(prints.hashes)
        os.pwrite(fd, bytes(size // 2), 0)  # the first half erased, the rest left
        half = PurgeRecord(technique="t", utility="u", command="c", result="completed")
        check_fingerprints(half, prints, fd)
        assert half.result == "failed" and 0 < (half.sectors_unchanged or 0) < prints.sampled
        os.pwrite(fd, bytes(size), 0)
        ambiguous = PurgeRecord(technique="t", utility="u", command="c", result="unconfirmed")
        check_fingerprints(ambiguous, prints, fd)
        assert ambiguous.result == "completed" and ambiguous.sectors_unchanged == 0
    finally:
        os.close(fd)


def test_a_blank_disk_gives_no_evidence_either_way(tmp_path):
    fd = _disk_file(tmp_path, bytes(1 << 20))
    try:
        prints = fingerprint.take(fd, 1 << 20, 512)
        record = PurgeRecord(technique="t", utility="u", command="c", result="unconfirmed")
        check_fingerprints(record, prints, fd)
        assert prints.sampled == 0 and record.result == "unconfirmed"
    finally:
        os.close(fd)


def _purged(**overrides):
    size = 1 << 30
    data = {
        "wipe_id": "w1",
        "status": "passed",
        "disk": {
            "name": "nvme0n1",
            "path": "/dev/nvme0n1",
            "size_bytes": size,
            "logical_sector_size": 512,
            "physical_sector_size": 512,
            "sectors": size // 512,
            "transport": "nvme",
        },
        "requested_method": "auto",
        "method": "purge",
        "technique": "nvme-sanitize-overwrite",
        "tool": {"name": "atelier bench-agent", "version": "0.2", "utility": "nvme"},
        "verification": {"mode": "full", "result": "passed", "bytes_verified": size},
        "bytes_written": 0,
        "bytes_verified": size,
        "erased_bytes": size,
        "started_at": "2026-11-22T09:00:00Z",
        "purge": {
            "technique": "nvme-sanitize-overwrite",
            "utility": "nvme",
            "command": "nvme sanitize /dev/nvme0n1 --sanact=3",
            "result": "completed",
            "states_seen": ["accepted", "in_progress 50%", "completed"],
        },
    }
    data.update(overrides)
    return data


def test_a_purge_record_round_trips_and_old_records_stay_valid():
    record = parse_wipe_record(_purged())
    assert record.purge is not None and record.purge.states_seen[-1] == "completed"
    assert parse_wipe_record(record.model_dump_json()) == record
    # A record without `purge` (older agents) stays readable, but no longer passes on its word.
    old = _purged()
    del old["purge"]
    with pytest.raises(WipeRecordInvalid, match="needs its purge evidence"):
        parse_wipe_record(old)
    failed = {**old, "status": "failed", "errors": [{"kind": "purge", "message": "aborted"}]}
    assert parse_wipe_record(failed).purge is None


def test_a_passed_purge_needs_a_completed_purge():
    unconfirmed = {**_purged()["purge"], "result": "unconfirmed"}
    with pytest.raises(WipeRecordInvalid, match="purge.result"):
        parse_wipe_record(_purged(purge=unconfirmed))
    partial = [{"number": 1, "pattern": "zeros", "bytes_written": 5, "complete": False}]
    with pytest.raises(WipeRecordInvalid, match="pass 1 wrote 5 of"):
        parse_wipe_record(_purged(passes=partial))


def test_the_drives_own_erase_time_estimate_is_read():
    fixture = Path(__file__).parents[3] / "fixtures" / "hardware" / "hdparm"
    text = (fixture / "I_not-frozen_samsung-PM830-mSATA.txt").read_text()
    security = parse_hdparm_identify(text).security
    assert security is not None
    assert (security.erase_minutes, security.enhanced_erase_minutes) == (6, 32)


def test_the_summary_line_names_the_purge_and_the_hidden_bytes():
    record = parse_wipe_record(
        _purged(
            hidden_bytes_not_erased=1 << 20,
            status="passed_with_reservations",
            reservations=["hidden_sectors_not_erased"],
        )
    )
    line = _summary("nvme0n1", record)
    assert line.startswith("nvme0n1    PASSED_WITH_RESERVATIONS purge nvme-sanitize-overwrite")
    assert "1.0 MiB hidden and NOT erased" in line
    fallback = parse_wipe_record(
        _purged(
            method="clear",
            technique="overwrite-zeros",
            passes=[{"number": 1, "pattern": "zeros", "bytes_written": 1 << 30, "complete": True}],
            bytes_written=1 << 30,
            fallback_reason="Purge nvme-sanitize-overwrite did not succeed: refused; Clear instead",
        )
    )
    assert "did not succeed: refused; Clear instead" in _summary("nvme0n1", fallback)
