"""A FUSE file that behaves like a failing disk, for loop devices in system tests.

The kernel has no device-mapper here, so a loop device attached over this file is
the real way to get I/O errors at chosen offsets, a disk that vanishes, and a
write that blocks until the test lets it go.

    python faultydisk.py BACKING MOUNTPOINT STATUS_DIR [--fail-write START:LEN]...
        [--fail-read START:LEN]... [--gate OFFSET]

The file appears as MOUNTPOINT/disk.img. --gate blocks every write reaching past
OFFSET (and touches STATUS_DIR/gate-reached) until STATUS_DIR/open-gate exists;
STATUS_DIR/unplug "unplugs" the disk: every later read or write fails with EIO.
Control goes through files because libfuse's loop keeps the main thread in C, where
Python signal handlers never run. A gate left closed for GATE_TIMEOUT seconds
unplugs the disk by itself, so a broken test cannot wedge the machine.
"""

from __future__ import annotations

import argparse
import errno
import os
import stat
import threading
import time
from pathlib import Path
from typing import Any

import mfusepy

NAME = "/disk.img"
GATE_TIMEOUT = 120.0


def _range(text: str) -> tuple[int, int]:
    start, length = text.split(":")
    return int(start), int(length)


class FaultyDisk(mfusepy.Operations):
    """Serve one file whose I/O fails inside the configured byte ranges."""

    use_ns = True

    def __init__(self, args: argparse.Namespace) -> None:
        self.fd = os.open(args.backing, os.O_RDWR)
        self.size = os.fstat(self.fd).st_size
        self.fail_write: list[tuple[int, int]] = args.fail_write
        self.fail_read: list[tuple[int, int]] = args.fail_read
        self.gate = args.gate
        self.gate_open = threading.Event()
        self.status_dir = Path(args.status_dir)
        self.unplugged = False

    def getattr(self, path: str, fh: int | None = None) -> dict[str, Any]:
        if path == "/":
            return {"st_mode": stat.S_IFDIR | 0o755, "st_nlink": 2}
        if path != NAME:
            raise mfusepy.FuseOSError(errno.ENOENT)
        return {"st_mode": stat.S_IFREG | 0o600, "st_nlink": 1, "st_size": self.size}

    def readdir(self, path: str, fh: int) -> list[str]:
        return [".", "..", NAME[1:]]

    def open(self, path: str, fi: Any) -> int:
        # Bypass the FUSE page cache so every read and write reaches this process.
        fi.direct_io = 1
        return 0

    @staticmethod
    def _hits(ranges: list[tuple[int, int]], offset: int, size: int) -> bool:
        return any(offset < start + length and start < offset + size for start, length in ranges)

    def read(self, path: str, size: int, offset: int, fh: Any) -> bytes:
        if self.unplugged or self._hits(self.fail_read, offset, size):
            raise mfusepy.FuseOSError(errno.EIO)
        return os.pread(self.fd, size, offset)

    def write(self, path: str, data: bytes, offset: int, fh: Any) -> int:
        if self.gate is not None and offset + len(data) > self.gate and not self.gate_open.is_set():
            (self.status_dir / "gate-reached").touch()
            if not self.gate_open.wait(GATE_TIMEOUT):
                self.unplugged = True
        if self.unplugged or self._hits(self.fail_write, offset, len(data)):
            raise mfusepy.FuseOSError(errno.EIO)
        return os.pwrite(self.fd, data, offset)

    def fsync(self, path: str, datasync: int, fh: Any) -> int:
        if self.unplugged:
            raise mfusepy.FuseOSError(errno.EIO)
        os.fsync(self.fd)
        return 0

    def flush(self, path: str, fh: Any) -> int:
        return 0

    def truncate(self, path: str, length: int, fh: int | None = None) -> int:
        raise mfusepy.FuseOSError(errno.EPERM)


def _watch_controls(ops: FaultyDisk) -> None:
    while True:
        if (ops.status_dir / "unplug").exists():
            ops.unplugged = True
            ops.gate_open.set()
        if (ops.status_dir / "open-gate").exists():
            ops.gate_open.set()
        time.sleep(0.02)


def main() -> None:
    """Mount the faulty disk in the foreground until unmounted."""
    parser = argparse.ArgumentParser()
    parser.add_argument("backing")
    parser.add_argument("mountpoint")
    parser.add_argument("status_dir")
    parser.add_argument("--fail-write", type=_range, action="append", default=[])
    parser.add_argument("--fail-read", type=_range, action="append", default=[])
    parser.add_argument("--gate", type=int)
    args = parser.parse_args()
    ops = FaultyDisk(args)
    threading.Thread(target=_watch_controls, args=(ops,), daemon=True).start()
    (Path(args.status_dir) / "ready").touch()
    mfusepy.FUSE(ops, args.mountpoint, foreground=True, raw_fi=True)


if __name__ == "__main__":
    main()
