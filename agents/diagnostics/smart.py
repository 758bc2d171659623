"""SMART/NVMe health verdict from `smartctl --json -a` (or `-x`) output.

The verdict is pass / suspect / fail / unavailable, always with its reasons.
"unavailable" (SMART disabled, a USB bridge answering nothing, a virtual disk) is
never "pass". The overall PASSED flag alone is not trusted: a drive with pending
sectors fails even when the drive still rates itself PASSED.

Traps handled (each shown by a captured output in tests/fixtures/hardware/smartctl):
raw values read from `raw.string` ("138 (0 26)" is 138 sectors, while `raw.value`
holds a packed 48-bit field); a missing attribute 5/197/198 stays unknown (None),
never 0 and never a failure.

smartctl's exit status is a bit mask (smartctl(8), "RETURN VALUES"); the names
below are recorded in the result.
"""

from __future__ import annotations

import re
from typing import Any

from agents.diagnostics.errors import SmartJsonError
from agents.diagnostics.rules import SmartThresholds
from atelier_protocol.diagnostic import Reason, SmartHealth, Verdict

EXIT_BITS = (
    "command_line_error",  # 0: the command line did not parse
    "device_open_failed",  # 1: open failed, no IDENTIFY answer, or low-power mode
    "smart_command_failed",  # 2: a SMART/ATA command failed, or a checksum error
    "disk_failing",  # 3: SMART status "DISK FAILING"
    "prefail_below_threshold",  # 4: prefail attributes at or below their threshold now
    "below_threshold_in_past",  # 5: status OK but some attribute was at/below threshold before
    "error_log_has_errors",  # 6: the device error log has records
    "self_test_log_has_errors",  # 7: the self-test log has errors (newer extended tests aside)
)
NVME_WARNING_BITS = (
    "available spare below threshold",
    "temperature above or below threshold",
    "reliability degraded (media or internal errors)",
    "media in read-only mode",
    "volatile memory backup failed",
    "persistent memory region unreliable",
)
# Attributes whose normalized value is the percentage of rated life left.
LIFE_LEFT_ATTRIBUTES = {
    "Wear_Leveling_Count",
    "SSD_Life_Left",
    "Media_Wearout_Indicator",
    "Percent_Lifetime_Remain",
    "Remaining_Lifetime_Perc",
    "Perc_Rated_Life_Remain",
}
_LEADING_INT = re.compile(r"\s*(\d+)")


def exit_bits(status: int | None) -> list[str]:
    """Names of the bits set in a smartctl exit status."""
    if not status:
        return []
    return [name for bit, name in enumerate(EXIT_BITS) if status & (1 << bit)]


def raw_count(attribute: dict[str, Any]) -> int | None:
    """The raw value as smartctl prints it: the leading number of `raw.string`."""
    raw = attribute.get("raw") or {}
    text = raw.get("string")
    if isinstance(text, str):
        match = _LEADING_INT.match(text)
        return int(match.group(1)) if match else None
    value = raw.get("value")
    return value if isinstance(value, int) and value < 1 << 32 else None


def attributes(report: dict[str, Any]) -> dict[int, dict[str, Any]]:
    """The ATA SMART attribute table by attribute id ({} for NVMe or no data)."""
    table = (report.get("ata_smart_attributes") or {}).get("table") or []
    return {item["id"]: item for item in table if isinstance(item, dict) and "id" in item}


def _check_document(report: Any) -> dict[str, Any]:
    if not isinstance(report, dict) or "smartctl" not in report:
        raise SmartJsonError("not a smartctl --json report (no 'smartctl' object)")
    if "devices" in report and "device" not in report:
        raise SmartJsonError("this is `smartctl --scan` output, not the report of one device")
    return report


class _Judge:
    """Collects reasons and figures while reading one report."""

    def __init__(self, report: dict[str, Any], limits: SmartThresholds) -> None:
        self.report = report
        self.limits = limits
        self.reasons: list[Reason] = []
        self.figures: dict[str, Any] = {}

    def add(self, severity: str, code: str, message: str) -> None:
        self.reasons.append(Reason(code=code, severity=severity, message=message))  # type: ignore[arg-type]

    def has_data(self) -> bool:
        r = self.report
        return bool(
            r.get("smart_status") or attributes(r) or r.get("nvme_smart_health_information_log")
        )

    def unavailable_reason(self, bits: list[str]) -> str:
        messages = [m.get("string", "") for m in self.report["smartctl"].get("messages") or []]
        support = self.report.get("smart_support") or {}
        if support.get("available") is False:
            return "the drive does not support SMART"
        if support.get("enabled") is False:
            return "SMART is disabled on the drive"
        if messages:
            return "smartctl: " + "; ".join(m for m in messages if m)
        if not self.report.get("model_name"):
            return "the device (or its USB bridge) returned no identity and no SMART data"
        if "smart_command_failed" in bits:
            return "SMART commands failed"
        return "no SMART data in the report (SMART disabled or not supported)"


