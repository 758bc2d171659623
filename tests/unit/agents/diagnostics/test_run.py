"""A whole diagnostic run without hardware: smartctl answers replayed from real captures."""

from __future__ import annotations

from pathlib import Path

import pytest

from agents.diagnostics import run as run_module
from agents.diagnostics.render import render_result
from agents.diagnostics.rules import load_rules
from agents.diagnostics.run import Options, diagnose
from atelier_protocol.diagnostic import DiagnosticResult, parse_diagnostic
from tests.helpers.smartctl_replay import ReplaySmartctl, replay_disk


@pytest.fixture
def result(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> DiagnosticResult:
    monkeypatch.setattr(run_module, "ToolRunner", ReplaySmartctl)
    disks = [replay_disk("sdb", "usb"), replay_disk("sdc", "sata"), replay_disk("vda", "virtio")]
    options = Options(self_test=False, ram_bytes=4 << 20, cpu_seconds=0.1, sys_root=str(tmp_path))
    return diagnose(disks, options, load_rules())


def test_each_disk_gets_its_verdict_and_action(result: DiagnosticResult) -> None:
    verdicts = {d.name: (d.verdict, d.action, d.model) for d in result.disks}
    assert verdicts == {
        "sdb": ("fail", "destroy", "WDC WD5000AAKS-00UU3A0"),
        "sdc": ("pass", "reuse", "Samsung SSD 860 EVO 500GB"),
        "vda": ("unavailable", "check by hand (surface scan)", None),
    }
    assert {d.self_test.status for d in result.disks} == {"skipped"}


def test_grade_takes_the_worst_rule_and_records_the_rules(result: DiagnosticResult) -> None:
    assert result.grade.grade == "C"
    assert result.grade.rules_version == load_rules().version
    assert len(result.grade.reasons) == 2  # a disk failed; a disk's health unknown


def test_result_round_trips_through_the_wire_format(result: DiagnosticResult) -> None:
    again = parse_diagnostic(result.model_dump_json())
    assert again.disks[0].health.pending_sectors == 67
    assert again.memory.status == "passed" and again.cpu.status == "passed"


def test_text_report(result: DiagnosticResult) -> None:
    text = render_result(result)
    assert "  /dev/sdb  usb  536.9 GB  WDC WD5000AAKS-00UU3A0" in text
    assert "    verdict FAIL; action: destroy" in text
    assert "      fail     67 pending sectors (attribute 197)" in text
    assert "      info     virtio disk: a virtual device has no SMART" in text
    assert "Grade suggestion: C (rules " in text
