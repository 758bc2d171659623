"""Disk verdicts combined, and the grade suggestion drawn from the rules file."""

from __future__ import annotations

from collections.abc import Sequence

from agents.diagnostics.rules import Rules, grade_by_rules
from atelier_protocol.diagnostic import (
    BatteryWear,
    CpuCheck,
    DiskDiagnostic,
    GradeSuggestion,
    MemoryCheck,
    SelfTest,
    SmartHealth,
    SurfaceScan,
)
from atelier_protocol.reasons import say


def disk_verdict(health: SmartHealth, self_test: SelfTest, surface: SurfaceScan) -> str:
    """Worst of the three: a failed self-test or surface scan fails the disk.

    A self-test that was skipped, aborted or timed out proves nothing either way,
    and SMART "unavailable" stays unavailable whatever else passed.
    """
    if "failed" in (self_test.status, surface.status) or health.verdict == "fail":
        return "fail"
    return health.verdict


def grade_facts(
    disks: Sequence[DiskDiagnostic],
    memory: MemoryCheck,
    cpu: CpuCheck,
    batteries: Sequence[BatteryWear],
) -> dict[str, float | None]:
    """The named facts the grade rules test (see rules.FACTS)."""
    wear = [b.wear_percent for b in batteries if b.wear_percent is not None]
    hours = [d.health.power_on_hours for d in disks if d.health.power_on_hours is not None]
    verdicts = [d.verdict for d in disks]
    return {
        "disks": len(disks),
        "disks_fail": verdicts.count("fail"),
        "disks_suspect": verdicts.count("suspect"),
        "disks_unavailable": verdicts.count("unavailable"),
        "memory_failed": int(memory.status == "failed"),
        "cpu_failed": int(cpu.status == "failed"),
        "battery_wear_max": max(wear) if wear else None,
        "power_on_hours_max": max(hours) if hours else None,
    }


def suggest_grade(
    rules: Rules,
    disks: Sequence[DiskDiagnostic],
    memory: MemoryCheck,
    cpu: CpuCheck,
    batteries: Sequence[BatteryWear],
) -> GradeSuggestion:
    """Apply the rules to this run's facts."""
    grade, said = grade_by_rules(rules, grade_facts(disks, memory, cpu, batteries))
    said = said or [say("grade.no_rule")]
    return GradeSuggestion(
        grade=grade,  # type: ignore[arg-type]
        reasons=[reason.english() for reason in said],
        said=said,
        rules_version=rules.version,
        rules_source=rules.source,
    )
