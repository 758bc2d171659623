"""Disks as the kernel sees them, read from sysfs only (no udev database needed).

`list_disks()` walks /sys/block and returns one `Disk` per whole disk that has
media (size > 0): SATA/SAS, NVMe namespaces, USB disks, virtio, MMC and
attached loop devices. RAM disks, zram, device-mapper and md devices are left
out: they are not drives one could wipe or hand over.

The serial comes from sysfs even on a live system without udev: NVMe
controllers expose `serial`, SCSI/SATA disks expose VPD page 0x80
(`device/vpd_pg80`), MMC cards expose `device/serial`. The SCSI `model` of a
SATA disk is the 16-character INQUIRY field; `agents.inventory.ata` can
replace it with the full ATA IDENTIFY model when a tool is available.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

SECTOR = 512  # /sys/block/X/size is always in 512-byte units.
_SKIPPED_PREFIXES = ("ram", "zram", "dm-", "md", "sr", "fd", "nbd")


@dataclass(frozen=True)
class Disk:
    """A whole block device with its identity and geometry."""

    name: str
    path: str
    model: str | None
    serial: str | None
    wwn: str | None
    size_bytes: int
    logical_sector_size: int
    physical_sector_size: int
    rotational: bool | None
    transport: str
    removable: bool
    vendor: str | None = None
    firmware: str | None = None
    # Where each identity value was read, e.g. {"serial": "sysfs:vpd_pg80"}.
    sources: dict[str, str] = field(default_factory=dict)
    # The kernel's sequence number of the media in this slot (Linux 5.15+; None before):
    # a disk swapped in the same slot, or a loop device re-attached, gets a new one.
    diskseq: int | None = None


def read_text(path: Path) -> str | None:
    """Read a sysfs attribute as stripped text, or None when absent or unreadable."""
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    text = raw.decode("utf-8", errors="replace").strip()
    return text or None


def _read_int(path: Path) -> int | None:
    text = read_text(path)
    if text is None:
        return None
    try:
        return int(text)
    except ValueError:
        return None


def parse_vpd_pg80(raw: bytes) -> str | None:
    """Extract the unit serial number from a SCSI VPD page 0x80 (4-byte header, then ASCII)."""
    if len(raw) < 4 or raw[1] != 0x80:
        return None
    length = int.from_bytes(raw[2:4], "big")
    serial = raw[4 : 4 + length].decode("ascii", errors="replace").strip(" \x00\n")
    return serial or None


def parse_wwid(text: str | None) -> str | None:
    """Turn a sysfs `wwid` into a WWN: NAA as "0x<hex>", EUI-64 as "eui.<hex>"; else None."""
    if not text:
        return None
    text = text.strip()
    if text.startswith("naa."):
        return "0x" + text[4:].lower()
    if text.startswith("eui."):
        return "eui." + text[4:].lower()
    # "t10.ATA ..." and "nvme.<vid>-..." are vendor strings synthesised by the kernel, not WWNs.
    return None


def _link_name(path: Path) -> str | None:
    try:
        return os.path.basename(os.readlink(path))
    except OSError:
        return None


def detect_transport(block: Path, name: str) -> str:
    """Classify how a disk is attached: nvme, usb, sata, sas, scsi, virtio, mmc, loop or unknown."""
    if name.startswith("loop"):
        return "loop"
    device = block / "device"
    if name.startswith("nvme") or _link_name(device / "subsystem") == "nvme":
        return "nvme"
    try:
        real = os.path.realpath(block)
    except OSError:
        real = str(block)
    if "/usb" in real:
        return "usb"
    if name.startswith("vd") or "/virtio" in real:
        return "virtio"
    if name.startswith("mmcblk") or "/mmc_host/" in real:
        return "mmc"
    if (read_text(device / "vendor") or "") == "ATA" or "/ata" in real:
        return "sata"
    if "/sas_" in real or "/end_device-" in real:
        return "sas"
    if _link_name(device / "subsystem") == "scsi":
        return "scsi"
    return "unknown"


def identity_dir(block: Path, transport: str) -> Path:
    """Directory holding a disk's model/serial attributes: its `device`, or the NVMe subsystem."""
    device = block / "device"
    if transport == "nvme" and not (device / "serial").exists():
        # Native NVMe multipath: the namespace sits under nvme-subsysN, which has the attributes.
        return Path(os.path.realpath(block)).parent
    return device


def read_serial(block: Path, transport: str) -> tuple[str | None, str | None]:
    """Read a disk serial from sysfs; return (serial, source) or (None, None)."""
    device = identity_dir(block, transport)
    if transport == "nvme":
        serial = read_text(device / "serial")  # the controller (nvme0) or subsystem
        return (serial, "sysfs:nvme/serial") if serial else (None, None)
    try:
        serial = parse_vpd_pg80((device / "vpd_pg80").read_bytes())
    except OSError:
        serial = None
    if serial:
        return serial, "sysfs:vpd_pg80"
    serial = read_text(device / "serial")
    if serial:
        return serial, "sysfs:device/serial"
    # virtio-blk exposes the serial on the block device itself.
    serial = read_text(block / "serial")
    return (serial, "sysfs:serial") if serial else (None, None)


def _read_wwn(block: Path) -> str | None:
    return parse_wwid(read_text(block / "wwid")) or parse_wwid(read_text(block / "device/wwid"))


def read_disk(block: Path, dev_root: str = "/dev") -> Disk | None:
    """Build a Disk from one /sys/block/<name> directory; None when it has no media."""
    name = block.name
    size_sectors = _read_int(block / "size") or 0
    if size_sectors <= 0:
        return None
    transport = detect_transport(block, name)
    device = identity_dir(block, transport)
    serial, serial_source = read_serial(block, transport)
    model = read_text(device / "model") or read_text(device / "name")
    rotational = _read_int(block / "queue/rotational")
    sources = {"model": "sysfs"} if model else {}
    if serial_source:
        sources["serial"] = serial_source
    logical = _read_int(block / "queue/logical_block_size") or SECTOR
    vendor = read_text(device / "vendor")
    if vendor and vendor.startswith("0x"):
        vendor = None  # a PCI vendor id (virtio), not a name
    firmware = read_text(device / "firmware_rev") or read_text(device / "rev")
    return Disk(
        name=name,
        path=f"{dev_root}/{name}",
        model=model,
        serial=serial,
        wwn=_read_wwn(block),
        size_bytes=size_sectors * SECTOR,
        logical_sector_size=logical,
        physical_sector_size=_read_int(block / "queue/physical_block_size") or logical,
        rotational=None if rotational is None else rotational == 1,
        transport=transport,
        removable=_read_int(block / "removable") == 1,
        vendor=vendor,
        firmware=firmware,
        sources=sources,
        diskseq=_read_int(block / "diskseq"),
    )


def list_disks(sys_root: str | Path = "/sys", dev_root: str = "/dev") -> list[Disk]:
    """List every whole disk with media under <sys_root>/block, sorted by name."""
    block_dir = Path(sys_root) / "block"
    try:
        names = sorted(os.listdir(block_dir))
    except OSError:
        return []
    disks = []
    for name in names:
        if name.startswith(_SKIPPED_PREFIXES):
            continue
        disk = read_disk(block_dir / name, dev_root)
        if disk is not None:
            disks.append(disk)
    return disks
