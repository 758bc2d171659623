"""One disk's wipe from start to record: open, hidden area, journal, Purge or Clear, verify.

Order: decide (read-only probes), open the disk through the safety gate, remove
an ATA HPA (agents.wipe.hpa; this changes the drive's configuration, not user
data), then journal the record as "interrupted" before the first byte is erased.
A Purge (agents.wipe.purge_exec) that fails or cannot be confirmed falls back
to Clear and the record says why. The record becomes "passed" only when every
pass covered every byte, the final flush succeeded and read-back verification
found the expected content everywhere.
"""

from __future__ import annotations

import logging
import os
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from agents.inventory.disks import Disk
from agents.safety import SystemPaths
from agents.wipe import fingerprint
from agents.wipe.device import disk_identity, host_identity, open_for_wipe
from agents.wipe.errors import JournalError, WipeError, WipeIOError
from agents.wipe.hpa import probe_dco, remove_hpa
from agents.wipe.journal import Journal
from agents.wipe.passes import CHUNK_BYTES, DEPTH, Progress, full_ranges, run_pass, split_ranges
from agents.wipe.patterns import ZEROS, AesCtrPattern, Pattern, complement_of
from agents.wipe.purge import CommandRunner, Decision, decide, run_command
from agents.wipe.purge_exec import (
    FOLLOW_UP,
    check_fingerprints,
    execute_purge,
    expected_content,
    utility_version,
)
from agents.wipe.purge_poll import PurgeTiming, Tools
from agents.wipe.sampling import nist_plan
from atelier_protocol.reasons import english, say
from atelier_protocol.wipe import (
    ErrorEntry,
    PassRecord,
    ToolInfo,
    VerificationRecord,
    WipeRecord,
    reservations_of,
)

log = logging.getLogger(__name__)

TOOL_NAME = "atelier bench-agent"


def tool_version() -> str:
    """Version of the agent package."""
    from agents import __version__  # noqa: PLC0415

    return __version__


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


@dataclass
class DriveCommands:
    """How the engine talks to the drive's firmware (hdparm, nvme-cli); tests replace it."""

    probe: CommandRunner = run_command
    tools: Tools = field(default_factory=Tools)
    timing: PurgeTiming = field(default_factory=PurgeTiming)


def is_usb_flash(disk: Disk) -> bool:
    """USB flash drives (not USB hard disks) get two passes: pattern then complement."""
    return disk.transport == "usb" and disk.rotational is False


def clear_patterns(disk: Disk, decision: Decision) -> list[Pattern]:
    """The overwrite passes of a Clear, in order."""
    first: Pattern = AesCtrPattern() if decision.pattern == "random" else ZEROS
    return [first, complement_of(first)] if is_usb_flash(disk) else [first]


def _new_record(request: WipeRequest, decision: Decision, hidden_bytes: int) -> WipeRecord:
    return WipeRecord(
        wipe_id=str(uuid.uuid4()),
        status="interrupted",
        disk=disk_identity(request.disk),
        host=host_identity(),
        requested_method=request.method,  # type: ignore[arg-type]
        method=decision.method,
        technique=decision.technique,
        fallback_reason=decision.fallback_reason,
        fallback=decision.fallback,
        tool=ToolInfo(name=TOOL_NAME, version=tool_version()),
        verification=VerificationRecord(mode=request.verify, result="not_run"),  # type: ignore[arg-type]
        bytes_written=0,
        bytes_verified=0,
        hidden_bytes_not_erased=hidden_bytes,
        hidden_area=decision.hidden_area,
        started_at=datetime.now(UTC),
        bench_id=request.bench_id,
        technician=request.technician,
        erased_bytes=0,
    )


def _error_entry(error: WipeError) -> ErrorEntry:
    kind = "io_error" if isinstance(error, WipeIOError) else type(error).__name__
    return ErrorEntry(
        kind=kind, message=error.message, lba=error.details.get("lba"), said=error.said
    )


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
            ctx.fail(result.error or WipeError.of(say("wipe.pass_incomplete", number=number)))
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
        ctx.fail(result.error or WipeError.of(say("wipe.verify_incomplete")))


def _hidden_area(
    request: WipeRequest, decision: Decision, fd: int, commands: DriveCommands
) -> tuple[WipeRequest, int]:
    """Remove an HPA and look for a DCO; return the request on the disk as it will be wiped."""
    area = decision.hidden_area
    if area is None or area.current_max_sectors_before is None:
        return request, decision.hidden_bytes
    outcome = remove_hpa(request.disk, area, fd=fd, run=commands.tools.run)
    hidden = outcome.hidden_bytes + probe_dco(outcome.disk, area, commands.tools.run)
    return replace(request, disk=outcome.disk), hidden