def _overall(judge: _Judge) -> None:
    status = judge.report.get("smart_status") or {}
    passed = status.get("passed")
    judge.figures["overall_passed"] = passed if isinstance(passed, bool) else None
    if passed is False:
        judge.add("fail", "overall_failed", "SMART overall-health self-assessment: FAILED")


def _counter(judge: _Judge, table: dict[int, dict[str, Any]], attr_id: int, figure: str) -> int:
    value = raw_count(table[attr_id]) if attr_id in table else None
    judge.figures[figure] = value
    return value or 0


def _sector_counters(judge: _Judge, table: dict[int, dict[str, Any]]) -> None:
    limits = judge.limits
    reallocated = _counter(judge, table, 5, "reallocated_sectors")
    pending = _counter(judge, table, 197, "pending_sectors")
    uncorrectable = _counter(judge, table, 198, "offline_uncorrectable")
    if pending > limits.pending_fail_above:
        judge.add("fail", "pending_sectors", f"{pending} pending sectors (attribute 197)")
    if uncorrectable > limits.offline_uncorrectable_fail_above:
        judge.add(
            "fail",
            "offline_uncorrectable",
            f"{uncorrectable} offline-uncorrectable sectors (attribute 198)",
        )
    message = f"{reallocated} reallocated sectors (attribute 5)"
    if reallocated > limits.reallocated_fail_above:
        judge.add(
            "fail", "reallocated_sectors", f"{message}, above {limits.reallocated_fail_above}"
        )
    elif reallocated > limits.reallocated_suspect_above:
        judge.add(
            "suspect", "reallocated_sectors", f"{message}, above {limits.reallocated_suspect_above}"
        )
    elif reallocated:
        judge.add("info", "reallocated_sectors", message)


def _thresholds(judge: _Judge, table: dict[int, dict[str, Any]]) -> None:
    for attr_id, item in sorted(table.items()):
        value, thresh = item.get("value"), item.get("thresh") or 0
        when = item.get("when_failed") or ""
        at_threshold = isinstance(value, int) and thresh > 0 and value <= thresh
        label = (
            f"attribute {attr_id} {item.get('name', '?')}: normalized {value}, threshold {thresh}"
        )
        if when == "now" or at_threshold:
            judge.add("fail", "attribute_failing", f"{label} (failing now)")
        elif when == "past":
            judge.add("suspect", "attribute_failed_past", f"{label} (was at threshold in the past)")


def _life_left(judge: _Judge, table: dict[int, dict[str, Any]]) -> None:
    candidates = [
        item["value"]
        for item in table.values()
        if item.get("name") in LIFE_LEFT_ATTRIBUTES
        and isinstance(item.get("value"), int)
        and 0 <= item["value"] <= 100
    ]
    for page in (judge.report.get("ata_device_statistics") or {}).get("pages") or []:
        for entry in page.get("table") or []:
            if entry.get("name") == "Percentage Used Endurance Indicator":
                candidates.append(max(0, 100 - int(entry.get("value") or 0)))
    if not candidates:
        return
    left = min(candidates)
    judge.figures["life_left_percent"] = left
    _wear_reason(judge, left)


def _wear_reason(judge: _Judge, left: int) -> None:
    limits = judge.limits
    if left < limits.life_left_fail_below:
        judge.add("fail", "worn_out", f"{left}% of rated life left")
    elif left < limits.life_left_suspect_below:
        judge.add("suspect", "wearing_out", f"{left}% of rated life left")
    else:
        judge.add("info", "life_left", f"{left}% of rated life left")


def _ata(judge: _Judge) -> None:
    table = attributes(judge.report)
    if not table:
        return
    _sector_counters(judge, table)
    _thresholds(judge, table)
    _life_left(judge, table)
    log = judge.report.get("ata_smart_error_log") or {}
    errors = (log.get("extended") or log.get("summary") or {}).get("count")
    if isinstance(errors, int):
        judge.figures["error_log_entries"] = errors
        limit = judge.limits.error_log_suspect_above
        if limit is not None and errors > limit:
            judge.add("suspect", "error_log", f"{errors} errors in the drive's ATA error log")


def _nvme_warning(judge: _Judge, warning: int) -> None:
    judge.figures["critical_warning"] = warning
    if warning:
        names = [name for bit, name in enumerate(NVME_WARNING_BITS) if warning & (1 << bit)]
        judge.add(
            "fail",
            "nvme_critical_warning",
            f"NVMe critical warning 0x{warning:02x}: {', '.join(names) or 'reserved bits'}",
        )


