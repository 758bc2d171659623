"""Readable text of a diagnostic result and of a judged smartctl report."""

from __future__ import annotations

from atelier_protocol.diagnostic import (
    CpuCheck,
    DiagnosticResult,
    DiskDiagnostic,
    MemoryCheck,
    SelfTest,
    SmartHealth,
    SurfaceScan,
)


def _size(size: int | None) -> str:
    if not size:
        return "-"
    value = float(size)
    for unit in ("B", "kB", "MB", "GB", "TB"):
        if value < 1000 or unit == "TB":
            return f"{value:.1f} {unit}" if unit != "B" else f"{size} B"
        value /= 1000
    return f"{size} B"


def health_lines(health: SmartHealth, indent: str = "  ") -> list[str]:
    """One line per reason, then smartctl's exit status and its bits."""
    lines = [f"{indent}{r.severity:<8} {r.message}" for r in health.reasons]
    if health.smartctl_exit_status is not None:
        bits = ", ".join(health.smartctl_exit_bits) or "none"
        lines.append(f"{indent}smartctl exit status {health.smartctl_exit_status} (bits: {bits})")
    return lines


def _check(name: str, check: SelfTest | SurfaceScan) -> str:
    text = f"{name}: {check.status}"
    if isinstance(check, SurfaceScan) and check.status != "skipped":
        text += f", {_size(check.bytes_read)} read"
        if check.mb_per_s is not None:
            text += f" at {check.mb_per_s:g} MB/s"
    if isinstance(check, SurfaceScan) and check.first_failing_lba is not None:
        text += f", first unreadable LBA {check.first_failing_lba}"
    if isinstance(check, SelfTest) and check.failing_lba is not None:
        text += f", failing LBA {check.failing_lba}"
    return text + (f" ({check.reason})" if check.reason else "")


def disk_lines(disk: DiskDiagnostic) -> list[str]:
    """The block of one disk."""
    head = f"  {disk.path}  {disk.transport or '-'}  {_size(disk.size_bytes)}  {disk.model or '-'}"
    lines = [head, f"    verdict {disk.verdict.upper()}; action: {disk.action or '-'}"]
    lines.append(f"    SMART: {disk.health.verdict}")
    lines += health_lines(disk.health, "      ")
    lines.append("    " + _check("self-test", disk.self_test))
    lines.append("    " + _check("surface scan", disk.surface_scan))
    return lines


def _memory(check: MemoryCheck) -> str:
    text = f"  RAM: {check.status}"
    if check.bytes_tested:
        text += f", {check.bytes_tested >> 20} MiB, patterns {' '.join(check.patterns)}"
    if check.seconds is not None:
        text += f" ({check.seconds:g} s)"
    return text + (f": {check.reason}" if check.reason else "")


def _cpu(check: CpuCheck) -> str:
    text = f"  CPU: {check.status}"
    if check.rounds:
        text += (
            f", {check.workers} threads for {check.seconds:g} s, {check.rounds} SHA-256 rounds"
            f" ({check.mb_per_s:g} MB/s), {check.wrong_results} wrong"
        )
    return text + (f": {check.reason}" if check.reason else "")


def render_result(result: DiagnosticResult) -> str:
    """The whole run as text."""
    lines = ["Disks"]
    for disk in result.disks:
        lines += disk_lines(disk)
    if not result.disks:
        lines.append("  (none)")
    lines += ["", "Machine", _memory(result.memory), _cpu(result.cpu)]
    for battery in result.batteries:
        wear = "-" if battery.wear_percent is None else f"{battery.wear_percent:g}%"
        lines.append(f"  Battery {battery.name} {battery.model or ''}: wear {wear}")
    if not result.batteries:
        lines.append("  Batteries: none")
    grade = result.grade
    lines += [
        "",
        f"Grade suggestion: {grade.grade} (rules {grade.rules_version}, {grade.rules_source})",
    ]
    lines += [f"  - {reason}" for reason in grade.reasons]
    if result.notes:
        lines += ["", "Notes"] + [f"  - {note}" for note in result.notes]
    return "\n".join(lines) + "\n"


def render_health(source: str, health: SmartHealth, action: str | None) -> str:
    """A judged smartctl report as text."""
    what = ", ".join(x for x in (health.model, health.device_type) if x)
    lines = [f"{source}: {health.verdict.upper()}" + (f" ({what})" if what else "")]
    lines += health_lines(health)
    lines.append(f"  action: {action or '-'}")
    return "\n".join(lines) + "\n"
