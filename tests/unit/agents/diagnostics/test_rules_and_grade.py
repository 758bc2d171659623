"""The grading rules file: loading, refusals naming the key, and the grades it gives."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from agents.diagnostics.errors import RulesError
from agents.diagnostics.grading import disk_verdict, suggest_grade
from agents.diagnostics.rules import DEFAULT_RULES, load_rules
from agents.diagnostics.smart import judge_report
from atelier_protocol.diagnostic import (
    BatteryWear,
    CpuCheck,
    DiskDiagnostic,
    MemoryCheck,
    SelfTest,
    SmartHealth,
    SurfaceScan,
)

Loader = Callable[[str], dict[str, Any]]
OK_MEMORY = MemoryCheck(status="passed")
OK_CPU = CpuCheck(status="passed", rounds=5)


def _disk(health: SmartHealth, surface: str = "skipped") -> DiskDiagnostic:
    self_test, scan = SelfTest(status="skipped"), SurfaceScan(status=surface)  # type: ignore[arg-type]
    verdict = disk_verdict(health, self_test, scan)
    return DiskDiagnostic(
        name="sdb",
        path="/dev/sdb",
        health=health,
        self_test=self_test,
        surface_scan=scan,
        verdict=verdict,  # type: ignore[arg-type]
    )


def test_packaged_rules_load_with_their_version() -> None:
    rules = load_rules()
    assert rules.version == json.loads(DEFAULT_RULES.read_text())["version"]
    assert rules.source == "builtin"
    assert rules.smart.reallocated_fail_above == 100
    assert rules.disk_actions["fail"] == "destroy"


def test_rules_path_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    custom = tmp_path / "rules.json"
    custom.write_text(json.dumps({"version": "coop-7", "grade_rules": []}))
    monkeypatch.setenv("BENCH_DIAGNOSTIC_RULES", str(custom))
    rules = load_rules()
    assert (rules.version, rules.source) == ("coop-7", str(custom))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            {"version": "x", "smart": {"realocated_fail_above": 5}},
            "key 'smart.realocated_fail_above'",
        ),
        (
            {
                "version": "x",
                "grade_rules": [
                    {"fact": "battery", "op": ">", "value": 1, "grade_at_best": "B", "reason": "r"}
                ],
            },
            "unknown fact 'battery'",
        ),
        (
            {
                "version": "x",
                "grade_rules": [
                    {
                        "fact": "disks_fail",
                        "op": "=>",
                        "value": 1,
                        "grade_at_best": "B",
                        "reason": "r",
                    }
                ],
            },
            "key 'grade_rules.0.op'",
        ),
        ({"smart": {}}, "key 'version'"),
        ([1], "expected a JSON object"),
    ],
)
def test_malformed_rules_are_refused_naming_the_key(
    tmp_path: Path, content: Any, message: str
) -> None:
    path = tmp_path / "rules.json"
    path.write_text(json.dumps(content))
    with pytest.raises(RulesError, match=message.replace("(", r"\(")):
        load_rules(path)


def test_unreadable_rules_are_refused(tmp_path: Path) -> None:
    with pytest.raises(RulesError, match="No such file"):
        load_rules(tmp_path / "missing.json")
    (tmp_path / "bad.json").write_text("{")
    with pytest.raises(RulesError, match="not JSON"):
        load_rules(tmp_path / "bad.json")


def test_healthy_machine_gets_a(smart_report: Loader) -> None:
    health = judge_report(smart_report("sata-hdd_ok_wdc-WD3200AAJS.json"))
    grade = suggest_grade(load_rules(), [_disk(health)], OK_MEMORY, OK_CPU, [])
    assert grade.grade == "A"
    assert grade.rules_version == load_rules().version


def test_failed_disk_caps_at_c_and_is_destroyed(smart_report: Loader) -> None:
    rules = load_rules()
    health = judge_report(smart_report("usb-jmicron_FAIL_wdc-WD5000AAKS_67-pending.json"))
    disk = _disk(health)
    grade = suggest_grade(rules, [disk], OK_MEMORY, OK_CPU, [])
    assert disk.verdict == "fail" and rules.disk_actions[disk.verdict] == "destroy"
    assert grade.grade == "C"
    assert grade.reasons == [
        "a disk failed: it goes to destruction, the machine needs another (disks_fail 1: C at best)"
    ]


def test_failed_surface_scan_fails_a_disk_smart_calls_healthy(smart_report: Loader) -> None:
    health = judge_report(smart_report("sata-hdd_ok_wdc-WD3200AAJS.json"))
    assert _disk(health, surface="failed").verdict == "fail"


def test_unavailable_smart_is_never_pass(smart_report: Loader) -> None:
    health = judge_report(smart_report("usb-jmicron_no-data_exit2.json"))
    disk = _disk(health, surface="passed")
    assert disk.verdict == "unavailable"
    assert suggest_grade(load_rules(), [disk], OK_MEMORY, OK_CPU, []).grade == "B"


@pytest.mark.parametrize(("wear", "grade"), [(10.0, "A"), (41.0, "B"), (75.5, "C")])
def test_battery_wear_caps_the_grade(wear: float, grade: str) -> None:
    battery = BatteryWear(name="BAT0", wear_percent=wear)
    assert suggest_grade(load_rules(), [], OK_MEMORY, OK_CPU, [battery]).grade == grade


def test_worst_cap_wins(smart_report: Loader) -> None:
    health = judge_report(smart_report("usb-jmicron_FAIL_wdc-WD5000AAKS_67-pending.json"))
    memory = MemoryCheck(status="failed", errors=1)
    grade = suggest_grade(load_rules(), [_disk(health)], memory, OK_CPU, [])
    assert grade.grade == "parts"
    assert len(grade.reasons) == 2


def test_coordinator_rule_can_send_to_recycling(tmp_path: Path) -> None:
    path = tmp_path / "rules.json"
    rule = {
        "fact": "cpu_failed",
        "op": "==",
        "value": 1,
        "grade_at_best": "recycle",
        "reason": "dead board",
    }
    path.write_text(json.dumps({"version": "v2", "grade_rules": [rule]}))
    cpu = CpuCheck(status="failed", rounds=3, wrong_results=3)
    grade = suggest_grade(load_rules(path), [], OK_MEMORY, cpu, [])
    assert (grade.grade, grade.rules_version) == ("recycle", "v2")
