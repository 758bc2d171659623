"""ATA Purge through hdparm: SANITIZE (crypto scramble, block erase, overwrite) and SECURITY ERASE.

SANITIZE runs in the drive's background; hdparm starts it and `--sanitize-status`
reads its state (hdparm 9.65 prints only SD0/SD1/SD2; a completed sanitize shows
as SD0 plus the "completed without error" flag, which survives power cycles):

    $ hdparm --yes-i-know-what-i-am-doing --sanitize-crypto-scramble /dev/sdb
    Issuing SANITIZE_CRYPTO_SCRAMBLE command
    Operation started in background
    You may use `--sanitize-status` to check progress
    $ hdparm --sanitize-status /dev/sdb
    Issuing SANITIZE_STATUS command
    Sanitize status:
        State:    SD2 Sanitize operation In Process
        Progress: 0x7fff (49%)

SECURITY ERASE needs a user password: a random temporary one is set, the erase
blocks until done, and the password is removed again whatever happens, so the
drive is never left locked with a password nobody knows. The record only names
the password when it could not be removed, so that the drive can be unlocked.
"""

from __future__ import annotations

import re
import secrets
import time

from agents.inventory.disks import Disk
from agents.wipe.passes import Progress
from agents.wipe.purge import AtaSecurity, parse_hdparm_identify
from agents.wipe.purge_poll import (
    Observation,
    PurgeTiming,
    Tools,
    new_record,
    run_and_follow,
    tool_message,
)
from atelier_protocol.wipe import PurgeRecord

SURE = "--yes-i-know-what-i-am-doing"
SANITIZE_FLAGS = {
    "crypto-scramble": ["--sanitize-crypto-scramble"],
    "block-erase": ["--sanitize-block-erase"],
    # One pass of a zero pattern: the default of 0 passes would mean 16.
    "overwrite": ["--sanitize-overwrite-passes", "1", "--sanitize-overwrite", "hex:00000000"],
}
_PROGRESS = re.compile(r"Progress:\s*0x([0-9a-fA-F]+)\s*\((\d+)%\)")


def parse_sanitize_status(text: str) -> Observation:
    """Parse `hdparm --sanitize-status` (stdout and stderr) into an Observation."""
    if "SD3" in text or "completed unsuccessfully" in text:
        return Observation("failed", detail="SD3 sanitize operation failed")
    if "SD2" in text:
        match = _PROGRESS.search(text)
        percent = float(match.group(2)) if match else None
        return Observation("in_progress", percent)
    if "SD1" in text:
        return Observation("frozen", detail="SD1 sanitize frozen")
    if "SD4" in text or "Completed Without Error" in text:
        return Observation("completed")
    if "SD0" in text:
        return Observation("idle")
    return Observation("unknown")


def _status(disk: Disk, tools: Tools) -> Observation | None:
    status, out = tools.run(["hdparm", "--sanitize-status", disk.path])
    seen = parse_sanitize_status(out)
    # hdparm exits non-zero when the status command itself failed, yet says SD3 then.
    if status != 0 and seen.state != "failed":
        return None
    return seen


def ata_sanitize(
    disk: Disk, action: str, tools: Tools, timing: PurgeTiming, progress: Progress
) -> PurgeRecord:
    """Run an ATA SANITIZE action and follow it to completion."""
    argv = ["hdparm", SURE, *SANITIZE_FLAGS[action], disk.path]
    record = new_record(f"ata-sanitize-{action}", "hdparm", argv)
    before = _status(disk, tools)
    if before is not None and before.state == "frozen":
        record.result = "failed"
        record.message = (
            "SANITIZE is frozen (SANITIZE FREEZE LOCK, usually set by the BIOS): power-cycle "
            "the disk (hot-replug it, or suspend and resume the machine) and retry"
        )
        return record
    run_and_follow(
        record,
        argv,
        tools=tools,
        before=before,
        read=lambda: _status(disk, tools),
        accepted=lambda status, out: status == 0 and "started in background" in out,
        timing=timing,
        size=disk.size_bytes,
        progress=progress,
        phase=f"purge {action}",
    )
    return record


def _security(disk: Disk, tools: Tools) -> AtaSecurity | None:
    status, out = tools.run(["hdparm", "-I", disk.path])
    return parse_hdparm_identify(out).security if status == 0 else None


def _remove_password(disk: Disk, tools: Tools, password: str) -> AtaSecurity | None:
    """Unlock and disable security with the temporary password; return the state after."""
    security = _security(disk, tools)
    if security is not None and security.locked:
        tools.run(["hdparm", "--user-master", "u", "--security-unlock", password, disk.path])
        security = _security(disk, tools)
    if security is None or security.enabled:
        # hdparm's --security-disable unlocks first, then disables.
        tools.run(["hdparm", "--user-master", "u", "--security-disable", password, disk.path])
        security = _security(disk, tools)
    return security


def _erase_timeout(security: AtaSecurity, enhanced: bool, disk: Disk, timing: PurgeTiming) -> float:
    """Twice the drive's own estimate plus the grace time, or the size-based bound without one."""
    minutes = security.enhanced_erase_minutes if enhanced else security.erase_minutes
    if not minutes:
        return timing.timeout_for(disk.size_bytes)
    return 2 * minutes * 60 + timing.grace_seconds


def ata_security_erase(
    disk: Disk, enhanced: bool, tools: Tools, timing: PurgeTiming, progress: Progress
) -> PurgeRecord:
    """Set a temporary password, run SECURITY ERASE UNIT, and make sure no password remains."""
    password = "atelier-" + secrets.token_hex(8)
    flag = "--security-erase-enhanced" if enhanced else "--security-erase"
    shown = ["hdparm", "--user-master", "u", flag, "<temporary password>", disk.path]
    record = new_record(
        f"ata-security-erase-{'enhanced' if enhanced else 'normal'}", "hdparm", shown
    )
    progress.begin(f"purge security erase{' enhanced' if enhanced else ''}", 0)
    set_pass = ["hdparm", "--user-master", "u", "--security-set-pass", password, disk.path]
    status, out = tools.run(set_pass)
    security = _security(disk, tools)
    if status != 0 or security is None or not security.enabled:
        record.result = "failed"
        record.message = f"setting the temporary password failed (exit {status}): "
        record.message += _without(password, out)
        _finish_security(record, _remove_password(disk, tools, password), password)
        return record
    record.states_seen.append("password set")
    started = time.monotonic()
    erase = ["hdparm", "--user-master", "u", flag, password, disk.path]
    status, out = tools.wait(erase, _erase_timeout(security, enhanced, disk, timing))
    record.duration_seconds = round(time.monotonic() - started, 3)
    if status == 0:
        record.result, record.message = "completed", "SECURITY ERASE UNIT returned success"
        record.states_seen.append("completed")
    else:
        record.result = "failed"
        record.message = f"SECURITY ERASE UNIT failed (exit {status}): {_without(password, out)}"
    _finish_security(record, _remove_password(disk, tools, password), password)
    return record


def _without(password: str, output: str) -> str:
    """The tool's message without the password (hdparm echoes it)."""
    return tool_message(output).replace(password, "<temporary password>")


def _finish_security(record: PurgeRecord, after: AtaSecurity | None, password: str) -> None:
    left = after is None or after.enabled or after.locked
    record.security_left_enabled = left
    if left:
        record.result = "failed"
        record.message = (
            f"{record.message}; the temporary user password could not be removed: "
            f"unlock the drive with hdparm --user-master u --security-disable {password}"
        )
    else:
        record.states_seen.append("security disabled")
