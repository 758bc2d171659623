"""`bench-agent diagnose --smart-json FILE`, bad input, and the outbox record of --send."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from agents.cli import main
from agents.diagnostics.command import send_result
from atelier_protocol.diagnostic import KIND

SMARTCTL = Path(__file__).resolve().parents[3] / "fixtures" / "hardware" / "smartctl"


def _judge(capsys: pytest.CaptureFixture[str], name: str, *extra: str) -> tuple[int, str]:
    status = main(["diagnose", "--smart-json", str(SMARTCTL / name), *extra])
    return status, capsys.readouterr().out


def test_text_verdict_of_a_failing_drive(capsys: pytest.CaptureFixture[str]) -> None:
    status, out = _judge(capsys, "usb-jmicron_FAIL_wdc-WD5000AAKS_67-pending.json")
    assert status == 1
    lines = out.splitlines()
    assert lines[0].endswith(": FAIL (WDC WD5000AAKS-00UU3A0, usbjmicron)")
    assert "  fail     67 pending sectors (attribute 197)" in lines
    assert "  smartctl exit status 0 (bits: none)" in lines
    assert lines[-1] == "  action: destroy"


def test_json_verdict_with_reasons(capsys: pytest.CaptureFixture[str]) -> None:
    status, out = _judge(
        capsys, "usb-jmicron_FAIL_hitachi-HTS545050B9A300_failing-now_13-pending.json", "--json"
    )
    data = json.loads(out)
    assert status == 1
    assert data["health"]["verdict"] == "fail"
    assert data["health"]["smartctl_exit_status"] == 216
    assert data["health"]["pending_sectors"] == 13
    assert data["action"] == "destroy" and data["rules_version"]
    assert {r["code"] for r in data["health"]["reasons"]} >= {"overall_failed", "pending_sectors"}


def test_healthy_and_unavailable_exit_zero(capsys: pytest.CaptureFixture[str]) -> None:
    status, out = _judge(capsys, "nvme_ok_kingston-SNVS500G.json")
    assert status == 0 and ": PASS (KINGSTON SNVS500G, nvme)" in out
    status, out = _judge(capsys, "sata-hdd_smart-disabled_wdc-WD400BB.json", "--json")
    assert status == 0 and json.loads(out)["health"]["verdict"] == "unavailable"


def test_rules_file_changes_the_verdict(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    rules = tmp_path / "rules.json"
    rules.write_text(json.dumps({"version": "lenient", "smart": {"reallocated_fail_above": 500}}))
    status, out = _judge(
        capsys,
        "sata-hdd_FAIL_seagate-ST3500418AS_304-realloc.json",
        "--json",
        "--rules",
        str(rules),
    )
    data = json.loads(out)
    assert (status, data["health"]["verdict"], data["rules_version"]) == (0, "suspect", "lenient")


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: d / "missing.json", "No such file"),
        (lambda d: (d / "t.txt").write_text("smart!") and d / "t.txt", "is not JSON"),
        (lambda d: SMARTCTL / "scan_all-report-scsi.json", "--scan` output"),
    ],
)
def test_bad_smart_files_exit_2_with_the_reason(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, make: object, message: str
) -> None:
    path = make(tmp_path)  # type: ignore[operator]
    assert main(["diagnose", "--smart-json", str(path)]) == 2
    assert message in capsys.readouterr().err


def test_bad_rules_exit_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    rules = tmp_path / "rules.json"
    rules.write_text(json.dumps({"version": "x", "smart": {"pending_fail": 1}}))
    name = "nvme_ok_kingston-SNVS500G.json"
    assert main(["diagnose", "--rules", str(rules), "--smart-json", str(SMARTCTL / name)]) == 2
    assert "key 'smart.pending_fail'" in capsys.readouterr().err


def test_unknown_device_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diagnose", "/dev/no-such-disk"]) == 2
    assert "/dev/no-such-disk: no such block device" in capsys.readouterr().err


def test_send_queues_a_diagnostic_record(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BENCH_CONFIG", str(tmp_path / "absent.json"))
    monkeypatch.setenv("BENCH_STATE_DIR", str(tmp_path))
    for name in ("BENCH_SERVER_URL", "BENCH_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    status, message = send_result({"schema_version": "1.0"}, asset_tag="K7QX-4M2P-H")
    assert status == 0
    assert message == "queued 1 diagnostic.result record; sent after `bench-agent enroll`"
    with sqlite3.connect(tmp_path / "outbox.sqlite3") as db:
        rows = db.execute("SELECT kind, body, state FROM item").fetchall()
    assert [(kind, state) for kind, _, state in rows] == [(KIND, "ready")]
    body = json.loads(rows[0][1])
    assert body["kind"] == "diagnostic.result" and body["asset_tag"] == "K7QX-4M2P-H"
    assert body["payload"] == {"schema_version": "1.0"}


def test_read_smart_replays_a_real_report_for_a_sata_disk() -> None:
    from agents.diagnostics.rules import SmartThresholds
    from agents.diagnostics.run import read_smart
    from agents.inventory.disks import Disk
    from agents.inventory.tools import ToolRunner

    class Replay(ToolRunner):
        def __init__(self, name: str) -> None:
            super().__init__()
            self.text = (SMARTCTL / name).read_text()
            self.argv: list[str] = []

        def run(self, argv: list[str], timeout: float, ok_codes: object = (0,)) -> str | None:
            self.argv = argv
            return self.text

    def disk(name: str, transport: str) -> Disk:
        return Disk(
            name, f"/dev/{name}", None, None, None, 1 << 30, 512, 512, None, transport, False
        )

    runner = Replay("usb-jmicron_FAIL_ibm-IC25N060_138-realloc-packed-raw.json")
    health, report = read_smart(disk("sdb", "usb"), runner, SmartThresholds())
    assert runner.argv == ["smartctl", "--json", "-x", "/dev/sdb"]
    assert health.verdict == "fail" and report is not None
    virtio = Replay("virtio_no-smart_unable-to-detect_exit1.json")
    health, report = read_smart(disk("vda", "virtio"), virtio, SmartThresholds())
    assert health.verdict == "unavailable" and report is not None
    assert [r.message for r in health.reasons] == [
        "virtio disk: a virtual device has no SMART",
        "smartctl: /dev/vda: Unable to detect device type",
    ]


def test_without_smartctl_health_is_unavailable_with_the_reason() -> None:
    from agents.diagnostics.rules import SmartThresholds
    from agents.diagnostics.run import read_smart
    from agents.inventory.disks import Disk
    from agents.inventory.tools import ToolRunner

    class NoTools(ToolRunner):
        def which(self, tool: str) -> str | None:
            return None

    disk = Disk("sda", "/dev/sda", None, None, None, 1 << 30, 512, 512, True, "sata", False)
    health, report = read_smart(disk, NoTools(), SmartThresholds())
    assert (health.verdict, report) == ("unavailable", None)
    assert health.reasons[0].message.startswith("smartctl is not installed")
