"""Which disks may be wiped, and if not, why not.

A disk is protected when it, one of its partitions, or anything stacked on them
(device-mapper, md RAID, LVM, found through sysfs `holders`) is mounted, holds
the running system (/, /boot, /boot/efi, /usr, /var), is swap in use, or when
the kernel marks it read-only. Mounts are matched by device number from
/proc/self/mountinfo (reliable even for /dev/root) and by source path; swap
files are traced to the filesystem that holds them.

Everything is read from paths given as arguments, so the walk can be checked on
a small fake tree as well as on the live system.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from atelier_protocol.reasons import Message

# Mount points whose device is "the running system", not merely a mounted disk.
SYSTEM_MOUNTS = ("/", "/boot", "/boot/efi", "/efi", "/usr", "/var")


@dataclass(frozen=True)
class SystemPaths:
    """Where the kernel's views live; tests point these at a fake tree."""

    sys_root: Path = Path("/sys")
    mountinfo: Path = Path("/proc/self/mountinfo")
    swaps: Path = Path("/proc/swaps")


@dataclass(frozen=True)
class Mount:
    """One line of mountinfo: device number, mount point and source."""

    devno: str
    mountpoint: str
    source: str


@dataclass(frozen=True)
class DiskSafety:
    """The verdict for one disk: allowed when it has no protection reason."""

    name: str
    reasons: list[str] = field(default_factory=list)

    @property
    def allowed(self) -> bool:
        """True when nothing forbids wiping the disk."""
        return not self.reasons


def _unescape(text: str) -> str:
    # mountinfo escapes space, tab, newline and backslash as octal.
    for code, char in (("\\040", " "), ("\\011", "\t"), ("\\012", "\n"), ("\\134", "\\")):
        text = text.replace(code, char)
    return text


def read_mounts(mountinfo: Path) -> list[Mount]:
    """Parse /proc/self/mountinfo into Mount entries."""
    mounts = []
    for line in mountinfo.read_text().splitlines():
        fields = line.split()
        if "-" not in fields or len(fields) < 7:
            continue
        sep = fields.index("-")
        source = fields[sep + 2] if len(fields) > sep + 2 else ""
        mounts.append(Mount(fields[2], _unescape(fields[4]), _unescape(source)))
    return mounts


def _devno(st_dev: int) -> str:
    return f"{os.major(st_dev)}:{os.minor(st_dev)}"


def read_swaps(swaps: Path) -> list[tuple[str, str]]:
    """Return (device number, swap name) for each active swap area; files map to their fs."""
    result = []
    for line in swaps.read_text().splitlines()[1:]:
        fields = line.split()
        if not fields:
            continue
        name = _unescape(fields[0])
        try:
            st = os.stat(name)
        except OSError:
            result.append(("", name))  # deleted or unreachable: matched by name below
            continue
        is_block = (st.st_mode & 0o170000) == 0o060000
        result.append((_devno(st.st_rdev if is_block else st.st_dev), name))
    return result


def _read(path: Path) -> str:
    try:
        return path.read_text().strip()
    except OSError:
        return ""


def _listdir(path: Path) -> list[str]:
    try:
        return sorted(os.listdir(path))
    except OSError:
        return []


def stacked_devices(name: str, sys_root: Path) -> dict[str, list[str]]:
    """Map each device built on disk `name` (itself, partitions, holders) to its holders."""
    block = sys_root / "block" / name
    parts = [p for p in _listdir(block) if (block / p / "partition").exists()]
    pending = [(name, block)] + [(p, block / p) for p in parts]
    seen: dict[str, list[str]] = {}
    while pending:
        dev, path = pending.pop()
        if dev in seen:
            continue
        holders = _listdir(path / "holders")
        seen[dev] = holders
        pending.extend((h, sys_root / "class" / "block" / h) for h in holders)
    return seen


def _device_number(dev: str, sys_root: Path) -> str:
    return _read(sys_root / "class" / "block" / dev / "dev")


def protection_messages(name: str, paths: SystemPaths | None = None) -> list[Message]:
    """Why disk `name` must not be wiped, as reason codes; an empty list means it may be."""
    from atelier_protocol.reasons import say  # noqa: PLC0415 - pydantic only when asked

    paths = paths or SystemPaths()
    reasons: list[Message] = []
    if _read(paths.sys_root / "block" / name / "ro") == "1":
        reasons.append(say("disk.read_only", dev=name))
    tree = stacked_devices(name, paths.sys_root)
    by_devno = {_device_number(dev, paths.sys_root): dev for dev in tree}
    by_devno.pop("", None)
    reasons.extend(_mount_reasons(tree, by_devno, read_mounts(paths.mountinfo)))
    for devno, swap_name in read_swaps(paths.swaps):
        dev = by_devno.get(devno) or _dev_of_path(swap_name, tree)
        if dev:
            reasons.append(say("disk.swap_in_use", swap=swap_name, dev=dev))
    for dev, holders in sorted(tree.items()):
        if holders and dev in (name, *_partitions(name, tree)):
            reasons.append(say("disk.held", dev=dev, holders=", ".join(holders)))
    # Bind mounts repeat the same reason.
    return list({reason.model_dump_json(): reason for reason in reasons}.values())


def protection_reasons(name: str, paths: SystemPaths | None = None) -> list[str]:
    """List why disk `name` must not be wiped, in English; an empty list means it may be."""
    return [reason.english() for reason in protection_messages(name, paths)]


def _partitions(name: str, tree: dict[str, list[str]]) -> list[str]:
    return [dev for dev in tree if dev != name and dev.startswith(name)]


def _dev_of_path(source: str, tree: dict[str, list[str]]) -> str | None:
    if not source.startswith("/dev/"):
        return None
    real = os.path.basename(os.path.realpath(source))
    return real if real in tree else None


def _mount_reasons(
    tree: dict[str, list[str]], by_devno: dict[str, str], mounts: list[Mount]
) -> list[Message]:
    from atelier_protocol.reasons import say  # noqa: PLC0415

    reasons = []
    for mount in mounts:
        dev = by_devno.get(mount.devno) or _dev_of_path(mount.source, tree)
        if dev is None:
            continue
        if mount.mountpoint in SYSTEM_MOUNTS:
            reasons.append(say("disk.holds_system", dev=dev, mountpoint=mount.mountpoint))
        else:
            reasons.append(say("disk.mounted", dev=dev, mountpoint=mount.mountpoint))
    return reasons


def assess(name: str, paths: SystemPaths | None = None) -> DiskSafety:
    """Return the safety verdict for disk `name`."""
    return DiskSafety(name, protection_reasons(name, paths))
