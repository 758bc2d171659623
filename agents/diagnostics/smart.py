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
from atelier_protocol.reasons import Message, say

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

    def add(self, severity: str, code: str, said: Message) -> None:
        self.reasons.append(
            Reason(code=code, severity=severity, message=said.english(), said=said)  # type: ignore[arg-type]
        )

    def has_data(self) -> bool:
        r = self.report
        return bool(
            r.get("smart_status") or attributes(r) or r.get("nvme_smart_health_information_log")
        )

    def unavailable_reason(self, bits: list[str]) -> Message:
        messages = [m.get("string", "") for m in self.report["smartctl"].get("messages") or []]
        support = self.report.get("smart_support") or {}
        if support.get("available") is False:
            return say("smart.not_supported")
        if support.get("enabled") is False:
            return say("smart.disabled")
        if messages:
            return say("smart.tool_said", tool_message="; ".join(m for m in messages if m))
        if not self.report.get("model_name"):
            return say("smart.no_identity")
        if "smart_command_failed" in bits:
            return say("smart.commands_failed")
        return say("smart.no_data")


def _overall(judge: _Judge) -> None:
    status = judge.report.get("smart_status") or {}
    passed = status.get("passed")
    judge.figures["overall_passed"] = passed if isinstance(passed, bool) else None
    if passed is False:
        judge.add("fail", "overall_failed", say("smart.overall_failed"))


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
        judge.add("fail", "pending_sectors", say("smart.pending", count=pending))
    if uncorrectable > limits.offline_uncorrectable_fail_above:
        judge.add("fail", "offline_uncorrectable", say("smart.uncorrectable", count=uncorrectable))
    above = "smart.reallocated_above"
    if reallocated > limits.reallocated_fail_above:
        limit = limits.reallocated_fail_above
        judge.add("fail", "reallocated_sectors", say(above, count=reallocated, limit=limit))
    elif reallocated > limits.reallocated_suspect_above:
        limit = limits.reallocated_suspect_above
        judge.add("suspect", "reallocated_sectors", say(above, count=reallocated, limit=limit))
    elif reallocated:
        judge.add("info", "reallocated_sectors", say("smart.reallocated", count=reallocated))


def _thresholds(judge: _Judge, table: dict[int, dict[str, Any]]) -> None:
    for attr_id, item in sorted(table.items()):
        value, thresh = item.get("value"), item.get("thresh") or 0
        when = item.get("when_failed") or ""
        at_threshold = isinstance(value, int) and thresh > 0 and value <= thresh
        label = {"id": attr_id, "name": str(item.get("name", "?")), "value": str(value)}
        label["thresh"] = thresh
        if when == "now" or at_threshold:
            judge.add("fail", "attribute_failing", say("smart.attribute_failing", **label))
        elif when == "past":
            said = say("smart.attribute_failed_past", **label)
            judge.add("suspect", "attribute_failed_past", said)


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
        judge.add("fail", "worn_out", say("smart.life_left", left=left))
    elif left < limits.life_left_suspect_below:
        judge.add("suspect", "wearing_out", say("smart.life_left", left=left))
    else:
        judge.add("info", "life_left", say("smart.life_left", left=left))


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
            judge.add("suspect", "error_log", say("smart.ata_error_log", count=errors))


def _nvme_warning(judge: _Judge, warning: int) -> None:
    judge.figures["critical_warning"] = warning
    if warning:
        names = [name for bit, name in enumerate(NVME_WARNING_BITS) if warning & (1 << bit)]
        said = say(
            "smart.nvme_critical_warning",
            code=f"0x{warning:02x}",
            names=", ".join(names) or "reserved bits",
        )
        judge.add("fail", "nvme_critical_warning", said)


def _nvme(judge: _Judge) -> None:
    log = judge.report.get("nvme_smart_health_information_log")
    if not log:
        return
    limits, figures = judge.limits, judge.figures
    _nvme_warning(judge, int(log.get("critical_warning") or 0))
    media = figures["media_errors"] = log.get("media_errors")
    if media:
        judge.add("fail", "media_errors", say("smart.media_errors", count=media))
    used = figures["percentage_used"] = log.get("percentage_used")
    if isinstance(used, int):
        figures["life_left_percent"] = max(0, 100 - used)
        if used >= limits.percentage_used_fail_at:
            judge.add("fail", "worn_out", say("smart.endurance_used", used=used))
        elif used >= limits.percentage_used_suspect_at:
            judge.add("suspect", "wearing_out", say("smart.endurance_used", used=used))
        else:
            judge.add("info", "percentage_used", say("smart.endurance_used", used=used))
    spare = figures["available_spare"] = log.get("available_spare")
    floor = figures["available_spare_threshold"] = log.get("available_spare_threshold")
    if isinstance(spare, int) and isinstance(floor, int) and spare < floor:
        judge.add("fail", "spare_below_threshold", say("smart.spare_low", spare=spare, floor=floor))
    entries = figures["error_log_entries"] = log.get("num_err_log_entries")
    if entries:  # often host-side aborts: worth showing, not a failure by itself
        judge.add("info", "nvme_error_log", say("smart.nvme_error_log", count=entries))


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
        found = {"status": str(last["status"].get("string", "failed"))}
        found["hours"] = str(last.get("lifetime_hours", "?"))
        if "lba" in last:
            said = say("smart.self_test_failed_at", lba=last["lba"], **found)
        else:
            said = say("smart.self_test_failed", **found)
        judge.add("fail", "self_test_failed", said)
    elif "self_test_log_has_errors" in bits:
        judge.add("fail", "self_test_failed", say("smart.self_test_log_errors"))


def _exit_status_reasons(judge: _Judge, bits: list[str]) -> None:
    codes = {reason.code for reason in judge.reasons}
    if "disk_failing" in bits and "overall_failed" not in codes:
        judge.add("fail", "overall_failed", say("smart.disk_failing"))
    if "prefail_below_threshold" in bits and "attribute_failing" not in codes:
        judge.add("fail", "attribute_failing", say("smart.prefail_threshold"))
    if "below_threshold_in_past" in bits and "attribute_failed_past" not in codes:
        judge.add("suspect", "attribute_failed_past", say("smart.threshold_past"))


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
        judge.add(
            "info", "power_on_hours", say("smart.power_on_hours", hours=identity["power_on_hours"])
        )
    verdict = _verdict(judge.reasons)
    return SmartHealth(verdict=verdict, reasons=judge.reasons, **identity, **judge.figures)
