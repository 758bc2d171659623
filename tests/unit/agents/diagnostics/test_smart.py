"""Health verdicts judged on captured smartctl --json outputs of real drives."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from agents.diagnostics.errors import SmartJsonError
from agents.diagnostics.rules import SmartThresholds
from agents.diagnostics.smart import exit_bits, judge_report, raw_count

Loader = Callable[[str], dict[str, Any]]

# file -> (verdict, codes of the reasons that are not "info")
EXPECTED = {
    "sata-hdd_ok_seagate-ST3250310AS.json": ("pass", set()),
    "sata-hdd_ok_wdc-WD3200AAJS.json": ("pass", set()),
    "sata-hdd_ok_seagate-ST500DM002_x_frozen.json": ("pass", set()),
    "sata-ssd_ok_samsung-860EVO_x_not-frozen.json": ("pass", set()),
    "sata-ssd_ok_kingston-SA400S37480G_no-realloc-attr.json": ("pass", set()),
    "nvme_ok_kingston-SNVS500G.json": ("pass", set()),
    "nvme_ok_samsung-PM961-MZVLW1T0_x.json": ("pass", set()),
    "usb-jmicron_ok_wdc-WD5000AZLX.json": ("pass", set()),
    "usb-jmicron_ok_fujitsu-MHV2060AT_packed-raw-realloc.json": ("pass", set()),
    "sata-hdd_FAIL_seagate-ST3500418AS_304-realloc.json": ("fail", {"reallocated_sectors"}),
    "usb-jmicron_FAIL_ibm-IC25N060_138-realloc-packed-raw.json": ("fail", {"reallocated_sectors"}),
    "usb-jmicron_FAIL_wdc-WD5000AAKS_67-pending.json": ("fail", {"pending_sectors"}),
    "usb-jmicron_FAIL_hitachi-HTS545050B9A300_failing-now_13-pending.json": (
        "fail",
        {"overall_failed", "pending_sectors", "attribute_failing", "self_test_failed", "error_log"},
    ),
    "nvme_FAIL_samsung-MZWLL3T2HAJQ_critical-warning-0x10.json": (
        "fail",
        {"overall_failed", "nvme_critical_warning"},
    ),
    "sata-hdd_smart-disabled_wdc-WD400BB.json": ("unavailable", set()),
    "usb-jmicron_no-data_exit2.json": ("unavailable", set()),
    "usb-bridge-unknown_0x058f-0x6387_exit1.json": ("unavailable", set()),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_verdict_and_reasons_of_each_captured_drive(smart_report: Loader, name: str) -> None:
    verdict, codes = EXPECTED[name]
    health = judge_report(smart_report(name))
    assert health.verdict == verdict
    assert {r.code for r in health.reasons if r.severity != "info"} == codes


def test_pending_sectors_fail_a_drive_that_rates_itself_passed(smart_report: Loader) -> None:
    health = judge_report(smart_report("usb-jmicron_FAIL_wdc-WD5000AAKS_67-pending.json"))
    assert health.overall_passed is True
    assert health.smartctl_exit_status == 0
    assert health.pending_sectors == 67
    assert health.reallocated_sectors == 1  # 1 <= 10: shown, not judged
    assert "67 pending sectors (attribute 197)" in [r.message for r in health.reasons]


def test_packed_raw_values_are_read_from_the_printed_string(smart_report: Loader) -> None:
    ibm = judge_report(smart_report("usb-jmicron_FAIL_ibm-IC25N060_138-realloc-packed-raw.json"))
    fujitsu = smart_report("usb-jmicron_ok_fujitsu-MHV2060AT_packed-raw-realloc.json")
    assert ibm.reallocated_sectors == 138  # raw.value is 1704074
    assert judge_report(fujitsu).reallocated_sectors == 0  # raw.value is 8589934592000
    attr5 = next(a for a in fujitsu["ata_smart_attributes"]["table"] if a["id"] == 5)
    assert raw_count(attr5) == 0


def test_missing_counters_stay_unknown_not_zero(smart_report: Loader) -> None:
    health = judge_report(smart_report("sata-ssd_ok_kingston-SA400S37480G_no-realloc-attr.json"))
    assert (health.reallocated_sectors, health.pending_sectors, health.offline_uncorrectable) == (
        None,
        None,
        None,
    )
    assert health.life_left_percent == 99  # SSD_Life_Left
    assert health.power_on_hours == 1072


def test_ssd_wear_from_wear_leveling_and_device_statistics(smart_report: Loader) -> None:
    health = judge_report(smart_report("sata-ssd_ok_samsung-860EVO_x_not-frozen.json"))
    assert health.life_left_percent == 81  # normalized 81 and "Percentage Used" 19 agree


def test_failing_now_attribute_whose_raw_value_is_zero(smart_report: Loader) -> None:
    name = "usb-jmicron_FAIL_hitachi-HTS545050B9A300_failing-now_13-pending.json"
    health = judge_report(smart_report(name))
    assert health.smartctl_exit_status == 216
    assert health.smartctl_exit_bits == [
        "disk_failing",
        "prefail_below_threshold",
        "error_log_has_errors",
        "self_test_log_has_errors",
    ]
    failing = [r.message for r in health.reasons if r.code == "attribute_failing"]
    assert failing == ["attribute 5 Reallocated_Sector_Ct: normalized 1, threshold 5 (failing now)"]
    self_test = next(r.message for r in health.reasons if r.code == "self_test_failed")
    assert "read failure at LBA 618079447" in self_test


def test_nvme_critical_warning_bits_are_named(smart_report: Loader) -> None:
    name = "nvme_FAIL_samsung-MZWLL3T2HAJQ_critical-warning-0x10.json"
    health = judge_report(smart_report(name))
    warning = next(r.message for r in health.reasons if r.code == "nvme_critical_warning")
    assert warning == "NVMe critical warning 0x10: volatile memory backup failed"
    assert health.critical_warning == 16
    assert health.smartctl_exit_bits == ["disk_failing"]


def test_nvme_error_log_entries_alone_do_not_fail(smart_report: Loader) -> None:
    health = judge_report(smart_report("nvme_ok_samsung-PM961-MZVLW1T0_x.json"))
    assert health.verdict == "pass"
    assert health.error_log_entries == 2891
    assert health.media_errors == 0


# No real capture of a worn-out NVMe exists (fixtures README, "Known gaps"): these start from
# the real Kingston NV1 report and change one documented field of its health log.
@pytest.mark.parametrize(
    ("change", "verdict", "code"),
    [
        ({"media_errors": 3}, "fail", "media_errors"),
        ({"percentage_used": 100}, "fail", "worn_out"),
        ({"percentage_used": 93}, "suspect", "wearing_out"),
        ({"available_spare": 5}, "fail", "spare_below_threshold"),
        ({"critical_warning": 0x05}, "fail", "nvme_critical_warning"),
    ],
)
def test_nvme_health_log_limits(
    smart_report: Loader, change: dict[str, int], verdict: str, code: str
) -> None:
    report = copy.deepcopy(smart_report("nvme_ok_kingston-SNVS500G.json"))
    report["nvme_smart_health_information_log"].update(change)
    health = judge_report(report)
    assert health.verdict == verdict
    assert code in {r.code for r in health.reasons if r.severity == verdict}


def test_critical_warning_with_two_bits_names_both(smart_report: Loader) -> None:
    report = copy.deepcopy(smart_report("nvme_ok_kingston-SNVS500G.json"))
    report["nvme_smart_health_information_log"]["critical_warning"] = 0x05
    message = next(r.message for r in judge_report(report).reasons if r.severity == "fail")
    assert message == (
        "NVMe critical warning 0x05: available spare below threshold, "
        "reliability degraded (media or internal errors)"
    )


def test_reallocated_thresholds_come_from_the_rules(smart_report: Loader) -> None:
    report = smart_report("sata-hdd_FAIL_seagate-ST3500418AS_304-realloc.json")
    lenient = SmartThresholds(reallocated_suspect_above=100, reallocated_fail_above=500)
    assert judge_report(report, lenient).verdict == "suspect"
    strict = SmartThresholds(reallocated_suspect_above=0, reallocated_fail_above=1)
    wdc = judge_report(smart_report("usb-jmicron_FAIL_wdc-WD5000AAKS_67-pending.json"), strict)
    assert "reallocated_sectors" in {r.code for r in wdc.reasons if r.severity == "suspect"}


def test_unavailable_reasons_say_why(smart_report: Loader) -> None:
    disabled = judge_report(smart_report("sata-hdd_smart-disabled_wdc-WD400BB.json"))
    bridge = judge_report(smart_report("usb-bridge-unknown_0x058f-0x6387_exit1.json"))
    silent = judge_report(smart_report("usb-jmicron_no-data_exit2.json"))
    assert disabled.model == "WDC WD400BB-00DKA0" and disabled.overall_passed is None
    assert "SMART disabled or not supported" in disabled.reasons[0].message
    assert bridge.reasons[0].message == (
        "smartctl: /dev/sdb: Unknown USB bridge [0x058f:0x6387 (0x100)]"
    )
    assert silent.smartctl_exit_bits == ["device_open_failed"]
    assert "returned no identity and no SMART data" in silent.reasons[0].message


def test_smart_disabled_flag_is_named() -> None:
    report = {
        "smartctl": {"exit_status": 0},
        "model_name": "X",
        "smart_support": {"available": True, "enabled": False},
    }
    health = judge_report(report)
    assert health.verdict == "unavailable"
    assert health.reasons[0].message == "SMART is disabled on the drive"


def test_scan_output_and_other_documents_are_refused(smart_report: Loader) -> None:
    with pytest.raises(SmartJsonError, match="--scan"):
        judge_report(smart_report("scan_all-report-scsi.json"))
    with pytest.raises(SmartJsonError, match="not a smartctl --json report"):
        judge_report({"model_name": "no smartctl object"})
    with pytest.raises(SmartJsonError):
        judge_report([1, 2])


def test_exit_status_bits() -> None:
    assert exit_bits(0) == [] and exit_bits(None) == []
    assert exit_bits(2) == ["device_open_failed"]
    assert exit_bits(0b1010_0000) == ["below_threshold_in_past", "self_test_log_has_errors"]


def test_past_failure_of_an_attribute_is_suspect(smart_report: Loader) -> None:
    report = copy.deepcopy(smart_report("sata-hdd_ok_wdc-WD3200AAJS.json"))
    report["ata_smart_attributes"]["table"][2]["when_failed"] = "past"
    health = judge_report(report)
    assert health.verdict == "suspect"
    assert [r.code for r in health.reasons if r.severity == "suspect"] == ["attribute_failed_past"]


def test_error_log_count_from_summary_and_extended_logs(smart_report: Loader) -> None:
    extended = judge_report(smart_report("sata-ssd_ok_samsung-860EVO_x_not-frozen.json"))
    name = "usb-jmicron_FAIL_hitachi-HTS545050B9A300_failing-now_13-pending.json"
    summary = judge_report(smart_report(name))
    assert extended.error_log_entries == 0  # `-x`: ata_smart_error_log.extended
    assert summary.error_log_entries == 2449  # `-a`: ata_smart_error_log.summary
