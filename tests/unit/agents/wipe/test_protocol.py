"""The wipe record wire format: versioned, tolerant of extra fields, strict on bad input."""

from __future__ import annotations

import json

import pytest

from atelier_protocol.wipe import WipeRecordInvalid, parse_wipe_record


def record(**overrides):
    data = {
        "schema_version": 1,
        "wipe_id": "5f0c",
        "status": "passed",
        "disk": {
            "name": "sdb",
            "path": "/dev/sdb",
            "model": "ST500DM002-1BD142",
            "serial": "Z3T5",
            "wwn": "0x5000c500",
            "size_bytes": 500107862016,
            "logical_sector_size": 512,
            "physical_sector_size": 4096,
            "sectors": 976773168,
            "transport": "sata",
        },
        "requested_method": "auto",
        "method": "clear",
        "technique": "overwrite-zeros",
        "tool": {"name": "atelier bench-agent", "version": "0.1.0"},
        "passes": [
            {"number": 1, "pattern": "zeros", "bytes_written": 500107862016, "complete": True}
        ],
        "verification": {"mode": "full", "result": "passed", "bytes_verified": 500107862016},
        "bytes_written": 500107862016,
        "bytes_verified": 500107862016,
        "erased_bytes": 500107862016,
        "started_at": "2026-11-22T09:00:00Z",
        "ended_at": "2026-11-22T10:10:00Z",
    }
    data.update(overrides)
    return data


def test_round_trip_keeps_every_fact():
    parsed = parse_wipe_record(json.dumps(record()))
    again = parse_wipe_record(parsed.model_dump_json())
    assert again == parsed
    assert again.disk.serial == "Z3T5" and again.verification.mode == "full"


def test_unknown_fields_from_a_newer_agent_are_tolerated():
    data = record(signature="ed25519:...", disk={**record()["disk"], "firmware": "CC43"})
    assert parse_wipe_record(data).status == "passed"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"status": "erased"}, "status"),
        ({"bytes_written": -1}, "bytes_written"),
        ({"disk": {**record()["disk"], "size_bytes": "big"}}, "disk.size_bytes"),
        ({"started_at": "yesterday"}, "started_at"),
    ],
)
def test_bad_input_is_refused_naming_the_field(overrides, field):
    with pytest.raises(WipeRecordInvalid, match=field):
        parse_wipe_record(record(**overrides))


def test_missing_field_is_named():
    data = record()
    del data["disk"]
    with pytest.raises(WipeRecordInvalid, match="disk"):
        parse_wipe_record(data)


def test_unsupported_schema_version_is_refused():
    with pytest.raises(WipeRecordInvalid, match="schema_version"):
        parse_wipe_record(record(schema_version=2))


@pytest.mark.parametrize(
    "overrides",
    [
        {"errors": [{"kind": "io_error", "message": "write failed", "lba": 9}]},
        {"verification": {"mode": "full", "result": "failed"}},
        {"passes": [{"number": 1, "pattern": "zeros", "bytes_written": 5, "complete": False}]},
        {"erased_bytes": 500107862016 + 512},
    ],
)
def test_a_passed_status_that_the_facts_do_not_support_is_refused(overrides):
    with pytest.raises(WipeRecordInvalid, match="passed|erased_bytes"):
        parse_wipe_record(record(**overrides))


def test_not_json_is_refused():
    with pytest.raises(WipeRecordInvalid, match="not JSON"):
        parse_wipe_record("{oops")


SIZE = 500107862016
ONE_PASS_OF_5 = [{"number": 1, "pattern": "zeros", "bytes_written": 5, "complete": True}]
PURGED = {
    "technique": "ata-sanitize-crypto-scramble",
    "utility": "hdparm",
    "command": "hdparm --sanitize-crypto-scramble /dev/sdb",
    "result": "completed",
}


