"""One diagnostic run: the machine's checks, then every disk in parallel, then the grade.

Per disk: `smartctl --json -x` judged by agents.diagnostics.smart, the short
self-test when possible, the surface scan when asked. Nothing here writes to a
disk; the self-test runs inside the drive.
"""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from agents.diagnostics.errors import SmartJsonError
from agents.diagnostics.grading import disk_verdict, suggest_grade
from agents.diagnostics.machine import MiB, check_cpu, check_memory, read_batteries
from agents.diagnostics.rules import Rules, SmartThresholds
from agents.diagnostics.selftest import VIRTUAL_TRANSPORTS, run_short_self_test, skip_reason
from agents.diagnostics.smart import judge_report
from agents.diagnostics.surface import scan_device
from agents.inventory.disks import Disk
from agents.inventory.tools import ToolRunner
from agents.wipe.passes import Progress
from atelier_protocol.diagnostic import (
    SCHEMA_VERSION,
    DiagnosticResult,
    DiskDiagnostic,
    HostInfo,
    Reason,
    SelfTest,
    SmartHealth,
    SurfaceScan,
)
from atelier_protocol.reasons import say

SMARTCTL_TIMEOUT = 30.0


@dataclass
class Options:
    """What the technician asked for (defaults: everything but the surface scan)."""

    self_test: bool = True
    self_test_limit: float = 300.0
    surface: bool = False
    ram_bytes: int = 256 * MiB
    ram_time_limit: float = 60.0
    cpu_seconds: float = 10.0
    sys_root: str = "/sys"
    say: Callable[[str], None] = field(default=lambda line: None)
    progress: Progress | None = None  # the surface scan's, for a live display


def read_smart(
    disk: Disk, runner: ToolRunner, limits: SmartThresholds
) -> tuple[SmartHealth, dict[str, Any] | None]:
    """Run smartctl on the disk and judge it; unavailable (with the reason) when it cannot."""
    output = runner.run(["smartctl", "--json", "-x", disk.path], SMARTCTL_TIMEOUT, ok_codes=None)
    report: Any = None
    try:
        report = json.loads(output) if output else None
        if report is not None:
            health = judge_report(report, limits)
            return _virtual_note(health, disk), report
    except json.JSONDecodeError:
        why = say("smart.not_json")
    except SmartJsonError as error:
        why = say("note.text", text=error.message)
    else:
        why = say("note.text", text=runner.notes[-1]) if runner.notes else say("smart.no_output")
    reason = Reason(code="smart_unavailable", severity="info", message=why.english(), said=why)
    return _virtual_note(SmartHealth(verdict="unavailable", reasons=[reason]), disk), None


def _virtual_note(health: SmartHealth, disk: Disk) -> SmartHealth:
    if health.verdict != "unavailable" or disk.transport not in VIRTUAL_TRANSPORTS:
        return health
    said = say("smart.virtual", transport=disk.transport)
    note = Reason(code="virtual_disk", severity="info", message=said.english(), said=said)
    return health.model_copy(update={"reasons": [note, *health.reasons]})


def diagnose_disk(disk: Disk, options: Options, rules: Rules) -> DiskDiagnostic:
    """Health, self-test and surface scan of one disk."""
    runner = ToolRunner()
    health, report = read_smart(disk, runner, rules.smart)
    options.say(f"{disk.name}: SMART {health.verdict}")
    skip = "--no-self-test given"
    if options.self_test:
        skip = skip_reason(disk.transport, health, report)
    if skip:
        self_test = SelfTest(status="skipped", reason=skip)
    else:
        options.say(f"{disk.name}: short self-test running (at most {options.self_test_limit:g} s)")
        self_test = run_short_self_test(disk.path, runner, limit_seconds=options.self_test_limit)
    if options.surface:
        options.say(f"{disk.name}: surface scan of {disk.size_bytes} bytes")
        surface = scan_device(
            disk.path, disk.size_bytes, disk.logical_sector_size, progress=options.progress
        )
    else:
        surface = SurfaceScan(status="skipped", reason="not asked: use --surface")
    verdict = disk_verdict(health, self_test, surface)
    return DiskDiagnostic(
        name=disk.name,
        path=disk.path,
        model=health.model or disk.model,
        serial=health.serial or disk.serial,
        transport=disk.transport,
        size_bytes=disk.size_bytes,
        health=health,
        self_test=self_test,
        surface_scan=surface,
        verdict=verdict,  # type: ignore[arg-type]
        action=rules.disk_actions.get(verdict),  # type: ignore[call-overload]
    )


def diagnose_disks(disks: list[Disk], options: Options, rules: Rules) -> list[DiskDiagnostic]:
    """Every disk in its own thread: a slow bridge or self-test does not hold the others."""
    results: dict[str, DiskDiagnostic] = {}

    def work(disk: Disk) -> None:
        results[disk.name] = diagnose_disk(disk, options, rules)

    threads = [threading.Thread(target=work, args=(disk,), daemon=True) for disk in disks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return [results[disk.name] for disk in disks]


def _host() -> HostInfo:
    from agents.wipe.device import host_identity  # noqa: PLC0415

    host = host_identity()
    return HostInfo(hostname=host.hostname, system_serial=host.system_serial)


def diagnose(disks: list[Disk], options: Options, rules: Rules) -> DiagnosticResult:
    """Run the machine checks, then the disks, and suggest a grade."""
    from agents.inventory.collect import agent_version  # noqa: PLC0415

    started = datetime.now(UTC)
    options.say(f"RAM pattern test over {options.ram_bytes // MiB} MiB")
    memory = check_memory(options.ram_bytes, time_limit=options.ram_time_limit)
    options.say(f"CPU check for {options.cpu_seconds:g} s on every core")
    cpu = check_cpu(options.cpu_seconds)
    batteries, notes = read_batteries(options.sys_root)
    disk_results = diagnose_disks(disks, options, rules)
    if not disks:
        notes.append("no disk found")
    return DiagnosticResult(
        schema_version=SCHEMA_VERSION,
        diagnostic_id=str(uuid.uuid4()),
        agent_version=agent_version(),
        started_at=started,
        ended_at=datetime.now(UTC),
        host=_host(),
        disks=disk_results,
        memory=memory,
        cpu=cpu,
        batteries=batteries,
        grade=suggest_grade(rules, disk_results, memory, cpu, batteries),
        notes=notes,
    )
