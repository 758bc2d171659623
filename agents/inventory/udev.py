"""Device properties from udev (pyudev), with a sysfs `uevent` fallback.

When the udev database exists, its block-device properties (ata_id's full
model, ID_SERIAL_SHORT, ID_WWN) complete what sysfs tells. On a live system
started without udev, pyudev still enumerates devices from sysfs and the
properties are just the kernel's uevent ones.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from agents.inventory.devices import parse_uevent
from agents.inventory.disks import Disk, read_text

_HEX_ESCAPE = re.compile(r"\\x([0-9a-fA-F]{2})")


def parse_udev_record(text: str) -> dict[str, str]:
    """Read the `E:KEY=VALUE` properties of a /run/udev/data record or an export-db block."""
    properties = {}
    for line in text.splitlines():
        if line.startswith("E:"):
            # /run/udev/data writes "E:KEY=VALUE"; `udevadm info` adds a space after the colon.
            key, _, value = line[2:].lstrip(" ").partition("=")
            properties[key] = value
    return properties


def decode_udev_string(encoded: str) -> str:
    """Decode udev's `\\xNN` escapes (as in ID_MODEL_ENC) and strip padding."""
    return _HEX_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), encoded).strip()


def subsystem_properties(subsystem: str, notes: list[str]) -> dict[str, dict[str, str]]:
    """Map sys_name -> properties for every device of a subsystem, via pyudev."""
    try:
        import pyudev  # noqa: PLC0415 - loads libudev through ctypes: only when needed

        context = pyudev.Context()
        return {
            device.sys_name: dict(device.properties.items())
            for device in context.list_devices(subsystem=subsystem)
        }
    except ImportError as error:
        notes.append(f"pyudev/libudev unavailable ({error}): read sysfs uevent files instead")
    except OSError as error:
        notes.append(f"udev enumeration of {subsystem} failed: {error}")
    return {}


def uevent_properties(class_dir: Path) -> dict[str, dict[str, str]]:
    """Map name -> uevent properties for each entry of a /sys/class/<subsystem> directory."""
    try:
        entries = sorted(class_dir.iterdir())
    except OSError:
        return {}
    return {entry.name: parse_uevent(read_text(entry / "uevent") or "") for entry in entries}


def enrich_from_udev(disk: Disk, properties: dict[str, str]) -> Disk:
    """Complete a Disk with udev database properties (full ATA model, serial, WWN)."""
    changes: dict[str, object] = {}
    sources = dict(disk.sources)
    serial = properties.get("ID_SERIAL_SHORT", "").strip()
    if serial and not disk.serial:
        changes["serial"], sources["serial"] = serial, "udev"
    wwn = properties.get("ID_WWN", "").strip().lower()
    if wwn and not disk.wwn:
        changes["wwn"], sources["wwn"] = wwn, "udev"
    # ata_id read ATA IDENTIFY: its model is the full one, not the 16-char SCSI field.
    if properties.get("ID_ATA") == "1":
        model = decode_udev_string(properties.get("ID_MODEL_ENC", "")) or properties.get(
            "ID_MODEL", ""
        ).replace("_", " ")
        if model and model != disk.model:
            changes["model"], sources["model"] = model, "udev:ata_id"
    rpm = properties.get("ID_ATA_ROTATION_RATE_RPM", "")
    if disk.rotational is None and rpm.isdigit():
        changes["rotational"] = int(rpm) > 0
    if not changes:
        return disk
    return replace(disk, sources=sources, **changes)  # type: ignore[arg-type]
