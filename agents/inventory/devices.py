"""Network interfaces, batteries and GPUs, read from sysfs attributes and uevent properties.

Parsers take a sysfs root or a mapping of uevent/udev properties so tests can
feed captured data; `agents.inventory.collect` feeds them from pyudev.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from agents.inventory.disks import read_text
from atelier_protocol.identity import is_placeholder

GPU_CLASS_PREFIX = "0x03"  # PCI base class 03h: display controllers
PCI_IDS_PATHS = ("/usr/share/misc/pci.ids", "/usr/share/hwdata/pci.ids", "/usr/share/pci.ids")


def parse_uevent(text: str) -> dict[str, str]:
    """Parse KEY=VALUE lines of a sysfs `uevent` file."""
    values = {}
    for line in text.splitlines():
        key, sep, value = line.partition("=")
        if sep:
            values[key.strip()] = value.strip()
    return values


def read_interface(path: Path) -> dict[str, Any] | None:
    """Describe one /sys/class/net/<name> entry; None for virtual interfaces (no device)."""
    if not (path / "device").exists():
        return None  # loopback, bridges, tunnels, ifb...: not hardware of the machine
    uevent = parse_uevent(read_text(path / "uevent") or "")
    wireless = (
        (path / "wireless").exists()
        or (path / "phy80211").exists()
        or uevent.get("DEVTYPE") == "wlan"
    )
    driver = None
    try:
        driver = os.path.basename(os.readlink(path / "device/driver"))
    except OSError:
        driver = None
    speed = read_text(path / "speed")
    return {
        "name": path.name,
        "mac": read_text(path / "address"),
        "kind": "wireless" if wireless else "wired",
        "driver": driver,
        "speed_mbps": int(speed) if speed and speed.isdigit() else None,
    }


def list_interfaces(sys_root: str | Path = "/sys") -> list[dict[str, Any]]:
    """List the machine's physical network interfaces, sorted by name."""
    base = Path(sys_root) / "class/net"
    try:
        names = sorted(os.listdir(base))
    except OSError:
        return []
    interfaces = []
    for name in names:
        interface = read_interface(base / name)
        if interface is not None:
            interfaces.append(interface)
    return interfaces


def _number(props: Mapping[str, str], key: str) -> int | None:
    value = props.get(key, "").strip()
    return int(value) if value.lstrip("-").isdigit() else None


def _capacities(props: Mapping[str, str]) -> tuple[int | None, int | None, str | None]:
    # Drivers report either energy (µWh) or charge (µAh); never mix the two.
    for kind, unit in (("ENERGY", "mWh"), ("CHARGE", "mAh")):
        design = _number(props, f"POWER_SUPPLY_{kind}_FULL_DESIGN")
        full = _number(props, f"POWER_SUPPLY_{kind}_FULL")
        if design is not None or full is not None:
            scale = lambda v: None if v is None else v // 1000  # noqa: E731
            return scale(design), scale(full), unit
    return None, None, None


def battery_from_properties(name: str, props: Mapping[str, str]) -> dict[str, Any] | None:
    """Describe a battery from its POWER_SUPPLY_* properties; None for mains/USB supplies."""
    if props.get("POWER_SUPPLY_TYPE") != "Battery":
        return None
    if props.get("POWER_SUPPLY_SCOPE") == "Device":
        return None  # a wireless mouse or headset battery, not the machine's
    design, full, unit = _capacities(props)
    wear = None
    if design and full is not None:
        wear = round(max(0.0, 100.0 * (1 - full / design)), 1)
    serial = props.get("POWER_SUPPLY_SERIAL_NUMBER", "").strip() or None
    return {
        "name": name,
        "manufacturer": props.get("POWER_SUPPLY_MANUFACTURER") or None,
        "model": props.get("POWER_SUPPLY_MODEL_NAME") or None,
        "serial": {"value": serial, "placeholder": is_placeholder(serial)},
        "technology": props.get("POWER_SUPPLY_TECHNOLOGY") or None,
        "design_capacity": design,
        "full_capacity": full,
        "capacity_unit": unit,
        "wear_percent": wear,
        "cycle_count": _number(props, "POWER_SUPPLY_CYCLE_COUNT"),
    }


def read_pci_ids(path: Path) -> dict[str, str]:
    """Read the vendor, device and class ids of one /sys/bus/pci/devices/<address> entry."""
    return {
        key: (read_text(path / key) or "").lower()
        for key in ("class", "vendor", "device", "subsystem_vendor", "subsystem_device")
    }


def iter_pci_ids_file(path: str) -> Iterator[str]:
    """Yield the lines of a pci.ids database, or nothing if it cannot be read."""
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            yield from handle
    except OSError:
        return


def pci_names(lines: Iterator[str], vendor: str, device: str) -> tuple[str | None, str | None]:
    """Look up vendor and device names ("8086", "0d57") in pci.ids lines."""
    vendor_name = device_name = None
    for line in lines:
        if line.startswith("#") or not line.strip():
            continue
        if not line.startswith("\t"):
            if vendor_name is not None or line.startswith("C "):
                break  # past our vendor's block, or into the class list
            if line[:4].lower() == vendor:
                vendor_name = line[4:].strip()
        elif vendor_name is not None and not line.startswith("\t\t"):
            if line[1:5].lower() == device:
                device_name = line[5:].strip()
                break
    return vendor_name, device_name


def list_gpus(sys_root: str | Path = "/sys", pci_ids: str | None = None) -> list[dict[str, Any]]:
    """List display controllers (PCI class 0x03) with names from pci.ids when present."""
    base = Path(sys_root) / "bus/pci/devices"
    try:
        addresses = sorted(os.listdir(base))
    except OSError:
        return []
    database = pci_ids or next((p for p in PCI_IDS_PATHS if os.path.exists(p)), None)
    gpus = []
    for address in addresses:
        ids = read_pci_ids(base / address)
        if not ids["class"].startswith(GPU_CLASS_PREFIX):
            continue
        vendor, device = ids["vendor"].removeprefix("0x"), ids["device"].removeprefix("0x")
        names = pci_names(iter_pci_ids_file(database), vendor, device) if database else None
        gpus.append(
            {
                "pci_address": address,
                "class_id": ids["class"],
                "vendor_id": vendor,
                "device_id": device,
                "vendor_name": names[0] if names else None,
                "device_name": names[1] if names else None,
            }
        )
    return gpus