def _nvme(judge: _Judge) -> None:
    log = judge.report.get("nvme_smart_health_information_log")
    if not log:
        return
    limits, figures = judge.limits, judge.figures
    _nvme_warning(judge, int(log.get("critical_warning") or 0))
    media = figures["media_errors"] = log.get("media_errors")
    if media:
        judge.add("fail", "media_errors", f"{media} media and data integrity errors")
    used = figures["percentage_used"] = log.get("percentage_used")
    if isinstance(used, int):
        figures["life_left_percent"] = max(0, 100 - used)
        if used >= limits.percentage_used_fail_at:
            judge.add("fail", "worn_out", f"{used}% of rated endurance used")
        elif used >= limits.percentage_used_suspect_at:
            judge.add("suspect", "wearing_out", f"{used}% of rated endurance used")
        else:
            judge.add("info", "percentage_used", f"{used}% of rated endurance used")
    spare = figures["available_spare"] = log.get("available_spare")
    floor = figures["available_spare_threshold"] = log.get("available_spare_threshold")
    if isinstance(spare, int) and isinstance(floor, int) and spare < floor:
        judge.add("fail", "spare_below_threshold", f"available spare {spare}% below {floor}%")
    entries = figures["error_log_entries"] = log.get("num_err_log_entries")
    if entries:  # often host-side aborts: worth showing, not a failure by itself
        judge.add("info", "nvme_error_log", f"{entries} entries in the NVMe error log")


def _self_test_log(judge: _Judge, bits: list[str]) -> None:
    log = judge.report.get("ata_smart_self_test_log") or {}
    section = log.get("extended") or log.get("standard") or {}
    failed = [
        entry
        for entry in section.get("table") or []
        if (entry.get("status") or {}).get("passed") is False
    ]
    counted = (section.get("error_count_total") or 0) - (section.get("error_count_outdated") or 0)
    if failed and counted > 0:
        last = failed[0]
        where = f" at LBA {last['lba']}" if "lba" in last else ""
        judge.add(
            "fail",
            "self_test_failed",
            f"self-test log: {last['status'].get('string', 'failed')}{where} "
            f"({last.get('lifetime_hours', '?')} h)",
        )
    elif "self_test_log_has_errors" in bits:
        judge.add("fail", "self_test_failed", "smartctl reports errors in the self-test log")


def _exit_status_reasons(judge: _Judge, bits: list[str]) -> None:
    codes = {reason.code for reason in judge.reasons}
    if "disk_failing" in bits and "overall_failed" not in codes:
        judge.add("fail", "overall_failed", "smartctl: SMART status DISK FAILING")
    if "prefail_below_threshold" in bits and "attribute_failing" not in codes:
        judge.add("fail", "attribute_failing", "smartctl: prefail attribute at or below threshold")
    if "below_threshold_in_past" in bits and "attribute_failed_past" not in codes:
        judge.add("suspect", "attribute_failed_past", "an attribute was at threshold in the past")


def _identity(report: dict[str, Any], status: int | None, bits: list[str]) -> dict[str, Any]:
    device = report.get("device") or {}
    temperature = (report.get("temperature") or {}).get("current")
    return {
        "device_type": device.get("type"),
        "protocol": device.get("protocol"),
        "model": report.get("model_name"),
        "serial": report.get("serial_number"),
        "smartctl_exit_status": status,
        "smartctl_exit_bits": bits,
        "power_on_hours": (report.get("power_on_time") or {}).get("hours"),
        "temperature_celsius": temperature if isinstance(temperature, int) else None,
    }


def _verdict(reasons: list[Reason]) -> Verdict:
    severities = {reason.severity for reason in reasons}
    return "fail" if "fail" in severities else "suspect" if "suspect" in severities else "pass"


def judge_report(report: Any, limits: SmartThresholds | None = None) -> SmartHealth:
    """Judge one device's smartctl --json report; SmartJsonError if it is not one."""
    report = _check_document(report)
    status = report["smartctl"].get("exit_status")
    bits = exit_bits(status)
    judge = _Judge(report, limits or SmartThresholds())  # type: ignore[call-arg]
    identity = _identity(report, status, bits)
    if not judge.has_data() or {"command_line_error", "device_open_failed"} & set(bits):
        judge.add("info", "smart_unavailable", judge.unavailable_reason(bits))
        identity["power_on_hours"] = None
        return SmartHealth(verdict="unavailable", reasons=judge.reasons, **identity)
    _overall(judge)
    _ata(judge)
    _nvme(judge)
    _self_test_log(judge, bits)
    _exit_status_reasons(judge, bits)
    if identity["power_on_hours"] is not None:
        judge.add("info", "power_on_hours", f"{identity['power_on_hours']} power-on hours")
    verdict = _verdict(judge.reasons)
    return SmartHealth(verdict=verdict, reasons=judge.reasons, **identity, **judge.figures)
