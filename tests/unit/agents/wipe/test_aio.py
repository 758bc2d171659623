"""The native AIO engine on plain files: same bytes as the stream, errors and redo paths.

A regular file without O_DIRECT takes native AIO too (the kernel completes it
synchronously), so the queue, slot reuse, comparisons and synchronous redo are
exercised here without a block device; tests/system runs them on loop devices.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from agents.wipe import aio
from agents.wipe.aio import AioQueue, buffer_address
from agents.wipe.passes import PassResult, Progress, full_ranges, run_pass
from agents.wipe.patterns import ZEROS, AesCtrPattern, Pattern, aligned_buffer

KiB = 1 << 10
CHUNK = 64 * KiB
SIZE = 10 * CHUNK + 3 * 512  # a partial last chunk

pytestmark = pytest.mark.skipif(not aio.supported(), reason="no native AIO description here")


def _file(tmp_path: Path, size: int = SIZE, fill: bytes = b"x") -> Path:
    path = tmp_path / "disk.img"
    path.write_bytes(fill * size)
    return path


def _pass(
    path: Path, pattern: Pattern, write: bool, engine: str = "aio", size: int = SIZE
) -> PassResult:
    fd = os.open(path, os.O_RDWR)
    try:
        return run_pass(
            fd,
            ranges=full_ranges(size, CHUNK),
            pattern=pattern,
            write=write,
            sector=512,
            progress=Progress(),
            chunk=CHUNK,
            depth=3,
            engine=engine,  # type: ignore[arg-type]
        )
    finally:
        os.close(fd)


def _stream(pattern: Pattern, size: int) -> bytes:
    buf = aligned_buffer(size)
    pattern.fill(buf, 0, size)
    return bytes(buf)


def test_the_queue_writes_and_reads_back_through_its_slots(tmp_path):
    path = _file(tmp_path, 3 * 4096)
    out = [aligned_buffer(4096) for _ in range(3)]
    for index, buf in enumerate(out):
        buf[:] = bytes([index + 1]) * 4096
    fd = os.open(path, os.O_RDWR)
    try:
        with AioQueue(fd, 3) as queue:
            for slot in (2, 0, 1):
                queue.submit(slot, True, buffer_address(out[slot]), 4096, slot * 4096)
            assert sorted(queue.reap(3)) == [(0, 4096), (1, 4096), (2, 4096)]
            back = aligned_buffer(4096)
            queue.submit(1, False, buffer_address(back), 4096, 2 * 4096)
            assert queue.reap(1) == [(1, 4096)]
            queue.submit(0, False, buffer_address(back), 4096, 3 * 4096)
            assert queue.reap(1) == [(0, 0)]  # past the end: a short read, not an exception
    finally:
        os.close(fd)
    assert path.read_bytes() == b"\x01" * 4096 + b"\x02" * 4096 + b"\x03" * 4096
    assert bytes(back) == b"\x03" * 4096


def test_a_refused_submission_raises_with_the_errno(tmp_path):
    path = _file(tmp_path, 4096)
    fd = os.open(path, os.O_WRONLY)
    try:
        with AioQueue(fd, 1) as queue, pytest.raises(OSError) as caught:
            queue.submit(0, False, buffer_address(aligned_buffer(4096)), 4096, 0)
    finally:
        os.close(fd)
    assert caught.value.errno == errno.EBADF


@pytest.mark.parametrize("engine", ["aio", "threads"])
def test_a_random_pass_writes_the_addressable_stream_and_verifies(tmp_path, engine):
    path = _file(tmp_path)
    pattern = AesCtrPattern()
    assert _pass(path, pattern, True, engine) == PassResult(SIZE)
    assert path.read_bytes() == _stream(pattern, SIZE)
    assert _pass(path, pattern, False, engine) == PassResult(SIZE)
    assert _pass(path, pattern.complemented(), False, engine).error is not None


@pytest.mark.parametrize("engine", ["aio", "threads"])
def test_verification_reports_the_lowest_changed_sector(tmp_path, engine):
    path = _file(tmp_path, fill=b"\x00")
    with open(path, "r+b") as handle:
        for lba in (1100, 300, 301):
            handle.seek(lba * 512 + 7)
            handle.write(b"\x01")
    result = _pass(path, ZEROS, False, engine)
    assert result.error is not None and result.error.details == {"lba": 300}
    assert result.bytes_done <= SIZE - 2 * CHUNK  # the two bad chunks are not counted


@pytest.mark.parametrize("engine", ["aio", "threads"])
def test_reading_past_the_end_names_the_first_missing_lba(tmp_path, engine):
    path = _file(tmp_path, fill=b"\x00")
    result = _pass(path, ZEROS, False, engine, size=SIZE + 4096)
    assert result.error is not None
    assert result.error.details == {"lba": SIZE // 512, "operation": "read", "errno": "EIO"}
    assert result.bytes_done == SIZE - SIZE % CHUNK  # every whole chunk before the end


@pytest.mark.parametrize("pattern", [ZEROS, AesCtrPattern()], ids=["zeros", "aes"])
def test_without_native_aio_no_chunk_is_lost_on_fallback(tmp_path, monkeypatch, pattern):
    def refuse(*_args: object) -> None:
        raise OSError(errno.EINVAL, "io_submit: Invalid argument")

    monkeypatch.setattr(AioQueue, "submit", refuse)
    path = _file(tmp_path)
    # The AES stream is filled ahead by helper threads: several chunks are taken already.
    assert _pass(path, pattern, True, "auto") == PassResult(SIZE)
    assert path.read_bytes() == _stream(pattern, SIZE)
    with pytest.raises(aio.AioUnavailable):
        _pass(path, pattern, True, "aio")


def test_reaping_with_nothing_in_flight_returns_after_the_timeout(tmp_path):
    fd = os.open(_file(tmp_path, 4096), os.O_RDWR)
    try:
        with AioQueue(fd, 2) as queue:
            assert queue.reap(1, 0.001) == []
    finally:
        os.close(fd)


def test_a_submission_refused_mid_pass_is_redone_synchronously(tmp_path, monkeypatch):
    real = AioQueue.submit
    calls = []

    def flaky(self: AioQueue, slot: int, write: bool, *args: int) -> None:
        calls.append(slot)
        if len(calls) in (3, 4):
            raise OSError(errno.EAGAIN, "io_submit: Resource temporarily unavailable")
        real(self, slot, write, *args)

    monkeypatch.setattr(AioQueue, "submit", flaky)
    path = _file(tmp_path)
    pattern = AesCtrPattern()
    assert _pass(path, pattern, True) == PassResult(SIZE)
    assert path.read_bytes() == _stream(pattern, SIZE)
    assert len(calls) == 11  # each chunk offered to the queue once; the refused two redone