@pytest.mark.parametrize(
    ("overrides", "rule"),
    [
        # Found in the erasure-proof review: "passed" with 5 bytes written, 0 read back.
        (
            {"passes": ONE_PASS_OF_5, "bytes_written": 5, "bytes_verified": 0},
            "pass 1 wrote 5 of 500107862016 bytes",
        ),
        ({"bytes_written": 5}, "bytes_written is not the sum"),
        ({"passes": [], "bytes_written": 0}, "needs its overwrite passes"),
        (
            {"bytes_verified": 0, "verification": {"mode": "full", "result": "passed"}},
            "full verification read back 0 of",
        ),
        ({"bytes_verified": 0}, "differs from verification.bytes_verified"),
        (
            {"verification": {"mode": "none", "result": "passed", "bytes_verified": SIZE}},
            "verification.mode is 'none'",
        ),
        ({"erased_bytes": SIZE - 512}, "erased_bytes 500107861504 is not the disk size"),
        # A Purge with no verification, or no evidence that the drive did it.
        (
            {
                "method": "purge",
                "technique": "ata-sanitize-crypto-scramble",
                "passes": [],
                "bytes_written": 0,
                "purge": PURGED,
                "verification": {"mode": "none", "result": "passed"},
                "bytes_verified": 0,
            },
            "verification.mode is 'none'",
        ),
        (
            {
                "method": "purge",
                "technique": "ata-sanitize-crypto-scramble",
                "passes": [],
                "bytes_written": 0,
            },
            "needs its purge evidence",
        ),  # fmt: skip
        # A sample that read back less than the coverage it declares.
        (
            {
                "verification": {
                    "mode": "sample",
                    "result": "passed",
                    "bytes_verified": 4096,
                    "coverage": 0.1,
                    "seed": 7,
                    "subsections": 1000,
                },
                "bytes_verified": 4096,
                "status": "passed_with_reservations",
                "reservations": ["sampled_verification"],
            },
            "not the declared coverage",
        ),  # fmt: skip
    ],
)
def test_an_inflated_passed_record_is_refused_naming_the_rule(overrides, rule):
    with pytest.raises(WipeRecordInvalid, match=rule):
        parse_wipe_record(record(**overrides))


def test_a_sampled_verification_that_read_its_coverage_passes_with_reservations():
    read = round(0.1 * SIZE / 512) * 512
    sample = {"mode": "sample", "result": "passed", "bytes_verified": read, "coverage": 0.1,
              "seed": 7, "subsections": 1000}  # fmt: skip
    parsed = parse_wipe_record(
        record(
            verification=sample,
            bytes_verified=read,
            status="passed_with_reservations",
            reservations=["sampled_verification"],
        )
    )
    assert parsed.reservations == ["sampled_verification"]
    with pytest.raises(WipeRecordInvalid, match="use 'passed_with_reservations'"):
        parse_wipe_record(record(verification=sample, bytes_verified=read, reservations=[]))


@pytest.mark.parametrize(
    ("overrides", "rule"),
    [
        # Asked for zeros, wrote random data: a silent replacement.
        (
            {
                "requested_method": "zero",
                "technique": "overwrite-aes-256-ctr",
                "passes": [
                    {"number": 1, "pattern": "aes-256-ctr", "bytes_written": SIZE, "complete": True}
                ],
            },
            "requested_method 'zero' but passes wrote aes-256-ctr",
        ),  # fmt: skip
        (
            {"requested_method": "random"},
            "requested_method 'random' but passes wrote zeros",
        ),
        ({"requested_method": "purge"}, "'clear' without fallback_reason"),
    ],
)
def test_a_requested_method_is_done_or_the_record_says_why(overrides, rule):
    with pytest.raises(WipeRecordInvalid, match=rule):
        parse_wipe_record(record(**overrides))
    failed = record(**overrides, status="failed", errors=[{"kind": "io_error", "message": "x"}])
    with pytest.raises(WipeRecordInvalid, match=rule):
        parse_wipe_record(failed)  # whatever the outcome
    reason = "Purge not used: no sanitize support; Clear instead"
    assert parse_wipe_record(record(requested_method="purge", fallback_reason=reason))
