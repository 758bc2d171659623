"""The wipe record wire format: versioned, tolerant of extra fields, strict on bad input."""

from __future__ import annotations

import json

import pytest

from agents.protocol.wipe import WipeRecordInvalid, parse_wipe_record


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
