"""Overwrite and read-back passes over an open block device, several I/Os in flight.

Two engines run a pass. The default keeps `depth` chunks queued with Linux native
AIO from one thread (agents.wipe.aio_pass), like fio's libaio engine. Where native
AIO is unavailable, `depth` worker threads take the next chunk from a shared
cursor; os.pwrite/os.preadv release the GIL, so they keep up to `depth` requests
queued while the others generate the next chunk's pattern. Either way a failing
I/O is retried; if it keeps failing the chunk is replayed sector by sector to find
the first failing LBA, and the pass stops. A write pass ends with a flush (fsync):
the pass is not done before the data has left the drive's volatile cache.
`bytes_done` counts only chunks that were completely written (or read and matched).
"""

from __future__ import annotations

import mmap
import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

from agents.wipe import chunkio
from agents.wipe.aio import AioUnavailable
from agents.wipe.aio_pass import AioPass
from agents.wipe.chunkio import io_chunk as _io_chunk  # also used by agents.diagnostics.surface
from agents.wipe.errors import WipeError, WipeIOError
from agents.wipe.patterns import Pattern, aligned_buffer

# Like fio --bs=4M with 16-32 in flight, its best depths on loop devices over virtio here (see
# benchmarks/wipe.py); 32 keeps the device busy while chunks of the AES stream are generated
# or read-backs compared. Up to DEPTH x CHUNK_BYTES = 128 MiB of buffers per disk (AES stream,
# read-back); a constant pattern written shares one buffer.
CHUNK_BYTES = 4 << 20
DEPTH = 32
Engine = Literal["auto", "aio", "threads"]


@dataclass
class Progress:
    """Bytes done in the current phase; updated by workers, read by the display."""

    total: int = 0
    done: int = 0
    phase: str = "waiting"
    started: float = field(default_factory=time.monotonic)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def begin(self, phase: str, total: int) -> None:
        """Start a new phase of `total` bytes."""
        with self._lock:
            self.phase, self.total, self.done = phase, total, 0
            self.started = time.monotonic()

    def add(self, count: int) -> None:
        """Count `count` more bytes as done."""
        with self._lock:
            self.done += count


@dataclass
class PassResult:
    """What a pass achieved: bytes fully done, and the error that stopped it, if any."""

    bytes_done: int
    error: WipeError | None = None


def full_ranges(size: int, chunk: int) -> Iterator[tuple[int, int]]:
    """Split [0, size) into consecutive chunks."""
    for offset in range(0, size, chunk):
        yield offset, min(chunk, size - offset)


def split_ranges(ranges: list[tuple[int, int]], chunk: int) -> Iterator[tuple[int, int]]:
    """Split each (offset, length) range into pieces of at most `chunk` bytes."""
    for start, length in ranges:
        yield from ((start + o, n) for o, n in full_ranges(length, chunk))


@dataclass
class _Shared:
    work: Iterator[tuple[int, int]]
    lock: threading.Lock = field(default_factory=threading.Lock)
    stop: threading.Event = field(default_factory=threading.Event)
    errors: list[tuple[int, WipeError]] = field(default_factory=list)
    done: int = 0

    def next(self) -> tuple[int, int] | None:
        with self.lock:
            if self.stop.is_set():
                return None
            return next(self.work, None)

    def fail(self, offset: int, error: WipeError) -> None:
        with self.lock:
            self.errors.append((offset, error))
            self.stop.set()

    def count(self, length: int) -> None:
        with self.lock:
            self.done += length


def _worker(
    fd: int,
    pattern: Pattern,
    write: bool,
    sector: int,
    chunk: int,
    shared: _Shared,
    progress: Progress,
    constant: mmap.mmap | None,
) -> None:
    # A constant pattern is filled once and shared: pwrite and compare only read it.
    if write:
        buf = constant or aligned_buffer(chunk)
        expected = buf
    else:
        buf = aligned_buffer(chunk)
        expected = constant or aligned_buffer(chunk)
    while (item := shared.next()) is not None:
        offset, length = item
        if not pattern.constant:
            pattern.fill(expected, offset, length)
        with memoryview(buf) as view:
            error = _io_chunk(fd, view[:length], offset, sector, write)
        if error is None and not write:
            error = chunkio.compare(buf, expected, offset, length, sector)
        if error is not None:
            shared.fail(offset, error)
            return
        shared.count(length)
        progress.add(length)


def _run_threads(
    fd: int, shared: _Shared, pattern: Pattern, write: bool, sector: int, progress: Progress,
    chunk: int, depth: int,
) -> None:  # fmt: skip
    constant = None
    if pattern.constant:
        constant = aligned_buffer(chunk)
        pattern.fill(constant, 0, chunk)
    threads = [
        threading.Thread(
            target=_worker,
            args=(fd, pattern, write, sector, chunk, shared, progress, constant),
            name=f"wipe-io-{i}",
            daemon=True,
        )
        for i in range(depth)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def _flush(fd: int) -> WipeIOError | None:
    # A wipe is not done until the data is on the medium, past any volatile write cache.
    try:
        os.fsync(fd)
    except OSError as exc:
        return chunkio.io_error(exc, lba=None, operation="flush")
    return None


def run_pass(
    fd: int,
    *,
    ranges: Iterator[tuple[int, int]],
    pattern: Pattern,
    write: bool,
    sector: int,
    progress: Progress,
    chunk: int = CHUNK_BYTES,
    depth: int = DEPTH,
    engine: Engine = "auto",
) -> PassResult:
    """Write `pattern` over, or verify it on, every range; stop at the first hard error.

    `engine` "auto" uses native AIO and falls back to threads where AIO is unavailable.
    """
    done, errors = 0, []
    if engine in ("auto", "aio"):
        queued = AioPass(fd, ranges, pattern, write, sector, progress, chunk, depth)
        try:
            queued.run()
            done, errors = queued.done, queued.errors
        except AioUnavailable:
            if engine == "aio":
                raise
            ranges, engine = queued.work, "threads"
    if engine == "threads":
        shared = _Shared(ranges)
        _run_threads(fd, shared, pattern, write, sector, progress, chunk, depth)
        done, errors = shared.done, shared.errors
    if errors:
        return PassResult(done, min(errors, key=lambda item: item[0])[1])
    return PassResult(done, _flush(fd) if write else None)
