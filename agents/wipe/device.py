"""Finding the named disk and opening it for a wipe, with the safety check right before.

The open is the last gate: the disk must have been named by the technician, be
a whole disk, still have the identity that was confirmed (model, serial, WWN, size
and the kernel's media sequence number, diskseq), have no protection reason, and be
opened with O_EXCL so the kernel refuses it if a mount, a RAID or device-mapper
claimed it in the meantime. The identity is checked again on the opened descriptor
(its device number leads back to sysfs), so a disk swapped between the check and the
open is caught too.
"""

from __future__ import annotations

import errno
import os
import socket
import stat
from pathlib import Path

from agents.inventory.disks import Disk, read_disk
from agents.safety import SystemPaths, protection_messages
from agents.wipe.errors import DiskNotSelected, DiskProtected, WipeError
from atelier_protocol.reasons import say
from atelier_protocol.wipe import DiskIdentity, HostIdentity


def resolve_disk(path: str, paths: SystemPaths | None = None) -> Disk:
    """Return the whole disk a device path names (symlinks resolved), or raise WipeError."""
    paths = paths or SystemPaths()
    real = os.path.realpath(path)
    if not real.startswith("/dev/") or not os.path.exists(real):
        raise WipeError.of(say("device.missing", path=path), {"device": path})
    name = os.path.basename(real)
    block = paths.sys_root / "class" / "block" / name
    if (block / "partition").exists():
        raise WipeError.of(say("device.partition", path=path), {"device": path})
    disk = read_disk(paths.sys_root / "block" / name) if block.exists() else None
    if disk is None:
        raise WipeError.of(say("device.no_media", path=path), {"device": path})
    return disk


def disk_identity(disk: Disk) -> DiskIdentity:
    """The wire-format identity of a disk."""
    return DiskIdentity(
        name=disk.name,
        path=disk.path,
        model=disk.model,
        serial=disk.serial,
        wwn=disk.wwn,
        size_bytes=disk.size_bytes,
        logical_sector_size=disk.logical_sector_size,
        physical_sector_size=disk.physical_sector_size,
        sectors=disk.size_bytes // disk.logical_sector_size,
        transport=disk.transport,
        rotational=disk.rotational,
        removable=disk.removable,
    )


def host_identity(dmi_root: Path = Path("/sys/class/dmi/id")) -> HostIdentity:
    """The host's system serial (when readable) and hostname."""
    try:
        serial = (dmi_root / "product_serial").read_text().strip() or None
    except OSError:
        serial = None
    return HostIdentity(system_serial=serial, hostname=socket.gethostname())


def _same_disk(confirmed: Disk, now: Disk) -> bool:
    keys = ("model", "serial", "wwn", "size_bytes", "logical_sector_size")
    if not all(getattr(confirmed, key) == getattr(now, key) for key in keys):
        return False
    # Without a serial, model and size say little: the media sequence number tells a disk
    # swapped in the same slot (or a loop device attached again) from the one confirmed.
    return confirmed.diskseq is None or confirmed.diskseq == now.diskseq


def _opened_disk(fd: int, disk: Disk, paths: SystemPaths) -> None:
    """Check what the descriptor really opened: the confirmed disk, not whatever the path
    names now (st_rdev -> /sys/dev/block/MAJ:MIN -> identity and media sequence)."""
    info = os.fstat(fd)
    if not stat.S_ISBLK(info.st_mode):
        raise DiskProtected.of(say("device.no_media", path=disk.path), {"device": disk.path})
    number = f"{os.major(info.st_rdev)}:{os.minor(info.st_rdev)}"
    block = Path(os.path.realpath(paths.sys_root / "dev" / "block" / number))
    now = read_disk(block) if block.name == disk.name else None
    if now is None or not _same_disk(disk, now):
        raise DiskProtected.of(
            say("device.changed", path=disk.path), {"device": disk.path, "opened": number}
        )


def open_for_wipe(disk: Disk, selected: set[str], paths: SystemPaths | None = None) -> int:
    """Re-check and open `disk` read-write with O_DIRECT|O_EXCL; return the file descriptor."""
    paths = paths or SystemPaths()
    if os.path.realpath(disk.path) not in {os.path.realpath(p) for p in selected}:
        raise DiskNotSelected.of(say("device.not_selected", path=disk.path), {"device": disk.path})
    now = resolve_disk(disk.path, paths)
    if not _same_disk(disk, now):
        raise DiskProtected.of(say("device.changed", path=disk.path), {"device": disk.path})
    reasons = protection_messages(disk.name, paths)
    if reasons:
        said = say("task.disk_protected", path=disk.path, reasons=reasons)
        raise DiskProtected.of(said, {"reasons": [r.english() for r in reasons]})
    flags = os.O_RDWR | os.O_DIRECT | os.O_EXCL | os.O_CLOEXEC
    try:
        fd = os.open(disk.path, flags)
    except OSError as exc:
        if exc.errno == errno.EBUSY:
            raise DiskProtected.of(
                say("device.busy", path=disk.path), {"device": disk.path}
            ) from exc
        said = say("device.cannot_open", path=disk.path, error=str(exc.strerror or exc))
        raise WipeError.of(said) from exc
    try:
        _opened_disk(fd, disk, paths)
    except BaseException:
        os.close(fd)
        raise
    size = os.lseek(fd, 0, os.SEEK_END)
    if size != disk.size_bytes:
        os.close(fd)
        raise DiskProtected.of(
            say("device.size_changed", path=disk.path, size=size, expected=disk.size_bytes)
        )
    return fd
