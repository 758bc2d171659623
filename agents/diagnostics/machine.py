"""Machine checks: a bounded RAM pattern test, a CPU stress check, battery wear.

RAM: an anonymous mapping of the requested size is written with each pattern and
read back. Patterns are the wipe engine's (agents.wipe.patterns): 0x55/0xAA
catch stuck and coupled bits, the AES-CTR stream is different at every address
(catches address faults) and its complement flips every bit once more. From user
space this only tests the pages the kernel gives us: memtest86+ remains the full
test; this one catches the gross faults in a few seconds.

CPU: one thread per logical CPU hashes a fixed 1 MiB block with SHA-256 (hashlib
releases the GIL on large inputs, so every core is busy) until the time bound,
comparing every digest with the one computed before the start. A wrong digest
means the CPU (or its cache, or the RAM under it) computed wrongly.
"""

from __future__ import annotations

import hashlib
import mmap
import os
import threading
import time
from collections.abc import Callable
from typing import Any

from agents.wipe.patterns import AesCtrPattern, ConstantPattern, Pattern, aligned_buffer
from atelier_protocol.diagnostic import BatteryWear, CpuCheck, MemoryCheck

MiB = 1 << 20
RAM_CHUNK = 4 * MiB
CPU_BLOCK = MiB


def ram_patterns() -> list[Pattern]:
    """The patterns written in turn over the tested block."""
    stream = AesCtrPattern()
    return [
        ConstantPattern("0x55", 0x55),
        ConstantPattern("0xaa", 0xAA),
        stream,
        stream.complemented(),
    ]


def _fill(region: mmap.mmap, pattern: Pattern, size: int, deadline: float) -> bool:
    """Write the pattern over the region; False if the time bound came first."""
    scratch = aligned_buffer(RAM_CHUNK)
    try:
        for offset in range(0, size, RAM_CHUNK):
            if time.monotonic() > deadline:
                return False
            length = min(RAM_CHUNK, size - offset)
            pattern.fill(scratch, offset, length)
            region[offset : offset + length] = scratch[:length]
    finally:
        scratch.close()
    return True


def _first_difference(got: bytes, want: bytes) -> int:
    return next(i for i, (a, b) in enumerate(zip(got, want, strict=True)) if a != b)


def _verify(region: mmap.mmap, pattern: Pattern, size: int) -> tuple[int, int | None]:
    """(number of bad chunks, offset of the first bad byte)."""
    expected = aligned_buffer(RAM_CHUNK)
    bad, first = 0, None
    try:
        for offset in range(0, size, RAM_CHUNK):
            length = min(RAM_CHUNK, size - offset)
            pattern.fill(expected, offset, length)
            got, want = region[offset : offset + length], expected[:length]
            if got != want:
                bad += 1
                first = offset + _first_difference(got, want) if first is None else first
    finally:
        expected.close()
    return bad, first


def _run_patterns(
    region: mmap.mmap,
    size: int,
    deadline: float,
    after_write: Callable[[mmap.mmap, Pattern], None] | None,
) -> tuple[list[str], int, int | None, str | None]:
    """(patterns done, bad chunks, first bad offset, why it stopped early)."""
    done: list[str] = []
    errors, first = 0, None
    for pattern in ram_patterns():
        if not _fill(region, pattern, size, deadline):
            return done, errors, first, f"time bound reached: {len(done)} pattern(s) done"
        if after_write:
            after_write(region, pattern)
        bad, where = _verify(region, pattern, size)
        done.append(pattern.name)
        errors += bad
        first = where if first is None else first
    return done, errors, first, None


def check_memory(
    size_bytes: int,
    *,
    time_limit: float = 60.0,
    after_write: Callable[[mmap.mmap, Pattern], None] | None = None,
) -> MemoryCheck:
    """Write then verify each pattern over `size_bytes` of RAM; stop patterns at the time bound.

    `after_write` runs between a pattern's write and its read-back (tests use it to flip a bit).
    """
    if size_bytes <= 0:
        return MemoryCheck(status="skipped", reason="RAM test disabled (size 0)")
    started = time.monotonic()
    try:
        region = aligned_buffer(size_bytes)
    except (OSError, ValueError) as exc:
        return MemoryCheck(
            status="skipped",
            reason=f"cannot allocate {size_bytes // MiB} MiB: {exc}",
            bytes_requested=size_bytes,
        )
    try:
        done, errors, first, reason = _run_patterns(
            region, size_bytes, started + time_limit, after_write
        )
    finally:
        region.close()
    return MemoryCheck(
        status="failed" if errors else "passed" if done else "timeout",
        reason=f"{errors} chunk(s) read back wrong" if errors else reason,
        bytes_requested=size_bytes,
        bytes_tested=size_bytes if done else 0,
        patterns=done,
        errors=errors,
        first_error_offset=first,
        seconds=round(time.monotonic() - started, 2),
    )


def _hash_worker(
    block: bytes, expected: bytes, deadline: float, digest: Callable[[bytes], bytes], out: list[int]
) -> None:
    rounds = wrong = 0
    while True:  # at least one round per worker, however late the thread started
        if digest(block) != expected:
            wrong += 1
        rounds += 1
        if time.monotonic() >= deadline:
            break
    out.extend((rounds, wrong))


def _sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def check_cpu(
    seconds: float,
    *,
    workers: int | None = None,
    digest: Callable[[bytes], bytes] = _sha256,
) -> CpuCheck:
    """Keep every CPU hashing a known block for `seconds`; count the wrong digests."""
    if seconds <= 0:
        return CpuCheck(status="skipped", reason="CPU check disabled (0 s)")
    workers = workers or os.cpu_count() or 1
    block = bytes(range(256)) * (CPU_BLOCK // 256)
    expected = hashlib.sha256(block).digest()
    results: list[list[int]] = [[] for _ in range(workers)]
    started = time.monotonic()
    threads = [
        threading.Thread(
            target=_hash_worker, args=(block, expected, started + seconds, digest, out), daemon=True
        )
        for out in results
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = max(time.monotonic() - started, 1e-9)
    rounds = sum(r[0] for r in results)
    wrong = sum(r[1] for r in results)
    return CpuCheck(
        status="failed" if wrong or not rounds else "passed",
        reason=f"{wrong} of {rounds} digests were wrong" if wrong else None,
        workers=workers,
        seconds=round(elapsed, 2),
        rounds=rounds,
        wrong_results=wrong,
        mb_per_s=round(rounds * CPU_BLOCK / elapsed / 1e6, 1),
    )


def battery_wear(batteries: list[dict[str, Any]]) -> list[BatteryWear]:
    """Wear of each battery found by the inventory (agents.inventory.collect)."""
    return [
        BatteryWear(
            name=item.get("name") or "?",
            model=item.get("model"),
            design_capacity=item.get("design_capacity"),
            full_capacity=item.get("full_capacity"),
            unit=item.get("capacity_unit"),
            wear_percent=item.get("wear_percent"),
            cycle_count=item.get("cycle_count"),
        )
        for item in batteries
    ]


def read_batteries(sys_root: str = "/sys") -> tuple[list[BatteryWear], list[str]]:
    """The batteries of this machine from the inventory's reader, with its notes."""
    from agents.inventory.collect import collect_batteries  # noqa: PLC0415

    notes: list[str] = []
    return battery_wear(collect_batteries(sys_root, notes)), notes
