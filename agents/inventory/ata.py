"""Drive identity from ATA IDENTIFY / NVMe identify, as reported by smartctl or hdparm.

sysfs gives a SATA disk's model only as the 16-character SCSI INQUIRY field and
may lack the serial behind some bridges; these parsers read the full identity
from `smartctl --json -i` or `hdparm -I` output, and `enrich_disk()` merges it
into a `Disk` without overwriting what sysfs already got right.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from typing import Any

from agents.inventory.disks import Disk
from agents.inventory.tools import ToolRunner

SMARTCTL_TIMEOUT = 15.0
HDPARM_TIMEOUT = 10.0
# smartctl exit status bits 0 and 1: command line error / device open failed.
_SMARTCTL_FATAL_BITS = 0b11
# Transports where ATA IDENTIFY can add something sysfs lacks (full model, serial).
_IDENTIFY_TRANSPORTS = frozenset({"sata", "usb", "scsi", "sas"})


@dataclass(frozen=True)
class DriveIdentity:
    """What a drive says about itself; None where the tool did not tell."""

    model: str | None = None
    serial: str | None = None
    wwn: str | None = None
    firmware: str | None = None
    size_bytes: int | None = None
    logical_sector_size: int | None = None
    physical_sector_size: int | None = None
    rotational: bool | None = None
    source: str = ""


def _wwn_from_smartctl(wwn: Any) -> str | None:
    if not isinstance(wwn, dict):
        return None
    try:
        naa, oui, ident = int(wwn["naa"]), int(wwn["oui"]), int(wwn["id"])
    except (KeyError, TypeError, ValueError):
        return None
    # 64-bit NAA name: 4-bit NAA, 24-bit IEEE OUI, 36-bit vendor-specific id.
    return f"0x{naa:01x}{oui:06x}{ident:09x}"


def _text(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    return value.strip() or None


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def parse_smartctl_identity(document: dict[str, Any]) -> DriveIdentity | None:
    """Read a drive's identity from a `smartctl --json` document; None if it holds none."""
    status = document.get("smartctl", {}).get("exit_status", 0)
    if isinstance(status, int) and status & _SMARTCTL_FATAL_BITS:
        return None
    model = _text(document.get("model_name"))
    serial = _text(document.get("serial_number"))
    if model is None and serial is None:
        return None
    rotation = _int(document.get("rotation_rate"))
    capacity = document.get("user_capacity")
    return DriveIdentity(
        model=model,
        serial=serial,
        wwn=_wwn_from_smartctl(document.get("wwn")),
        firmware=_text(document.get("firmware_version")),
        size_bytes=_int(capacity.get("bytes")) if isinstance(capacity, dict) else None,
        logical_sector_size=_int(document.get("logical_block_size")),
        physical_sector_size=_int(document.get("physical_block_size")),
        rotational=None if rotation is None else rotation > 0,
        source="smartctl",
    )


_HDPARM_FIELD = re.compile(r"^\s*([A-Za-z][A-Za-z /]*?):\s*(.*?)\s*$")
_SECTOR = re.compile(r"^\s*(Logical|Physical)\s+Sector size:\s*(\d+) bytes", re.M)


def _hdparm_fields(text: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    for line in text.splitlines():
        match = _HDPARM_FIELD.match(line)
        if match and match.group(1) not in fields:
            fields[match.group(1)] = match.group(2)
    return fields


def hdparm_is_trustworthy(text: str) -> bool:
    """Tell whether `hdparm -I` output passed its IDENTIFY integrity check."""
    if re.search(r"^Integrity word not set \(found", text, re.M):
        return False
    checksum = re.search(r"^Checksum:\s*(\S+)", text, re.M)
    return checksum is None or checksum.group(1) == "correct"


def parse_hdparm_identity(text: str) -> DriveIdentity | None:
    """Read a drive's identity from `hdparm -I`; None when absent or the data is corrupt."""
    if not hdparm_is_trustworthy(text):
        return None
    fields = _hdparm_fields(text)
    model = _text(fields.get("Model Number"))
    serial = _text(fields.get("Serial Number"))
    if model is None and serial is None:
        return None
    sectors = {kind.lower(): int(size) for kind, size in _SECTOR.findall(text)}
    shared = re.search(r"Logical/Physical Sector size:\s*(\d+) bytes", text)
    if shared:
        sectors = {"logical": int(shared.group(1)), "physical": int(shared.group(1))}
    rate = _text(fields.get("Nominal Media Rotation Rate"))
    wwn = _text(fields.get("Logical Unit WWN Device Identifier"))
    return DriveIdentity(
        model=model,
        serial=serial,
        wwn=f"0x{wwn.lower()}" if wwn else None,
        firmware=_text(fields.get("Firmware Revision")),
        logical_sector_size=sectors.get("logical"),
        physical_sector_size=sectors.get("physical"),
        rotational=None if rate is None else not rate.startswith("Solid State"),
        source="hdparm",
    )


def merge_identity(disk: Disk, identity: DriveIdentity) -> Disk:
    """Return `disk` completed by `identity`: the full ATA model wins, sysfs facts stay."""
    sources = dict(disk.sources)
    changes: dict[str, Any] = {}
    if identity.model and identity.model != disk.model:
        changes["model"] = identity.model
        sources["model"] = identity.source
    if identity.serial and not disk.serial:
        changes["serial"] = identity.serial
        sources["serial"] = identity.source
    if identity.wwn and not disk.wwn:
        changes["wwn"] = identity.wwn
        sources["wwn"] = identity.source
    if identity.firmware and not disk.firmware:
        changes["firmware"] = identity.firmware
    if disk.rotational is None and identity.rotational is not None:
        changes["rotational"] = identity.rotational
    if not changes:
        return disk
    return replace(disk, sources=sources, **changes)


def identify_disk(disk: Disk, runner: ToolRunner) -> DriveIdentity | None:
    """Ask smartctl, then hdparm, for the identity of a SATA/USB/SCSI disk; None if neither can."""
    if disk.transport not in _IDENTIFY_TRANSPORTS:
        return None
    output = runner.run(["smartctl", "--json", "-i", disk.path], SMARTCTL_TIMEOUT, ok_codes=None)
    if output is not None:
        try:
            identity = parse_smartctl_identity(json.loads(output))
        except ValueError:
            runner.note(f"smartctl gave unreadable JSON for {disk.path}")
            identity = None
        if identity is not None:
            return identity
    if disk.transport != "sata":
        return None  # hdparm through USB bridges can hang or mislead
    output = runner.run(["hdparm", "-I", disk.path], HDPARM_TIMEOUT)
    return parse_hdparm_identity(output) if output is not None else None
