"""Full-surface read scan: read every sector once, find the first unreadable LBA.

Built on the wipe engine's read path (agents.wipe.passes): the same chunking,
retries and sector-by-sector replay that locate a failing LBA during a wipe's
verification. The wipe's `run_pass` compares what it reads with the pattern it
wrote; a diagnostic does not know what the disk holds, so the workers here only
read. The disk is opened read-only with O_DIRECT (no page cache: the disk is
read, not memory), so the scan is safe on a disk in use.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass, field

from agents.wipe.errors import WipeError
from agents.wipe.passes import CHUNK_BYTES, Progress, _io_chunk, full_ranges
from agents.wipe.patterns import aligned_buffer
from atelier_protocol.diagnostic import SurfaceScan

READERS = 4


@dataclass
class _Scan:
    ranges: list[tuple[int, int]]
    lock: threading.Lock = field(default_factory=threading.Lock)
    failures: list[tuple[int, WipeError]] = field(default_factory=list)
    done: int = 0

    def next(self) -> tuple[int, int] | None:
        with self.lock:
            if self.failures or not self.ranges:
                return None
            return self.ranges.pop()

    def record(self, offset: int, length: int, error: WipeError | None) -> None:
        with self.lock:
            if error is None:
                self.done += length
            else:
                self.failures.append((offset, error))


def _reader(fd: int, sector: int, chunk: int, scan: _Scan, progress: Progress) -> None:
    # Not closed explicitly: a located read error's traceback may still hold a view of it.
    buf = aligned_buffer(chunk)
    while (item := scan.next()) is not None:
        offset, length = item
        error = _io_chunk(fd, memoryview(buf)[:length], offset, sector, False)
        scan.record(offset, length, error)
        if error is None:
            progress.add(length)


def scan_fd(
    fd: int,
    size: int,
    sector: int,
    *,
    progress: Progress | None = None,
    chunk: int = CHUNK_BYTES,
    readers: int = READERS,
) -> SurfaceScan:
    """Read [0, size) of an open device; stop at the first sector that cannot be read."""
    progress = progress or Progress()
    progress.begin("surface scan", size)
    # Popped from the end: reversed so the scan runs from LBA 0 upwards.
    scan = _Scan(list(reversed(list(full_ranges(size, chunk)))))
    started = time.monotonic()
    threads = [
        threading.Thread(target=_reader, args=(fd, sector, chunk, scan, progress), daemon=True)
        for _ in range(readers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = max(time.monotonic() - started, 1e-9)
    rate = round(scan.done / elapsed / 1e6, 1)
    if scan.failures:
        offset, error = min(scan.failures, key=lambda item: item[0])
        lba = error.details.get("lba")
        return SurfaceScan(
            status="failed",
            reason=error.message,
            said=getattr(error, "said", None),
            bytes_read=scan.done,
            size_bytes=size,
            first_failing_lba=lba if lba is not None else offset // sector,
            mb_per_s=rate,
        )
    return SurfaceScan(status="passed", bytes_read=scan.done, size_bytes=size, mb_per_s=rate)


def scan_device(path: str, size: int, sector: int, **options: object) -> SurfaceScan:
    """Open `path` read-only (O_DIRECT) and scan it; a disk that cannot be opened is skipped."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_DIRECT | os.O_CLOEXEC)
    except OSError as exc:  # permissions, a vanished disk: not a verdict on the surface
        return SurfaceScan(status="skipped", reason=f"cannot open {path}: {exc.strerror or exc}")
    try:
        return scan_fd(fd, size, sector, **options)  # type: ignore[arg-type]
    finally:
        os.close(fd)
