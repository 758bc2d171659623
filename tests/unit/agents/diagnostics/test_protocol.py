"""The diagnostic result wire format: accepted, tolerant of extra fields, refusals name the field."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from atelier_protocol.diagnostic import DiagnosticInvalid, parse_diagnostic


def _result() -> dict[str, Any]:
    reason = {"code": "pending_sectors", "severity": "fail", "message": "67 pending sectors"}
    return {
        "schema_version": "1.0",
        "kind": "diagnostic",
        "diagnostic_id": "0b9f3d0e-1111-4222-8333-444455556666",
        "agent_version": "0.1.0",
        "started_at": "2026-11-22T13:00:00Z",
        "ended_at": "2026-11-22T13:05:00Z",
        "host": {"hostname": "bench-1", "system_serial": "CZC0408YPV"},
        "disks": [
            {
                "name": "sdb",
                "path": "/dev/sdb",
                "transport": "usb",
                "size_bytes": 500107862016,
                "health": {"verdict": "fail", "reasons": [reason], "pending_sectors": 67},
                "self_test": {"status": "skipped", "reason": "not asked"},
                "surface_scan": {"status": "skipped"},
                "verdict": "fail",
                "action": "destroy",
            }
        ],
        "memory": {"status": "passed", "bytes_requested": 1024, "bytes_tested": 1024},
        "cpu": {"status": "passed", "workers": 2, "rounds": 10},
        "batteries": [{"name": "BAT0", "wear_percent": 12.5}],
        "grade": {
            "grade": "C",
            "reasons": ["a disk failed"],
            "rules_version": "2026-11-22.1",
            "rules_source": "builtin",
        },
    }


def test_a_complete_result_round_trips() -> None:
    result = parse_diagnostic(json.dumps(_result()))
    assert result.disks[0].health.pending_sectors == 67
    again = parse_diagnostic(result.model_dump_json())
    assert again == result


def test_unknown_fields_are_tolerated_and_kept() -> None:
    data = _result()
    data["new_top_level"] = {"added": "by a newer agent"}
    data["disks"][0]["health"]["future_figure"] = 3
    result = parse_diagnostic(data)
    assert result.model_dump()["new_top_level"] == {"added": "by a newer agent"}
    assert result.disks[0].health.model_dump()["future_figure"] == 3


def _refused(data: Any) -> str:
    with pytest.raises(DiagnosticInvalid) as caught:
        parse_diagnostic(data)
    return caught.value.message


@pytest.mark.parametrize(
    ("path", "value", "field"),
    [
        (("disks", 0, "health", "verdict"), "maybe", "disks.0.health.verdict"),
        (("disks", 0, "size_bytes"), -1, "disks.0.size_bytes"),
        (("grade", "grade"), "D", "grade.grade"),
        (("memory", "status"), "ok", "memory.status"),
        (("started_at",), "yesterday", "started_at"),
        (("schema_version",), "2.0", "schema_version"),
        (("schema_version",), "one", "schema_version"),
        (("disks", 0, "health", "reasons", 0, "severity"), "bad", "disks.0.health.reasons.0"),
    ],
)
def test_bad_input_is_refused_naming_the_field(
    path: tuple[Any, ...], value: Any, field: str
) -> None:
    data = _result()
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    assert f"field '{field}" in _refused(data)


def test_missing_required_field_is_named() -> None:
    data = _result()
    del data["grade"]
    assert "field 'grade': Field required" in _refused(data)


def test_not_json_is_refused() -> None:
    assert "not JSON" in _refused("{nope")


@pytest.mark.parametrize(
    ("change", "rule"),
    [
        (lambda d: d["disks"][0]["health"].update(verdict="pass"), "verdict 'pass' with a failing"),
        (
            lambda d: d["disks"][0]["health"].update(reasons=[]),
            "verdict 'fail' needs a reason of severity 'fail'",
        ),
        (
            lambda d: d["disks"][0]["health"].update(
                verdict="unavailable", reasons=[], overall_passed=True
            ),
            "verdict 'unavailable' with an overall health status",
        ),
        (
            lambda d: d["disks"][0].update(
                surface_scan={"status": "passed", "bytes_read": 10, "size_bytes": 20}
            ),
            "must have read every byte",
        ),
        (lambda d: d["cpu"].update(wrong_results=1), "needs rounds and no wrong result"),
    ],
)
def test_results_claiming_more_than_they_know_are_refused(change: Any, rule: str) -> None:
    data = copy.deepcopy(_result())
    change(data)
    assert rule in _refused(data)
