"""What every Purge execution shares: the tools seam, timing, polling, and the success rule.

A drive's word is not enough: an idle drive may report "sanitize completed without
error" from a sanitize done years ago, or through a bridge that swallowed the
command. Success is inferred from a sequence, as DESIGN.md asks:

    accepted  ->  in progress (seen at least once)  ->  completed
    accepted  ->  completed, when the status *changed* (e.g. never sanitized -> completed)

A drive that already said "completed" before the command and is never seen in
progress is "unconfirmed"; the caller may still confirm it from the content of
sampled sectors (agents.wipe.fingerprint), otherwise Purge falls back to Clear.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from agents.wipe.passes import Progress
from agents.wipe.purge import CommandRunner, run_tool
from atelier_protocol.wipe import PurgeRecord

State = Literal["idle", "in_progress", "completed", "failed", "frozen", "unknown"]
Result = Literal["completed", "failed", "unconfirmed", "not_run"]


@dataclass(frozen=True)
class Observation:
    """One reading of the drive's sanitize status."""

    state: State
    percent: float | None = None
    detail: str = ""

    def describe(self) -> str:
        """Short text for the record's states_seen list."""
        text = self.state if self.percent is None else f"{self.state} {self.percent:.0f}%"
        return f"{text} ({self.detail})" if self.detail else text


WaitingRunner = Callable[[list[str], float], tuple[int, str]]


@dataclass
class Tools:
    """How commands reach the drive: `run` for quick ones, `wait(argv, seconds)` for blocking ones.

    SECURITY ERASE UNIT and NVMe Format return only when done; `wait` bounds them so a
    hung drive cannot hold the wipe forever (it then counts as a failed Purge).
    """

    run: CommandRunner = run_tool
    wait: WaitingRunner = run_tool


@dataclass
class PurgeTiming:
    """Polling cadence and patience; tests shorten both."""

    poll_seconds: float = 5.0
    # The slowest Purge (ATA overwrite of a large hard disk) runs at the media's write rate.
    min_rate_bytes_per_s: float = 20e6
    grace_seconds: float = 3600.0
    sleep: Callable[[float], None] = time.sleep
    max_status_errors: int = 3

    def timeout_for(self, size_bytes: int) -> float:
        """How long a Purge of `size_bytes` may stay in progress before it is declared stuck."""
        return size_bytes / self.min_rate_bytes_per_s + self.grace_seconds


@dataclass
class PollResult:
    """The observations made while polling, and why polling stopped when it failed."""

    seen: list[Observation] = field(default_factory=list)
    error: str | None = None

    @property
    def last(self) -> Observation | None:
        """The final observation."""
        return self.seen[-1] if self.seen else None


def poll_until_done(
    read: Callable[[], Observation | None],
    *,
    timing: PurgeTiming,
    timeout: float,
    progress: Progress,
) -> PollResult:
    """Read the status until the drive leaves "in progress"; report percentages as progress."""
    result = PollResult()
    deadline = time.monotonic() + timeout
    errors = 0
    while True:
        seen = read()
        if seen is None:
            errors += 1
            if errors >= timing.max_status_errors:
                result.error = f"the status could not be read {errors} times in a row"
                return result
        else:
            errors = 0
            result.seen.append(seen)
            if seen.percent is not None:
                # The phase total is the disk size: the display shows bytes, rate and ETA.
                target = int(progress.total * seen.percent / 100)
                progress.add(max(0, target - progress.done))
            if seen.state != "in_progress":
                return result
        if time.monotonic() > deadline:
            result.error = f"still in progress after {timeout:.0f} s"
            return result
        timing.sleep(timing.poll_seconds)


def judge(before: Observation | None, polled: PollResult) -> tuple[Result, str]:
    """Apply the success rule; return (result, message) for the PurgeRecord."""
    last = polled.last
    if polled.error is not None:
        return "failed", polled.error
    if last is None:
        return "failed", "no status was read after the command"
    if last.state != "completed":
        return "failed", f"the drive ended in state {last.describe()}, not completed"
    if any(o.state == "in_progress" for o in polled.seen):
        return "completed", "accepted, seen in progress, then completed"
    if before is not None and before.state != "completed":
        return "completed", f"accepted; status changed from {before.state} to completed"
    return "unconfirmed", (
        "the drive reports a completed sanitize but was never seen in progress and "
        "already reported one before the command (an idle drive's old status)"
    )


def run_and_follow(
    record: PurgeRecord,
    argv: list[str],
    *,
    tools: Tools,
    before: Observation | None,
    read: Callable[[], Observation | None],
    accepted: Callable[[int, str], bool],
    timing: PurgeTiming,
    size: int,
    progress: Progress,
    phase: str,
) -> PollResult | None:
    """Send a sanitize command and follow it to the end, filling `record`.

    Shared by ATA and NVMe: refused when one is already in progress, the command must be
    accepted, then the status is polled and judged against `before` (the status read before
    the command). Returns the poll (None when nothing ran).
    """
    if before is not None and before.state == "in_progress":
        record.result, record.message = "failed", "a sanitize is already in progress"
        return None
    started = time.monotonic()
    progress.begin(phase, size)
    status, out = tools.run(argv)
    if not accepted(status, out):
        record.result = "failed"
        record.message = f"command refused (exit {status}): {tool_message(out)}"
        return None
    record.states_seen.append("accepted")
    polled = poll_until_done(
        read, timing=timing, timeout=timing.timeout_for(size), progress=progress
    )
    record.states_seen += [o.describe() for o in polled.seen]
    record.result, record.message = judge(before, polled)
    record.duration_seconds = round(time.monotonic() - started, 3)
    return polled


def new_record(technique: str, utility: str, command: list[str]) -> PurgeRecord:
    """A PurgeRecord for a command about to be sent."""
    return PurgeRecord(
        technique=technique, utility=utility, command=" ".join(command), result="not_run"
    )


def tool_message(output: str, limit: int = 300) -> str:
    """The meaningful lines of a tool's output, shortened for the record."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    text = "; ".join(line for line in lines if not line.startswith("/dev/"))
    return text[:limit]
