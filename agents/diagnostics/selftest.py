"""The drive's short self-test: start it with `smartctl -t short`, poll, read the result.

Skipped, with the reason, when the drive does not report self-test support,
when SMART is unavailable, or for virtual disks (loop, virtio). The wait is
bounded: past the limit the test is aborted (`smartctl -X`) and recorded as
"timeout". Progress is read from `smartctl --json -c -l selftest`:
ATA `ata_smart_data.self_test.status` (high nibble 15 = in progress), NVMe
`nvme_self_test_log.current_self_test_operation` (0 = none running).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from agents.inventory.tools import ToolRunner
from atelier_protocol.diagnostic import SelfTest, SmartHealth

VIRTUAL_TRANSPORTS = {"loop", "virtio"}
POLL_SECONDS = 5.0
SMARTCTL_TIMEOUT = 30.0
# ATA self-test status, high nibble (ATA8-ACS SMART self-test log): 0 ok, 1 aborted by host,
# 2 interrupted by reset, 3-8 failures, 15 in progress.
_ATA_FAILED = range(3, 9)
_ATA_IN_PROGRESS = 15


def supports_self_test(report: dict[str, Any]) -> bool:
    """Whether the smartctl report says a self-test can run on this drive."""
    capabilities = (report.get("ata_smart_data") or {}).get("capabilities") or {}
    if capabilities.get("self_tests_supported"):
        return True
    return "nvme_self_test_log" in report


def skip_reason(transport: str | None, health: SmartHealth, report: dict[str, Any] | None) -> str:
    """Why the self-test cannot run, or "" when it can."""
    if transport in VIRTUAL_TRANSPORTS:
        return f"{transport} disk: virtual, no SMART self-test"
    if health.verdict == "unavailable" or report is None:
        return "SMART unavailable"
    if not supports_self_test(report):
        return "the drive does not report self-test support"
    return ""


def _ata_state(report: dict[str, Any]) -> tuple[bool, SelfTest | None]:
    status = ((report.get("ata_smart_data") or {}).get("self_test") or {}).get("status") or {}
    value = status.get("value")
    if not isinstance(value, int):
        return False, None
    if value >> 4 == _ATA_IN_PROGRESS:
        return True, None
    text = status.get("string")
    if value >> 4 == 0:
        return False, SelfTest(status="passed", reason=text)
    if value >> 4 in _ATA_FAILED:
        log = (report.get("ata_smart_self_test_log") or {}).get("standard") or {}
        newest = (log.get("table") or [{}])[0]
        return False, SelfTest(status="failed", reason=text, failing_lba=newest.get("lba"))
    return False, SelfTest(status="aborted", reason=text)


def _nvme_state(report: dict[str, Any]) -> tuple[bool, SelfTest | None]:
    log = report.get("nvme_self_test_log") or {}
    operation = (log.get("current_self_test_operation") or {}).get("value")
    if operation:
        return True, None
    newest = (log.get("table") or [None])[0]
    if not newest:
        return False, None
    result = (newest.get("self_test_result") or {}).get("value")
    text = (newest.get("self_test_result") or {}).get("string")
    if result == 0:
        return False, SelfTest(status="passed", reason=text)
    if result in (1, 2, 3):  # aborted by command, by reset, by namespace removal
        return False, SelfTest(status="aborted", reason=text)
    return False, SelfTest(status="failed", reason=text, failing_lba=newest.get("lba"))


def read_progress(report: dict[str, Any]) -> tuple[bool, SelfTest | None]:
    """(running, result) from a `smartctl --json -c -l selftest` report."""
    if "nvme_self_test_log" in report:
        return _nvme_state(report)
    return _ata_state(report)


def _smartctl_json(runner: ToolRunner, argv: list[str]) -> dict[str, Any] | None:
    output = runner.run(argv, SMARTCTL_TIMEOUT, ok_codes=None)
    try:
        data = json.loads(output) if output else None
    except json.JSONDecodeError:
        return None
    return data if isinstance(data, dict) else None


def run_short_self_test(
    device: str,
    runner: ToolRunner,
    *,
    limit_seconds: float,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> SelfTest:
    """Start a short self-test on `device` and wait for its result, at most `limit_seconds`."""
    started = _smartctl_json(runner, ["smartctl", "--json", "-t", "short", device])
    if started is None:
        return SelfTest(status="skipped", reason="smartctl could not start the self-test")
    if started.get("smartctl", {}).get("exit_status", 0) & 0b110:
        messages = [m.get("string", "") for m in started["smartctl"].get("messages") or []]
        return SelfTest(status="skipped", reason="; ".join(messages) or "self-test refused")
    deadline = clock() + limit_seconds
    while True:
        report = _smartctl_json(runner, ["smartctl", "--json", "-c", "-l", "selftest", device])
        running, result = read_progress(report or {})
        if not running:
            return result or SelfTest(status="skipped", reason="no self-test result reported")
        if clock() >= deadline:
            runner.run(["smartctl", "-X", device], SMARTCTL_TIMEOUT, ok_codes=None)
            return SelfTest(
                status="timeout", reason=f"still running after {limit_seconds:g} s: aborted"
            )
        sleep(POLL_SECONDS)
