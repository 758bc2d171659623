"""Batteries, network interfaces, GPUs and udev properties."""

from __future__ import annotations

from pathlib import Path

from agents.inventory.devices import (
    battery_from_properties,
    list_gpus,
    list_interfaces,
    parse_uevent,
    pci_names,
)
from agents.inventory.disks import list_disks
from agents.inventory.udev import decode_udev_string, enrich_from_udev, parse_udev_record

# /sys/class/power_supply/BAT0/uevent of a Lenovo laptop (SMP L14M4P23 pack), as printed in a
# public article about reading battery health; values are microwatt-hours.
LENOVO_BAT0 = """POWER_SUPPLY_NAME=BAT0
POWER_SUPPLY_STATUS=Charging
POWER_SUPPLY_PRESENT=1
POWER_SUPPLY_TECHNOLOGY=Li-ion
POWER_SUPPLY_CYCLE_COUNT=0
POWER_SUPPLY_VOLTAGE_MIN_DESIGN=14800000
POWER_SUPPLY_ENERGY_FULL_DESIGN=60000000
POWER_SUPPLY_ENERGY_FULL=52260000
POWER_SUPPLY_ENERGY_NOW=26660000
POWER_SUPPLY_CAPACITY=51
POWER_SUPPLY_MODEL_NAME=L14M4P23
POWER_SUPPLY_MANUFACTURER=SMP
POWER_SUPPLY_SERIAL_NUMBER=  756
"""


def test_battery_wear_from_energy_capacities():
    props = parse_uevent(LENOVO_BAT0) | {"POWER_SUPPLY_TYPE": "Battery"}

    battery = battery_from_properties("BAT0", props)

    assert battery is not None
    assert (battery["design_capacity"], battery["full_capacity"]) == (60000, 52260)
    assert battery["capacity_unit"] == "mWh"
    assert battery["wear_percent"] == 12.9  # 1 - 52.26/60
    assert battery["cycle_count"] == 0
    assert battery["serial"] == {"value": "756", "placeholder": False}
    assert battery["manufacturer"] == "SMP"


def test_battery_in_charge_units_and_better_than_new():
    props = {
        "POWER_SUPPLY_TYPE": "Battery",
        "POWER_SUPPLY_CHARGE_FULL_DESIGN": "3800000",
        "POWER_SUPPLY_CHARGE_FULL": "3898000",
        "POWER_SUPPLY_SERIAL_NUMBER": "0000",
    }

    battery = battery_from_properties("BAT1", props)

    assert battery is not None
    assert battery["capacity_unit"] == "mAh"
    assert battery["wear_percent"] == 0.0  # full above design: no wear, never negative
    assert battery["serial"]["placeholder"] is True


def test_mains_and_peripheral_batteries_are_not_the_machines():
    assert battery_from_properties("AC", {"POWER_SUPPLY_TYPE": "Mains"}) is None
    mouse = {"POWER_SUPPLY_TYPE": "Battery", "POWER_SUPPLY_SCOPE": "Device"}
    assert battery_from_properties("hidpp_battery_0", mouse) is None


def test_battery_without_capacities_has_unknown_wear():
    battery = battery_from_properties("BAT0", {"POWER_SUPPLY_TYPE": "Battery"})

    assert battery is not None
    assert battery["wear_percent"] is None and battery["capacity_unit"] is None


def _interface(root: Path, name: str, mac: str, physical: bool = True, wireless: bool = False):
    path = root / "class/net" / name
    path.mkdir(parents=True)
    (path / "address").write_text(mac + "\n")
    (path / "uevent").write_text(f"INTERFACE={name}\n")
    if physical:
        (path / "device").mkdir()
    if wireless:
        (path / "wireless").mkdir()


def test_interfaces_physical_only_with_kind(tmp_path):
    _interface(tmp_path, "enp0s25", "3c:97:0e:aa:bb:cc")
    _interface(tmp_path, "wlp3s0", "60:67:20:11:22:33", wireless=True)
    _interface(tmp_path, "lo", "00:00:00:00:00:00", physical=False)
    _interface(tmp_path, "docker0", "02:42:ac:11:00:02", physical=False)

    interfaces = list_interfaces(tmp_path)

    assert [(i["name"], i["kind"], i["mac"]) for i in interfaces] == [
        ("enp0s25", "wired", "3c:97:0e:aa:bb:cc"),
        ("wlp3s0", "wireless", "60:67:20:11:22:33"),
    ]


# Lines in the layout of the pci.ids database (vendor, tab-indented devices, class list).
PCI_IDS = """# comment
8086  Intel Corporation
\t0102  2nd Generation Core Processor Family Integrated Graphics Controller
\t0152  Xeon E3-1200 v2/3rd Gen Core processor Graphics Controller
\t\t1043 84ca  P8 series motherboard
10de  NVIDIA Corporation
\t1c82  GP107 [GeForce GTX 1050 Ti]
C 03  Display controller
"""


