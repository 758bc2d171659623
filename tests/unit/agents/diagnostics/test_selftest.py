"""The short self-test: support, skips, polling, results, bounded wait.

No capture of a self-test *in progress* exists in the fixtures; the polled
documents below carry only the fields smartctl documents for it
(`ata_smart_data.self_test.status`, `nvme_self_test_log.current_self_test_operation`).
Support is judged on the real captured reports.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from agents.diagnostics.selftest import read_progress, run_short_self_test, skip_reason
from agents.diagnostics.smart import judge_report
from agents.inventory.tools import ToolRunner

Loader = Callable[[str], dict[str, Any]]


class ScriptedSmartctl(ToolRunner):
    """Answers each smartctl call with the next scripted document; records the calls."""

    def __init__(self, answers: Sequence[dict[str, Any] | None]) -> None:
        super().__init__()
        self.answers = list(answers)
        self.calls: list[list[str]] = []

    def run(self, argv: list[str], timeout: float, ok_codes: Any = (0,)) -> str | None:
        self.calls.append(argv)
        answer = self.answers.pop(0) if self.answers else None
        return json.dumps(answer) if answer is not None else None


def _ata(status: int, string: str, log: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "smartctl": {"exit_status": 0},
        "ata_smart_data": {"self_test": {"status": {"value": status, "string": string}}},
    }
    if log is not None:
        doc["ata_smart_self_test_log"] = {"standard": {"table": log}}
    return doc


STARTED = {"smartctl": {"exit_status": 0}}


class Clock:
    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def _run(runner: ScriptedSmartctl, limit: float = 300.0) -> Any:
    clock = Clock()
    return run_short_self_test(
        "/dev/sdb", runner, limit_seconds=limit, sleep=clock.sleep, clock=clock
    ), clock


def test_passed_after_polling_while_in_progress() -> None:
    runner = ScriptedSmartctl(
        [STARTED, _ata(0xF9, "in progress, 90% remaining"), _ata(0xF2, "20%"), _ata(0, "completed")]
    )
    result, clock = _run(runner)
    assert result.status == "passed"
    assert runner.calls[0] == ["smartctl", "--json", "-t", "short", "/dev/sdb"]
    assert runner.calls[1] == ["smartctl", "--json", "-c", "-l", "selftest", "/dev/sdb"]
    assert len(clock.sleeps) == 2


def test_read_failure_gives_failed_with_the_lba() -> None:
    log = [{"status": {"value": 0x79, "string": "Completed: read failure"}, "lba": 618079447}]
    runner = ScriptedSmartctl([STARTED, _ata(0x79, "read failure", log)])
    result, _ = _run(runner)
    assert (result.status, result.failing_lba) == ("failed", 618079447)


def test_timeout_aborts_the_test() -> None:
    runner = ScriptedSmartctl([STARTED] + [_ata(0xF5, "in progress")] * 10)
    result, clock = _run(runner, limit=12)
    assert result.status == "timeout"
    assert runner.calls[-1] == ["smartctl", "-X", "/dev/sdb"]
    assert clock.now >= 12


def test_refused_start_is_skipped_with_smartctl_message() -> None:
    refused = {"smartctl": {"exit_status": 4, "messages": [{"string": "command failed"}]}}
    result, _ = _run(ScriptedSmartctl([refused]))
    assert (result.status, result.reason) == ("skipped", "command failed")


def test_host_abort_is_not_a_failure() -> None:
    result, _ = _run(ScriptedSmartctl([STARTED, _ata(0x21, "Interrupted (host reset)")]))
    assert result.status == "aborted"


def test_nvme_progress_and_result() -> None:
    running = {"nvme_self_test_log": {"current_self_test_operation": {"value": 1}}}
    done = {
        "nvme_self_test_log": {
            "current_self_test_operation": {"value": 0},
            "table": [{"self_test_result": {"value": 7, "string": "Failed segment"}, "lba": 42}],
        }
    }
    assert read_progress(running) == (True, None)
    running_flag, result = read_progress(done)
    assert not running_flag and result is not None
    assert (result.status, result.failing_lba) == ("failed", 42)


def test_skip_reasons_from_real_reports(smart_report: Loader) -> None:
    wdc = smart_report("sata-hdd_ok_wdc-WD3200AAJS.json")
    kingston = smart_report("sata-ssd_ok_kingston-SA400S37480G_no-realloc-attr.json")
    silent = smart_report("usb-jmicron_no-data_exit2.json")
    assert skip_reason("sata", judge_report(wdc), wdc) == ""
    assert skip_reason("sata", judge_report(kingston), kingston) == (
        "the drive does not report self-test support"
    )
    assert skip_reason("usb", judge_report(silent), silent) == "SMART unavailable"
    assert skip_reason("virtio", judge_report(wdc), wdc) == (
        "virtio disk: virtual, no SMART self-test"
    )
