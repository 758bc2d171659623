"""Drive identity from captured smartctl JSON and hdparm -I outputs."""

from __future__ import annotations

import json

import pytest

from agents.inventory.ata import (
    identify_disk,
    merge_identity,
    parse_hdparm_identity,
    parse_smartctl_identity,
)
from agents.inventory.disks import list_disks


def smartctl(fixture_text, name):
    return json.loads(fixture_text(f"smartctl/{name}"))


def test_sata_ssd_identity_with_wwn_and_sectors(fixture_text):
    identity = parse_smartctl_identity(
        smartctl(fixture_text, "sata-ssd_ok_samsung-860EVO_x_not-frozen.json")
    )

    assert identity is not None
    assert identity.model == "Samsung SSD 860 EVO 500GB"
    assert identity.serial == "S3YZNB0KB00864E"
    # naa 5, oui 0x002538 (Samsung), id 0xe40a22954
    assert identity.wwn == "0x5002538e40a22954"
    assert identity.size_bytes == 500107862016
    assert (identity.logical_sector_size, identity.physical_sector_size) == (512, 512)
    assert identity.rotational is False  # rotation_rate 0 = solid state
    assert identity.source == "smartctl"


def test_sata_hdd_identity_has_seagate_wwn_and_4k_sectors(fixture_text):
    identity = parse_smartctl_identity(
        smartctl(fixture_text, "sata-hdd_ok_seagate-ST500DM002_x_frozen.json")
    )

    assert identity is not None
    assert identity.model == "ST500DM002-1BD142"
    assert identity.wwn == "0x5000c50062134a58"  # Seagate's OUI 0x000c50
    assert identity.physical_sector_size == 4096
    assert identity.rotational is True


def test_old_smartctl_output_without_rotation_or_wwn_leaves_them_unknown(fixture_text):
    identity = parse_smartctl_identity(
        smartctl(fixture_text, "sata-hdd_ok_seagate-ST3250310AS.json")
    )

    assert identity is not None
    assert identity.serial == "9RY53ABC"
    assert identity.wwn is None
    assert identity.rotational is None


def test_drive_behind_a_usb_bridge_is_identified(fixture_text):
    identity = parse_smartctl_identity(smartctl(fixture_text, "usb-jmicron_ok_wdc-WD5000AZLX.json"))

    assert identity is not None
    assert identity.model == "WDC WD5000AZLX-08K2TA0"
    assert identity.rotational is True


@pytest.mark.parametrize(
    "name",
    ["usb-jmicron_no-data_exit2.json", "usb-bridge-unknown_0x058f-0x6387_exit1.json"],
)
def test_bridges_that_answer_nothing_give_no_identity(fixture_text, name):
    assert parse_smartctl_identity(smartctl(fixture_text, name)) is None


def test_nvme_identity_from_smartctl(fixture_text):
    identity = parse_smartctl_identity(
        smartctl(fixture_text, "nvme_ok_samsung-PM961-MZVLW1T0_x.json")
    )

    assert identity is not None
    assert identity.model == "SAMSUNG MZVLW1T0HMLH-000L7"
    assert identity.serial == "S35ANX0J401001"
    assert identity.rotational is None


def test_hdparm_identity_of_an_ssd(fixture_text):
    identity = parse_hdparm_identity(fixture_text("hdparm/I_not-frozen_samsung-PM830-mSATA.txt"))

    assert identity is not None
    assert identity.model == "SAMSUNG SSD PM830 mSATA 256GB"
    assert identity.serial == "S0XPNYAD412339"
    assert identity.firmware == "CXM13D1Q"
    assert identity.wwn == "0x5002538043584d30"
    assert identity.rotational is False
    assert (identity.logical_sector_size, identity.physical_sector_size) == (512, 512)


def test_hdparm_shared_sector_size_line(fixture_text):
    identity = parse_hdparm_identity(
        fixture_text("hdparm/I_no-security-section_hitachi-HUA721010.txt")
    )

    assert identity is not None
    assert identity.serial == "GTE000PAJ2959E"
    assert (identity.logical_sector_size, identity.physical_sector_size) == (512, 512)
    assert identity.rotational is None  # no rotation rate line in this capture


def test_garbled_identify_data_is_not_trusted(fixture_text):
    text = fixture_text("hdparm/I_frozen_garbled-identify-strings.txt")

    assert parse_hdparm_identity(text) is None


def test_merge_keeps_sysfs_serial_and_takes_the_full_model(sysfs_from_dump, fixture_text):
    sda = list_disks(sysfs_from_dump("sysfs/sata-ssd_vpd_pg80-serial_f31-nanobox.dump"))[0]
    identity = parse_hdparm_identity(fixture_text("hdparm/I_not-frozen_samsung-PM830-mSATA.txt"))
    assert identity is not None

    merged = merge_identity(sda, identity)

    assert merged.model == "SAMSUNG SSD PM830 mSATA 256GB"
    assert merged.sources["model"] == "hdparm"
    assert merged.serial == "S14CNEAD233615F"  # what the drive itself said via VPD stays
    assert merged.sources["serial"] == "sysfs:vpd_pg80"
    assert merged.wwn == "0x5002538043584d30"
    assert merged.size_bytes == sda.size_bytes


def test_identify_falls_back_to_hdparm_when_smartctl_is_missing(
    sysfs_from_dump, fixture_text, replay_runner
):
    sda = list_disks(sysfs_from_dump("sysfs/sata-ssd_vpd_pg80-serial_f31-nanobox.dump"))[0]
    runner = replay_runner({"hdparm": fixture_text("hdparm/I_not-frozen_samsung-PM830-mSATA.txt")})

    identity = identify_disk(sda, runner)

    assert runner.calls == ["smartctl", "hdparm"]
    assert identity is not None and identity.source == "hdparm"
    assert any(note.startswith("smartctl is not installed") for note in runner.notes)


def test_identify_prefers_smartctl_and_skips_nvme(sysfs_from_dump, fixture_text, replay_runner):
    sda = list_disks(sysfs_from_dump("sysfs/sata-ssd_vpd_pg80-serial_f31-nanobox.dump"))[0]
    runner = replay_runner(
        {"smartctl": fixture_text("smartctl/sata-ssd_ok_samsung-860EVO_x_not-frozen.json")}
    )

    assert identify_disk(sda, runner).source == "smartctl"
    assert runner.calls == ["smartctl"]

    nvme_root = sysfs_from_dump("sysfs/nvme_serial-padded_ubuntu-dell-xps.dump")
    assert identify_disk(list_disks(nvme_root)[0], runner) is None  # sysfs already has it all
    assert runner.calls == ["smartctl"]


def test_identify_survives_unreadable_smartctl_output(sysfs_from_dump, replay_runner):
    sda = list_disks(sysfs_from_dump("sysfs/sata-ssd_vpd_pg80-serial_f31-nanobox.dump"))[0]
    runner = replay_runner({"smartctl": "{not json", "hdparm": ""})

    assert identify_disk(sda, runner) is None
    assert any("unreadable JSON" in note for note in runner.notes)
