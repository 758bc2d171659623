"""System identity (SMBIOS) from /sys/class/dmi/id, and memory modules from `dmidecode`.

sysfs exposes the SMBIOS system, board, chassis and BIOS strings without any
tool; only the memory modules (type 17) need `dmidecode`. Every serial and
UUID is checked with `atelier_protocol.identity.is_placeholder` so the server never
matches two machines on a firmware template value.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agents.inventory.disks import read_text
from atelier_protocol.identity import is_placeholder

DMI_ATTRIBUTES = (
    "sys_vendor",
    "product_name",
    "product_version",
    "product_serial",
    "product_uuid",
    "product_sku",
    "product_family",
    "board_vendor",
    "board_name",
    "board_version",
    "board_serial",
    "chassis_vendor",
    "chassis_type",
    "chassis_serial",
    "chassis_asset_tag",
    "bios_vendor",
    "bios_version",
    "bios_date",
)

# SMBIOS 3.x, table "System Enclosure or Chassis Types" (index = type number).
CHASSIS_TYPES = (
    None, "Other", "Unknown", "Desktop", "Low Profile Desktop", "Pizza Box", "Mini Tower",
    "Tower", "Portable", "Laptop", "Notebook", "Hand Held", "Docking Station", "All in One",
    "Sub Notebook", "Space-saving", "Lunch Box", "Main Server Chassis", "Expansion Chassis",
    "SubChassis", "Bus Expansion Chassis", "Peripheral Chassis", "RAID Chassis",
    "Rack Mount Chassis", "Sealed-case PC", "Multi-system chassis", "Compact PCI",
    "Advanced TCA", "Blade", "Blade Enclosure", "Tablet", "Convertible", "Detachable",
    "IoT Gateway", "Embedded PC", "Mini PC", "Stick PC",
)  # fmt: skip


def read_dmi_sysfs(sys_root: str | Path = "/sys") -> dict[str, str]:
    """Read the SMBIOS strings of /sys/class/dmi/id; empty when the machine has no DMI."""
    base = Path(sys_root) / "class/dmi/id"
    values: dict[str, str] = {}
    for name in DMI_ATTRIBUTES:
        text = read_text(base / name)
        if text is not None:
            values[name] = text
    return values


def chassis_name(value: str | None) -> str | None:
    """Name an SMBIOS chassis type given as a number ("10") or already as text."""
    if value is None:
        return None
    try:
        number = int(value) & 0x7F  # bit 7 is the "chassis lock present" flag
    except ValueError:
        return value
    return CHASSIS_TYPES[number] if 0 < number < len(CHASSIS_TYPES) else f"type {number}"


def _flagged(value: str | None) -> dict[str, Any]:
    return {"value": value, "placeholder": is_placeholder(value)}


def build_system(values: Mapping[str, str]) -> dict[str, Any]:
    """Turn raw SMBIOS strings (sysfs names) into the snapshot's `system` section."""
    return {
        "vendor": values.get("sys_vendor"),
        "product": values.get("product_name"),
        "version": values.get("product_version"),
        "family": values.get("product_family"),
        "sku": values.get("product_sku"),
        "serial": _flagged(values.get("product_serial")),
        "uuid": _flagged(values.get("product_uuid")),
        "board": {
            "vendor": values.get("board_vendor"),
            "product": values.get("board_name"),
            "version": values.get("board_version"),
            "serial": _flagged(values.get("board_serial")),
        },
        "chassis": {
            "vendor": values.get("chassis_vendor"),
            "type": chassis_name(values.get("chassis_type")),
            "serial": _flagged(values.get("chassis_serial")),
            "asset_tag": values.get("chassis_asset_tag"),
        },
        "bios": {
            "vendor": values.get("bios_vendor"),
            "version": values.get("bios_version"),
            "date": values.get("bios_date"),
        },
    }


@dataclass
class DmiRecord:
    """One `dmidecode` record: its SMBIOS type, title line and "Key: Value" fields."""

    type: int
    title: str
    fields: dict[str, str] = field(default_factory=dict)


_HANDLE = re.compile(r"^Handle 0x[0-9A-Fa-f]+, DMI type (\d+),")


def parse_dmidecode(text: str) -> list[DmiRecord]:
    """Split `dmidecode` text output into records (tab- or space-indented fields)."""
    records: list[DmiRecord] = []
    current: DmiRecord | None = None
    expect_title = False
    for line in text.splitlines():
        match = _HANDLE.match(line)
        if match:
            current = DmiRecord(type=int(match.group(1)), title="")
            records.append(current)
            expect_title = True
        elif current is not None and expect_title and line.strip():
            current.title = line.strip()
            expect_title = False
        elif current is not None and line[:1] in ("\t", " ") and ":" in line:
            key, _, value = line.strip().partition(":")
            current.fields.setdefault(key.strip(), value.strip())
    return records


# dmidecode field names of types 0-3, mapped to the sysfs attribute names.
_DMIDECODE_IDENTITY = {
    0: {"Vendor": "bios_vendor", "Version": "bios_version", "Release Date": "bios_date"},
    1: {
        "Manufacturer": "sys_vendor",
        "Product Name": "product_name",
        "Version": "product_version",
        "Serial Number": "product_serial",
        "UUID": "product_uuid",
        "SKU Number": "product_sku",
        "Family": "product_family",
    },
    2: {
        "Manufacturer": "board_vendor",
        "Product Name": "board_name",
        "Version": "board_version",
        "Serial Number": "board_serial",
    },
    3: {
        "Manufacturer": "chassis_vendor",
        "Type": "chassis_type",
        "Serial Number": "chassis_serial",
        "Asset Tag": "chassis_asset_tag",
    },
}


def identity_from_dmidecode(records: list[DmiRecord]) -> dict[str, str]:
    """Collect SMBIOS identity strings (types 0-3) under their sysfs attribute names."""
    values: dict[str, str] = {}
    for record in records:
        for key, name in _DMIDECODE_IDENTITY.get(record.type, {}).items():
            if key in record.fields and name not in values:
                values[name] = record.fields[key]
    return values


def has_dmi(sys_root: str | Path = "/sys") -> bool:
    """Tell whether the kernel exposes SMBIOS tables at all."""
    return os.path.isdir(Path(sys_root) / "firmware/dmi/tables") or os.path.isdir(
        Path(sys_root) / "class/dmi/id"
    )
