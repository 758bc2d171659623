"""Both pass engines (native AIO and threads) on real loop devices: same bytes, same errors."""

from __future__ import annotations

import os

import pytest

from agents.wipe import aio
from agents.wipe.passes import PassResult, Progress, full_ranges, run_pass
from agents.wipe.patterns import ZEROS, AesCtrPattern, Pattern, aligned_buffer

MiB = 1 << 20
CHUNK = 1 << 20
ENGINES = ["aio", "threads"]


def _pass(
    device: str, pattern: Pattern, write: bool, engine: str, progress: Progress | None = None
) -> PassResult:
    fd = os.open(device, os.O_RDWR | os.O_DIRECT)
    try:
        size = os.lseek(fd, 0, os.SEEK_END)
        return run_pass(
            fd,
            ranges=full_ranges(size, CHUNK),
            pattern=pattern,
            write=write,
            sector=512,
            progress=progress or Progress(),
            chunk=CHUNK,
            depth=4,
            engine=engine,  # type: ignore[arg-type]
        )
    finally:
        os.close(fd)


def _expected(pattern: Pattern, size: int) -> bytes:
    buf = aligned_buffer(size)
    pattern.fill(buf, 0, size)
    return bytes(buf)


@pytest.mark.parametrize("engine", ENGINES)
def test_a_random_pass_writes_the_stream_and_verifies_it(make_loop, engine):
    loop = make_loop(9, fill=b"old data")  # 9 MiB with 1 MiB chunks and depth 4: slots reused
    pattern = AesCtrPattern()
    written = _pass(loop.device, pattern, True, engine)
    assert written == PassResult(9 * MiB)
    assert loop.read_backing() == _expected(pattern, 9 * MiB)
    progress = Progress()
    verified = _pass(loop.device, pattern, False, engine, progress)
    assert verified == PassResult(9 * MiB)
    assert progress.done == 9 * MiB


@pytest.mark.parametrize("engine", ENGINES)
def test_verification_names_the_first_changed_sector(make_loop, engine):
    loop = make_loop(8)
    pattern = AesCtrPattern(complement=True)
    assert _pass(loop.device, pattern, True, engine).error is None
    with open(loop.backing, "r+b") as handle:
        for lba in (9000, 3001):  # the lower one is in a later-completing chunk or not
            # Invert the byte: writing a constant left it unchanged 1 time in 256 (random key).
            handle.seek(lba * 512 + 511)
            byte = handle.read(1)[0]
            handle.seek(lba * 512 + 511)
            handle.write(bytes([byte ^ 0xFF]))
    result = _pass(loop.device, pattern, False, engine)
    assert result.error is not None and result.error.details["lba"] == 3001
    assert result.bytes_done < 8 * MiB


@pytest.mark.parametrize("engine", ENGINES)
def test_a_write_error_names_the_first_failing_lba_after_retries(make_faulty_loop, engine):
    bad = 5 * MiB + 7 * 4096 + 512
    loop = make_faulty_loop(8, "--fail-write", f"{bad}:512", "--fail-write", f"{6 * MiB}:512")
    result = _pass(loop.device, ZEROS, True, engine)
    assert result.error is not None
    assert result.error.details == {"lba": bad // 512, "operation": "write", "errno": "EIO"}
    assert result.bytes_done <= 6 * MiB  # never more than the chunks that went through


def test_without_native_aio_the_auto_engine_falls_back_to_threads(make_loop, monkeypatch):
    def refuse(*_args: object) -> None:
        raise aio.AioUnavailable("no AIO in this test")

    monkeypatch.setattr(aio.AioQueue, "__init__", refuse)
    loop = make_loop(3, fill=b"secret")
    assert _pass(loop.device, ZEROS, True, "auto") == PassResult(3 * MiB)
    assert loop.read_backing() == bytes(3 * MiB)
    with pytest.raises(aio.AioUnavailable):
        _pass(loop.device, ZEROS, True, "aio")
