"""Removing an ATA Host Protected Area before a wipe, and reporting a DCO restriction.

    $ hdparm -N /dev/sdb
     max sectors   = 976771055/976773168, HPA is enabled
    $ hdparm --yes-i-know-what-i-am-doing -N p976773168 /dev/sdb
     setting max visible sectors to 976773168 (permanent)
     max sectors   = 976773168/976773168, HPA is disabled
    $ echo 1 > /sys/block/sdb/device/rescan     # the kernel re-reads the capacity

The permanent form (`p`) is used: the volatile one reverts at the next power-up,
so the disk would reach its next owner with a hidden area again (empty, but
unexplained, and reported by every later inventory). Permanent removal hands
the disk over with its full native capacity, every sector of it wiped.

After the drive accepts, the kernel must see the new size before the wipe can
cover it: SCSI-attached disks re-read it on `device/rescan`; otherwise a
re-read of the partition table (BLKRRPART) may do it. When neither works, the
wipe runs on the size the kernel sees and the record keeps the difference in
`hidden_bytes_not_erased` (replug the disk and wipe again to cover it).

DCO (Device Configuration Overlay) can also shrink a drive below its real
native size. It is detected with `hdparm --dco-identify` and only reported:
DCO restore also resets the drive's feature settings, which is not done
behind the technician's back.
"""

from __future__ import annotations

import fcntl
import re
from dataclasses import dataclass, replace
from pathlib import Path

from agents.inventory.disks import SECTOR, Disk
from agents.wipe.purge import CommandRunner, parse_hdparm_max_sectors, run_tool
from agents.wipe.purge_poll import tool_message
from atelier_protocol.wipe import HiddenArea

BLKRRPART = 0x125F


@dataclass
class HiddenAreaOutcome:
    """The disk as it will be wiped, what the record says, and the bytes left hidden."""

    disk: Disk
    area: HiddenArea | None
    hidden_bytes: int


def kernel_size(name: str, sys_root: Path = Path("/sys")) -> int | None:
    """The size in bytes the kernel currently gives the disk."""
    try:
        return int((sys_root / "block" / name / "size").read_text()) * SECTOR
    except (OSError, ValueError):
        return None


def rescan(disk: Disk, fd: int | None, sys_root: Path = Path("/sys")) -> list[str]:
    """Ask the kernel to re-read the capacity; return what was tried and failed."""
    failed: list[str] = []
    try:
        (sys_root / "block" / disk.name / "device" / "rescan").write_text("1")
        return failed
    except OSError as exc:
        failed.append(f"device/rescan: {exc.strerror or exc}")
    if fd is not None:
        try:
            fcntl.ioctl(fd, BLKRRPART)
        except OSError as exc:
            failed.append(f"BLKRRPART: {exc.strerror or exc}")
    return failed


def remove_hpa(
    disk: Disk,
    area: HiddenArea,
    *,
    fd: int | None,
    run: CommandRunner = run_tool,
    sys_root: Path = Path("/sys"),
) -> HiddenAreaOutcome:
    """Remove the HPA permanently and make the kernel see the native size."""
    current, native = area.current_max_sectors_before, area.native_max_sectors_before
    if current is None or native is None or native <= current:
        return HiddenAreaOutcome(disk, area, 0)
    sector = disk.logical_sector_size
    status, out = run(["hdparm", "--yes-i-know-what-i-am-doing", "-N", f"p{native}", disk.path])
    _, now = run(["hdparm", "-N", disk.path])
    after = parse_hdparm_max_sectors(now)
    if after is not None:
        area.current_max_sectors_after = after.current
        area.native_max_sectors_after = after.native
    if status != 0 or after is None or after.current < native:
        area.note = (
            f"HPA could not be removed (hdparm -N p{native}: exit {status}, "
            f"{tool_message(out) or 'no message'}): its sectors are not erased"
        )
        return HiddenAreaOutcome(disk, area, (native - current) * sector)
    tried = rescan(disk, fd, sys_root)
    seen = kernel_size(disk.name, sys_root) or disk.size_bytes
    wiped = replace(disk, size_bytes=max(seen, disk.size_bytes))
    if seen >= native * sector:
        area.removed = True
        area.note = f"HPA removed (hdparm -N p{native}); the whole native size is wiped"
        return HiddenAreaOutcome(wiped, area, 0)
    area.removed = True
    area.note = (
        f"HPA removed on the drive, but the kernel still sees {seen // sector} of {native} "
        f"sectors ({'; '.join(tried) or 'rescan had no effect'}): the rest is not erased; "
        "replug the disk and wipe it again"
    )
    return HiddenAreaOutcome(wiped, area, native * sector - seen)


_DCO_REAL = re.compile(r"Real max sectors:\s*(\d+)")


def probe_dco(disk: Disk, area: HiddenArea, run: CommandRunner = run_tool) -> int:
    """Record a DCO restriction in `area`; return the bytes it hides (never erased here)."""
    status, out = run(["hdparm", "--dco-identify", disk.path])
    match = _DCO_REAL.search(out) if status == 0 else None
    native = area.native_max_sectors_after or area.native_max_sectors_before
    if match is None or native is None:
        area.dco_restricted = None
        return 0
    real = int(match.group(1))
    area.dco_restricted = real > native
    if real <= native:
        return 0
    hidden = (real - native) * disk.logical_sector_size
    note = (
        f"DCO limits the drive to {native} of its {real} sectors; DCO restore is not run "
        "automatically (it also resets the drive's settings): those sectors are not erased"
    )
    area.detected = True
    area.note = f"{area.note}; {note}" if area.note else note
    return hidden