def _fall_back(ctx: _Context, decision: Decision, why: str) -> None:
    record = ctx.record
    record.method = "clear"
    record.technique = decision.clear_technique
    failed = say("purge.failed", technique=decision.technique, reason=[say("note.text", text=why)])
    record.fallback = [failed, say("purge.clear_instead")]
    record.fallback_reason = english(record.fallback)


def _purge(
    ctx: _Context, decision: Decision, commands: DriveCommands
) -> tuple[bool, Pattern | None]:
    """Run the Purge; return (handled, pattern to verify); not handled: fall back to Clear."""
    disk, record = ctx.request.disk, ctx.record
    prints = fingerprint.take(ctx.fd, disk.size_bytes, ctx.sector, seed=ctx.request.sample_seed)
    purge = execute_purge(disk, decision.technique, commands.tools, commands.timing, ctx.progress)
    check_fingerprints(purge, prints, ctx.fd)
    record.purge = purge
    record.tool.utility = purge.utility
    record.tool.utility_version = utility_version(purge.utility, commands.tools)
    ctx.journal.update(record)
    if purge.security_left_enabled:
        # Not erased by the host either: the technician must first get the password off.
        ctx.fail(WipeError(purge.message or "the drive keeps a temporary ATA password"))
        return True, None
    if purge.result != "completed":
        _fall_back(ctx, decision, purge.message or purge.result)
        return False, None
    expected = expected_content(decision.technique)
    if expected is not None:
        return True, expected
    purge.followed_by_clear = True
    record.technique = decision.technique + FOLLOW_UP
    return True, (ZEROS if _overwrite(ctx, [ZEROS]) else None)


def _erase(ctx: _Context, decision: Decision, commands: DriveCommands) -> Pattern | None:
    """Purge (falling back to Clear) or Clear; return the pattern to verify, None on failure."""
    if decision.method == "purge":
        handled, expected = _purge(ctx, decision, commands)
        if handled:
            return expected
    patterns = clear_patterns(ctx.request.disk, decision)
    return patterns[-1] if _overwrite(ctx, patterns) else None


def run_wipe(
    request: WipeRequest,
    *,
    selected: set[str],
    journal: Journal,
    progress: Progress | None = None,
    after_overwrite: Callable[[Disk], None] | None = None,
    paths: SystemPaths | None = None,
    tuning: Tuning | None = None,
    commands: DriveCommands | None = None,
) -> WipeRecord:
    """Wipe one disk and return its record; raises only when the disk is refused."""
    commands = commands or DriveCommands()
    decision = decide(request.disk, request.method, commands.probe)
    fd = open_for_wipe(request.disk, selected, paths)
    try:
        wiped, hidden = _hidden_area(request, decision, fd, commands)
    except BaseException:
        os.close(fd)
        raise
    if wiped.disk.size_bytes != request.disk.size_bytes:
        os.close(fd)  # reopen on the new size: the safety gate checks it again
        fd = open_for_wipe(wiped.disk, selected, paths)
    request = wiped
    record = _new_record(request, decision, hidden)
    ctx = _Context(fd, request, journal, progress or Progress(), tuning or Tuning(), record)
    try:
        journal.start(record)  # a JournalError here: nothing written yet, the wipe is refused
    except BaseException:
        os.close(fd)
        raise
    try:
        expected = _erase(ctx, decision, commands)
        if expected is not None:
            if after_overwrite is not None:
                after_overwrite(request.disk)
            _verify(ctx, expected)
    except JournalError as error:
        # Bytes were written: the wipe ends failed and its record is still returned (queued),
        # never reported as refused as if the disk had not been touched.
        ctx.fail(error)
    finally:
        os.close(fd)
    if record.status != "failed":
        # Hidden sectors left or a sampled read-back are named: never a plain "passed".
        record.reservations = reservations_of(record)
        record.status = "passed_with_reservations" if record.reservations else "passed"
        record.erased_bytes = request.disk.size_bytes
    record.ended_at = datetime.now(UTC)
    # Re-validate: the wire model refuses a "passed" that the facts do not support.
    record = WipeRecord.model_validate(record.model_dump())
    ctx.progress.begin(record.status, 0)
    try:
        journal.finish(record)
    except JournalError:
        # The record is complete and goes out; the entry left "running" will read as an
        # interrupted attempt at the next start: the server then keeps the drive out of grading
        # until it is wiped again (the safe side).
        log.warning("wipe %s: the journal could not be closed", record.wipe_id)
    return record
