"""One disk's wipe from start to record: open, journal, overwrite passes, verify, verdict.

The record starts as "interrupted" in the journal before the first byte is
written, and becomes "passed" only when every pass covered every byte, the final
flush succeeded and read-back verification found the last pattern everywhere.
"""

from __future__ import annotations

import os
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from agents.inventory.disks import Disk
from agents.protocol.wipe import (
    ErrorEntry,
    PassRecord,
    ToolInfo,
    VerificationRecord,
    WipeRecord,
)
from agents.safety import SystemPaths
from agents.wipe.device import disk_identity, host_identity, open_for_wipe
from agents.wipe.errors import WipeError, WipeIOError
from agents.wipe.journal import Journal
from agents.wipe.passes import CHUNK_BYTES, DEPTH, Progress, full_ranges, run_pass, split_ranges
from agents.wipe.patterns import ZEROS, AesCtrPattern, Pattern, complement_of
from agents.wipe.purge import Decision, decide
from agents.wipe.sampling import nist_plan

TOOL_NAME = "atelier bench-agent"


def tool_version() -> str:
    """Version of the installed agent package."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("atelier")
    except PackageNotFoundError:
        return "unknown"


@dataclass
class WipeRequest:
    """What the technician asked for one disk."""

    disk: Disk
    method: str = "auto"
    verify: str = "full"
    bench_id: str | None = None
    technician: str | None = None
    sample_seed: int = field(default_factory=lambda: random.SystemRandom().getrandbits(63))


@dataclass
class Tuning:
    """I/O shape of the passes."""

    chunk: int = CHUNK_BYTES
    depth: int = DEPTH


def is_usb_flash(disk: Disk) -> bool:
    """USB flash drives (not USB hard disks) get two passes: pattern then complement."""
    return disk.transport == "usb" and disk.rotational is False


def clear_patterns(disk: Disk, decision: Decision) -> list[Pattern]:
    """The overwrite passes of a Clear, in order."""
    first: Pattern = AesCtrPattern() if decision.pattern == "random" else ZEROS
    return [first, complement_of(first)] if is_usb_flash(disk) else [first]


def _new_record(request: WipeRequest, decision: Decision) -> WipeRecord:
    return WipeRecord(
        wipe_id=str(uuid.uuid4()),
        status="interrupted",
        disk=disk_identity(request.disk),
        host=host_identity(),
        requested_method=request.method,  # type: ignore[arg-type]
        method=decision.method,
        technique=decision.technique,
        fallback_reason=decision.fallback_reason,
        tool=ToolInfo(name=TOOL_NAME, version=tool_version()),
        verification=VerificationRecord(mode=request.verify, result="not_run"),  # type: ignore[arg-type]
        bytes_written=0,
        bytes_verified=0,
        hidden_bytes_not_erased=decision.hidden_bytes,
        hidden_area=decision.hidden_area,
        started_at=datetime.now(UTC),
        bench_id=request.bench_id,
        technician=request.technician,
        erased_bytes=0,
    )


def _error_entry(error: WipeError) -> ErrorEntry:
    kind = "io_error" if isinstance(error, WipeIOError) else type(error).__name__
    return ErrorEntry(kind=kind, message=error.message, lba=error.details.get("lba"))


@dataclass
class _Context:
    fd: int
    request: WipeRequest
    journal: Journal
    progress: Progress
    tuning: Tuning
    record: WipeRecord

    @property
    def sector(self) -> int:
        return self.request.disk.logical_sector_size

    def fail(self, error: WipeError) -> None:
        entry = _error_entry(error)
        self.record.errors.append(entry)
        self.record.status = "failed"
        if self.record.first_failing_lba is None and entry.lba is not None:
            self.record.first_failing_lba = entry.lba


def _overwrite(ctx: _Context, patterns: list[Pattern]) -> bool:
    size = ctx.request.disk.size_bytes
    for number, pattern in enumerate(patterns, start=1):
        ctx.progress.begin(f"pass {number}/{len(patterns)}", size)
        result = run_pass(
            ctx.fd,
            ranges=full_ranges(size, ctx.tuning.chunk),
            pattern=pattern,
            write=True,
            sector=ctx.sector,
            progress=ctx.progress,
            chunk=ctx.tuning.chunk,
            depth=ctx.tuning.depth,
        )
        complete = result.error is None and result.bytes_done == size
        ctx.record.passes.append(
            PassRecord(
                number=number,
                pattern=pattern.name,  # type: ignore[arg-type]
                bytes_written=result.bytes_done,
                complete=complete,
            )
        )
        ctx.record.bytes_written += result.bytes_done
        ctx.journal.update(ctx.record)
        if not complete:
            ctx.fail(result.error or WipeError(f"pass {number} stopped before the end of the disk"))
            return False
    return True


def _verify(ctx: _Context, pattern: Pattern) -> None:
    size = ctx.request.disk.size_bytes
    verification = ctx.record.verification
    if ctx.request.verify == "sample":
        plan = nist_plan(size, ctx.sector, seed=ctx.request.sample_seed)
        ranges = split_ranges(plan.ranges, ctx.tuning.chunk)
        expected = sum(length for _, length in plan.ranges)
        verification.scheme = plan.describe()
        verification.subsections = plan.subsections
        verification.coverage = plan.coverage
        verification.seed = plan.seed
    else:
        ranges, expected = full_ranges(size, ctx.tuning.chunk), size
        verification.scheme = "full read-back of every sector"
        verification.coverage = 1.0
    ctx.progress.begin("verify", expected)
    result = run_pass(
        ctx.fd,
        ranges=ranges,
        pattern=pattern,
        write=False,
        sector=ctx.sector,
        progress=ctx.progress,
        chunk=ctx.tuning.chunk,
        depth=ctx.tuning.depth,
    )
    verification.bytes_verified = ctx.record.bytes_verified = result.bytes_done
    if result.error is None and result.bytes_done == expected:
        verification.result = "passed"
    else:
        verification.result = "failed"
        ctx.fail(result.error or WipeError("verification stopped before the end"))


def run_wipe(
    request: WipeRequest,
    *,
    selected: set[str],
    journal: Journal,
    progress: Progress | None = None,
    after_overwrite: Callable[[Disk], None] | None = None,
    paths: SystemPaths | None = None,
    tuning: Tuning | None = None,
) -> WipeRecord:
    """Wipe one disk and return its record; raises only when the disk is refused."""
    decision = decide(request.disk, request.method)
    fd = open_for_wipe(request.disk, selected, paths)
    record = _new_record(request, decision)
    ctx = _Context(fd, request, journal, progress or Progress(), tuning or Tuning(), record)
    try:
        journal.start(record)
        patterns = clear_patterns(request.disk, decision)
        if _overwrite(ctx, patterns):
            if after_overwrite is not None:
                after_overwrite(request.disk)
            _verify(ctx, patterns[-1])
    finally:
        os.close(fd)
    if record.status != "failed":
        record.status = "passed"
        record.erased_bytes = request.disk.size_bytes
    record.ended_at = datetime.now(UTC)
    # Re-validate: the wire model refuses a "passed" that the facts do not support.
    record = WipeRecord.model_validate(record.model_dump())
    ctx.progress.begin(record.status, 0)
    journal.finish(record)
    return record