def test_pci_names_lookup():
    lines = iter(PCI_IDS.splitlines(keepends=True))
    assert pci_names(lines, "8086", "0152") == (
        "Intel Corporation",
        "Xeon E3-1200 v2/3rd Gen Core processor Graphics Controller",
    )
    assert pci_names(iter(PCI_IDS.splitlines()), "10de", "1c82")[1] == "GP107 [GeForce GTX 1050 Ti]"
    assert pci_names(iter(PCI_IDS.splitlines()), "10de", "ffff") == ("NVIDIA Corporation", None)
    assert pci_names(iter(PCI_IDS.splitlines()), "1234", "0001") == (None, None)


def test_gpus_are_display_class_devices(tmp_path):
    for address, cls, vendor, device in [
        ("0000:00:02.0", "0x030000", "0x8086", "0x0152"),
        ("0000:00:1f.2", "0x010601", "0x8086", "0x1e02"),  # SATA controller
    ]:
        path = tmp_path / "bus/pci/devices" / address
        path.mkdir(parents=True)
        for key, value in {"class": cls, "vendor": vendor, "device": device}.items():
            (path / key).write_text(value + "\n")
    ids = tmp_path / "pci.ids"
    ids.write_text(PCI_IDS)

    gpus = list_gpus(tmp_path, pci_ids=str(ids))

    assert len(gpus) == 1
    assert gpus[0]["pci_address"] == "0000:00:02.0"
    assert (gpus[0]["vendor_id"], gpus[0]["device_id"]) == ("8086", "0152")
    assert gpus[0]["vendor_name"] == "Intel Corporation"
    assert list_gpus(tmp_path, pci_ids=str(tmp_path / "missing"))[0]["device_name"] is None


def udev_records(fixture_text):
    text = fixture_text("udev/udevadm-export-db_block-only_shuttle-dh170_usb-disks.txt")
    records = {}
    for block in text.split("\n\n"):
        name = next((ln[3:] for ln in block.splitlines() if ln.startswith("N: ")), None)
        if name:
            records[name] = parse_udev_record(block)
    return records


def test_udev_database_gives_full_ata_model_serial_and_wwn(fixture_text, sysfs_from_dump):
    # The sysfs view of a SATA disk, with the udev record of a Crucial MX500 applied to it.
    root = sysfs_from_dump("sysfs/sata-ssd_vpd_pg80-serial_f31-nanobox.dump")
    (root / "block/sda/device/vpd_pg80").unlink()  # as if the bridge gave no VPD page
    sda = list_disks(root)[0]
    assert sda.serial is None

    enriched = enrich_from_udev(sda, udev_records(fixture_text)["sda"])

    assert enriched.model == "CT500MX500SSD1"
    assert enriched.serial == "1825E144B4BB"
    assert enriched.wwn == "0x500a0751e144b4bb"
    assert enriched.sources == {"model": "udev:ata_id", "serial": "udev", "wwn": "udev"}


def test_usb_disk_without_serial_in_udev_stays_without_serial(fixture_text, sysfs_from_dump):
    root = sysfs_from_dump("sysfs/sata-ssd_vpd_pg80-serial_f31-nanobox.dump")
    (root / "block/sda/device/vpd_pg80").unlink()
    sda = list_disks(root)[0]

    # sdc: "General" USB disk with a blank model and no ID_SERIAL_SHORT, not an ATA device.
    enriched = enrich_from_udev(sda, udev_records(fixture_text)["sdc"])

    assert enriched == sda


def test_udev_string_decoding():
    assert decode_udev_string(r"STORAGE\x20DEVICE\x20\x20") == "STORAGE DEVICE"
    assert decode_udev_string(r"\x20\x20\x20") == ""


def test_raw_udev_database_record_without_space_after_the_colon(fixture_text, sysfs_from_dump):
    text = fixture_text("udev/run-udev-data_samsung-pm800_security-frozen.txt")
    properties = parse_udev_record(text)
    assert properties["ID_SERIAL_SHORT"] == "DFW1W11002SE002B3117"
    assert properties["ID_ATA_FEATURE_SET_SECURITY_FROZEN"] == "1"
    root = sysfs_from_dump("sysfs/sata-ssd_vpd_pg80-serial_f31-nanobox.dump")
    (root / "block/sda/device/vpd_pg80").unlink()
    sda = list_disks(root)[0]
    assert sda.rotational is None  # the dump has no queue/ directory

    enriched = enrich_from_udev(sda, properties)

    assert enriched.model == "SAMSUNG SSD PM800 TM 128GB"
    assert enriched.serial == "DFW1W11002SE002B3117"
    assert enriched.wwn == "0x50000f0056424431"
    assert enriched.rotational is False  # ID_ATA_ROTATION_RATE_RPM=0
