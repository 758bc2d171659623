"""NVMe Purge through nvme-cli: Sanitize (crypto erase, block erase, overwrite) and Format (SES).

Sanitize runs in the controller's background and is followed through the
Sanitize Status log page (log 81h). nvme-cli 2.x prints it nested under the
device name, with SSTAT split into fields and its status as "(code) text":

    $ nvme sanitize /dev/nvme0n1 --sanact=4 --ause
    $ nvme sanitize-log /dev/nvme0n1 -o json
    {"nvme0n1": {"sprog": 32768,
                 "sstat": {"global_erased": 0, "no_cmplted_passes": 0,
                           "status": "(2) Sanitize in Progress."}, ...}}

SSTAT status codes: 0 never sanitized, 1 completed, 2 in progress, 3 failed,
4 completed without deallocation. SPROG is the fraction done out of 65536.
Older nvme-cli versions printed SSTAT as a plain integer; both are read.

`--ause` (allow unrestricted sanitize exit) lets a failed sanitize be left with
`--sanact=1` (exit failure mode), so the drive can still be Cleared afterwards.
Format with SES=1 (user data erase) or SES=2 (crypto erase) completes before the
command returns.
"""

from __future__ import annotations

import json
import re
import time
from typing import Any

from agents.inventory.disks import Disk
from agents.wipe.passes import Progress
from agents.wipe.purge_poll import (
    Observation,
    PurgeTiming,
    State,
    Tools,
    new_record,
    run_and_follow,
    tool_message,
)
from atelier_protocol.wipe import PurgeRecord

SANACT = {"block-erase": "2", "overwrite": "3", "crypto-erase": "4"}
EXTRA = {
    # One pass of zeros, and no deallocation afterwards so the zeros can be read back.
    "overwrite": ["--owpass=1", "--ovrpat=0", "--no-dealloc"],
}
_STATES: dict[int, State] = {
    0: "idle",
    1: "completed",
    2: "in_progress",
    3: "failed",
    4: "completed",
}
FORMAT_SES = {"crypto-erase": "2", "user-data-erase": "1"}


def _log_body(data: dict[str, Any]) -> dict[str, Any]:
    if "sprog" in data or "sstat" in data:
        return data
    nested = [value for value in data.values() if isinstance(value, dict)]
    if len(nested) != 1:
        raise ValueError("no sanitize log in the JSON document")
    return nested[0]


def _status_code(sstat: Any) -> int:
    if isinstance(sstat, dict):
        match = re.match(r"\s*\((\d+)\)", str(sstat.get("status", "")))
        if match is None:
            raise ValueError(f"unreadable SSTAT status {sstat.get('status')!r}")
        return int(match.group(1))
    return int(sstat) & 0x7


def parse_sanitize_log(text: str) -> Observation:
    """Parse `nvme sanitize-log -o json` into an Observation; ValueError when unreadable."""
    try:
        body = _log_body(json.loads(text))
    except json.JSONDecodeError as exc:
        raise ValueError(f"sanitize-log is not JSON: {exc.msg}") from exc
    code = _status_code(body.get("sstat", 0))
    state = _STATES.get(code, "unknown")
    percent = None
    if state == "in_progress":
        percent = int(body.get("sprog", 0)) * 100 / 65536
    return Observation(state, percent, detail=f"SSTAT {code}")


def _status(disk: Disk, tools: Tools) -> Observation | None:
    status, out = tools.run(["nvme", "sanitize-log", disk.path, "-o", "json"])
    if status != 0:
        return None
    try:
        return parse_sanitize_log(out)
    except ValueError:
        return None


def nvme_sanitize(
    disk: Disk, action: str, tools: Tools, timing: PurgeTiming, progress: Progress
) -> PurgeRecord:
    """Run an NVMe Sanitize action and follow it through the sanitize log."""
    argv = ["nvme", "sanitize", disk.path, f"--sanact={SANACT[action]}", "--ause"]
    argv += EXTRA.get(action, [])
    record = new_record(f"nvme-sanitize-{action}", "nvme", argv)
    before = _status(disk, tools)
    polled = run_and_follow(
        record,
        argv,
        tools=tools,
        before=before,
        read=lambda: _status(disk, tools),
        accepted=lambda status, out: status == 0,
        timing=timing,
        size=disk.size_bytes,
        progress=progress,
        phase=f"purge {action}",
    )
    if polled is not None and polled.last is not None and polled.last.state == "failed":
        # Leave the sanitize failure mode so the Clear fallback can write.
        tools.run(["nvme", "sanitize", disk.path, "--sanact=1"])
    return record


def nvme_format(disk: Disk, ses: str, tools: Tools, timing: PurgeTiming) -> PurgeRecord:
    """Run NVMe Format with a secure erase setting; it returns when the format is done."""
    timeout_ms = int(timing.timeout_for(disk.size_bytes) * 1000)
    argv = ["nvme", "format", disk.path, f"--ses={FORMAT_SES[ses]}", "--force"]
    argv.append(f"--timeout={timeout_ms}")
    record = new_record(f"nvme-format-{ses}", "nvme", argv)
    started = time.monotonic()
    # nvme-cli bounds the command with --timeout; the process gets a minute more.
    status, out = tools.wait(argv, timeout_ms / 1000 + 60)
    record.duration_seconds = round(time.monotonic() - started, 3)
    if status == 0 and "Success formatting" in out:
        record.result, record.message = "completed", "Format returned success"
        record.states_seen.append("completed")
    else:
        record.result = "failed"
        record.message = f"Format failed (exit {status}): {tool_message(out)}"
    return record
