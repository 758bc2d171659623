"""Reason codes: what a bench says (why a disk is protected, why a task was refused, how a wipe
or a diagnostic ended) as a stable code with parameters, e.g.

    {"code": "disk.mounted", "params": {"dev": "sdb1", "mountpoint": "/boot"}}

The agent sends these next to its human text (kept for logs, and for servers older than the
codes); the server renders each code in the reader's language. REASONS maps every code to its
English template, which is also its gettext msgid on the server (the French catalogue translates
it like any other message). A parameter holds a string or a number, or for `reasons` the nested
reasons of a wrapper ("/dev/sdb is protected: <reasons>").

    >>> said = say("disk.mounted", dev="sdb1", mountpoint="/boot")
    >>> english([said])
    'mounted: sdb1 at /boot'
"""

from __future__ import annotations

import functools
import json
import re
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, model_validator


def N_(text: str) -> str:
    """Mark an English template for extraction into the server's catalogue."""
    return text


# Code -> English template (%(name)s for each parameter). A code is never reused for another
# meaning: a changed sentence with the same parameters keeps its code, anything else gets a new one.
REASONS: dict[str, str] = {
    # agents/safety.py: why a disk is protected
    "disk.read_only": N_("%(dev)s is read-only"),
    "disk.holds_system": N_("holds the running system: %(dev)s mounted at %(mountpoint)s"),
    "disk.mounted": N_("mounted: %(dev)s at %(mountpoint)s"),
    "disk.swap_in_use": N_("swap in use: %(swap)s (on %(dev)s)"),
    "disk.held": N_("member of md/LVM/dm: %(dev)s is held by %(holders)s"),
    # agents/daemon/service.py: more reasons than the server takes for one disk
    "reasons.more": N_("and %(count)s more reasons"),
    # agents/live/board.py: a PC booted from the bench image wipes only its internal disks
    "live.not_internal": N_(
        "%(disk)s is not an internal disk of this PC (boot stick, USB or removable)"
    ),
    "live.wiping_here": N_("%(disk)s is being wiped after a confirmation on the PC's screen"),
    # agents/daemon/tasks.py: the bench's own policy and its checks of a task
    "policy.no_remote_wipe": N_("local policy: this bench accepts no wipe request from the server"),
    "policy.present_at_start": N_(
        "present when the bench agent started (local policy: only disks plugged in afterwards "
        "are wiped on request)"
    ),
    "task.no_such_disk": N_("no disk %(disk)s on this bench now (%(error)s)"),
    "task.other_disk": N_(
        "%(path)s is not the disk confirmed (now %(model)s, serial %(serial)s, %(size)s bytes)"
    ),
    "task.disk_protected": N_("%(path)s is protected: %(reasons)s"),
    "task.agent_stopped": N_(
        "the bench agent stopped during this task (killed or power cut): the disk is NOT erased"
    ),
    "task.agent_failed": N_("the bench agent failed: %(error)s"),
    # agents/wipe/device.py: the last checks before a wipe opens the disk
    "device.missing": N_("%(path)s: no such block device"),
    "device.partition": N_("%(path)s is a partition: name the whole disk"),
    "device.no_media": N_("%(path)s is not a disk with media"),
    "device.not_selected": N_("%(path)s was not named for this wipe"),
    "device.changed": N_("%(path)s changed since it was confirmed (another disk in the slot?)"),
    "device.busy": N_("%(path)s is busy: a mount, RAID or device-mapper holds it"),
    "device.cannot_open": N_("cannot open %(path)s: %(error)s"),
    "device.size_changed": N_("%(path)s now reports %(size)s bytes, not %(expected)s"),
    # agents/wipe: the wipe itself
    "wipe.write_failed": N_("write failed at LBA %(lba)s: %(error)s"),
    "wipe.read_failed": N_("read failed at LBA %(lba)s: %(error)s"),
    "wipe.flush_failed": N_("flushing the disk cache failed: %(error)s"),
    "wipe.mismatch": N_("read-back differs from the pattern at LBA %(lba)s"),
    "wipe.pass_incomplete": N_("pass %(number)s stopped before the end of the disk"),
    "wipe.verify_incomplete": N_("verification stopped before the end"),
    "wipe.thread_died": N_("the wipe thread died"),
    "wipe.hidden_sectors": N_("hidden sectors NOT erased"),
    "wipe.sampled_verification": N_("verification by sampling, not every sector read back"),
    "purge.not_used": N_("Purge not used: %(reason)s"),
    "purge.failed": N_("Purge %(technique)s did not succeed: %(reason)s"),
    "purge.clear_instead": N_("Clear instead"),
    "purge.usb_bridge": N_(
        "Purge is not offered through USB bridges (security erase there can brick)"
    ),
    "purge.security_locked": N_("ATA security is already enabled or locked (unknown password)"),
    "purge.only_security_erase": N_(
        "only ATA SECURITY ERASE is available, which counts as Clear on flash"
    ),
    "purge.ata_unsupported": N_(
        "the drive supports neither ATA SANITIZE nor the security feature set"
    ),
    "purge.nvme_unsupported": N_("the controller supports neither NVMe Sanitize nor Format"),
    "purge.no_command_path": N_(
        "no ATA or NVMe command path to this disk (transport %(transport)s)"
    ),
    "purge.identify_garbled": N_(
        "ATA IDENTIFY data is garbled (integrity word not set): not trusted for Purge"
    ),
    "purge.security_frozen": N_(
        "ATA security is frozen by the BIOS: suspend and resume the machine "
        "(or hot-replug the disk) to unfreeze it, then retry"
    ),
    "purge.namespaces_unlisted": N_(
        "the controller's namespaces could not be listed (nvme list-ns)"
    ),
    "purge.many_namespaces": N_(
        "the controller has %(count)s namespaces and %(technique)s would erase all of them, "
        "not only the selected disk"
    ),
    "purge.tool_failed": N_("%(command)s failed (exit %(status)s)"),
    # agents/daemon/tasks.py: the summary of a diagnostic task (one code per outcome, so each
    # reads naturally in French)
    "diag.smart_pass": N_("SMART pass"),
    "diag.smart_suspect": N_("SMART suspect"),
    "diag.smart_fail": N_("SMART fail"),
    "diag.smart_unavailable": N_("SMART unavailable"),
    "diag.surface_passed": N_("surface scan passed"),
    "diag.surface_failed": N_("surface scan failed"),
    "diag.surface_skipped": N_("surface scan skipped"),
    "diag.surface_aborted": N_("surface scan aborted"),
    "diag.surface_timeout": N_("surface scan timeout"),
    "diag.surface_interrupted": N_("surface scan interrupted"),
    "diag.ram_passed": N_("RAM test passed"),
    "diag.ram_failed": N_("RAM test failed"),
    "diag.ram_skipped": N_("RAM test skipped"),
    "diag.ram_aborted": N_("RAM test aborted"),
    "diag.ram_timeout": N_("RAM test timeout"),
    "diag.ram_interrupted": N_("RAM test interrupted"),
    "diag.cpu_passed": N_("CPU test passed"),
    "diag.cpu_failed": N_("CPU test failed"),
    "diag.cpu_skipped": N_("CPU test skipped"),
    "diag.cpu_aborted": N_("CPU test aborted"),
    "diag.cpu_timeout": N_("CPU test timeout"),
    "diag.cpu_interrupted": N_("CPU test interrupted"),
    "diag.disk_smart_pass": N_("%(disk)s: SMART pass"),
    "diag.disk_smart_suspect": N_("%(disk)s: SMART suspect"),
    "diag.disk_smart_fail": N_("%(disk)s: SMART fail"),
    "diag.disk_smart_unavailable": N_("%(disk)s: SMART unavailable"),
    "diag.disk_left_out": N_("%(disk)s: left out (a wipe or diagnostic is running on it)"),
    # agents/diagnostics/smart.py and run.py: SMART and NVMe health reasons
    "smart.overall_failed": N_("SMART overall-health self-assessment: FAILED"),
    "smart.pending": N_("%(count)s pending sectors (attribute 197)"),
    "smart.uncorrectable": N_("%(count)s offline-uncorrectable sectors (attribute 198)"),
    "smart.reallocated_above": N_("%(count)s reallocated sectors (attribute 5), above %(limit)s"),
    "smart.reallocated": N_("%(count)s reallocated sectors (attribute 5)"),
    "smart.attribute_failing": N_(
        "attribute %(id)s %(name)s: normalized %(value)s, threshold %(thresh)s (failing now)"
    ),
    "smart.attribute_failed_past": N_(
        "attribute %(id)s %(name)s: normalized %(value)s, threshold %(thresh)s "
        "(was at threshold in the past)"
    ),
    "smart.life_left": N_("%(left)s%% of rated life left"),
    "smart.ata_error_log": N_("%(count)s errors in the drive's ATA error log"),
    "smart.nvme_critical_warning": N_("NVMe critical warning %(code)s: %(names)s"),
    "smart.media_errors": N_("%(count)s media and data integrity errors"),
    "smart.endurance_used": N_("%(used)s%% of rated endurance used"),
    "smart.spare_low": N_("available spare %(spare)s%% below %(floor)s%%"),
    "smart.nvme_error_log": N_("%(count)s entries in the NVMe error log"),
    "smart.self_test_failed_at": N_("self-test log: %(status)s at LBA %(lba)s (%(hours)s h)"),
    "smart.self_test_failed": N_("self-test log: %(status)s (%(hours)s h)"),
    "smart.self_test_log_errors": N_("smartctl reports errors in the self-test log"),
    "smart.disk_failing": N_("smartctl: SMART status DISK FAILING"),
    "smart.prefail_threshold": N_("smartctl: prefail attribute at or below threshold"),
    "smart.threshold_past": N_("an attribute was at threshold in the past"),
    "smart.power_on_hours": N_("%(hours)s power-on hours"),
    "smart.not_supported": N_("the drive does not support SMART"),
    "smart.disabled": N_("SMART is disabled on the drive"),
    "smart.no_identity": N_(
        "the device (or its USB bridge) returned no identity and no SMART data"
    ),
    "smart.commands_failed": N_("SMART commands failed"),
    "smart.no_data": N_("no SMART data in the report (SMART disabled or not supported)"),
    "smart.not_json": N_("smartctl output is not JSON"),
    "smart.tool_said": N_("smartctl: %(tool_message)s"),  # smartctl's own words, as printed
    "smart.no_output": N_("smartctl gave no output"),
    "smart.virtual": N_("%(transport)s disk: a virtual device has no SMART"),
    # agents/diagnostics/grading_rules.json: the default rules' reasons, and a matching rule
    "grade.ram_failed": N_("RAM pattern test failed"),
    "grade.cpu_wrong": N_("CPU computed wrong results"),
    "grade.disk_failed": N_("a disk failed: it goes to destruction, the machine needs another"),
    "grade.disk_suspect": N_("a disk is suspect"),
    "grade.disk_unknown": N_("the health of a disk is unknown (no SMART)"),
    "grade.battery_worn": N_("battery wear above 40%"),
    "grade.battery_replace": N_("battery wear above 70%: replace the battery"),
    "grade.disk_hours": N_("a disk has run more than 50,000 hours"),
    "grade.no_rule": N_("no rule lowered the grade"),
    "grade.rule_matched": N_("%(reason)s (%(fact)s %(value)s: %(grade)s at best)"),
    # Words the agent has no code for, shown as they are: a workshop's own grading rule, a
    # tool's message. Never used for the agent's own sentences (the reasons test checks it).
    "note.text": N_("%(text)s"),
}

_PLACEHOLDER = re.compile(r"%\(([a-z_]+)\)s")
MAX_DEPTH = 4  # a wrapper of reasons of reasons... deeper is not what an agent sends
MAX_TEXT, MAX_ITEMS = 1000, 20
ParamValue = (
    Annotated[str, Field(max_length=MAX_TEXT)]
    | int
    | float
    | Annotated[list["Message"], Field(max_length=MAX_ITEMS)]
)


class Message(BaseModel):
    """One reason: its code and the values its template names."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    code: str = Field(min_length=3, max_length=64, pattern=r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")
    params: dict[str, ParamValue] = Field(default_factory=dict, max_length=20)

    @model_validator(mode="after")
    def _not_too_deep(self) -> Message:
        if _depth(self) > MAX_DEPTH:
            raise ValueError(f"reasons nested more than {MAX_DEPTH} deep")
        return self

    def french(self) -> str:
        """The French sentence, from reasons_fr.json (written with the server's catalogue by
        scripts/fr_catalogue.py): what a bench's own console shows. English when a code has
        no French yet."""
        template = _french().get(self.code)
        if template is None:
            return self.english()
        values = {k: french(v) if isinstance(v, list) else v for k, v in self.params.items()}
        try:
            return template % values if values else template
        except (KeyError, TypeError, ValueError):
            return template

    def english(self) -> str:
        """The English sentence (what the agent also sends as text); the code if unknown."""
        template = REASONS.get(self.code)
        if template is None:
            return self.code
        if not self.params:
            return template
        values = {k: english(v) if isinstance(v, list) else v for k, v in self.params.items()}
        try:
            return template % values
        except (KeyError, TypeError, ValueError):
            return template


def _depth(message: Message) -> int:
    nested = [m for v in message.params.values() if isinstance(v, list) for m in v]
    return 1 + max((_depth(m) for m in nested), default=0)


Message.model_rebuild()


def placeholders(template: str) -> set[str]:
    """The parameters a template names."""
    return set(_PLACEHOLDER.findall(template))


def say(code: str, /, **params: Any) -> Message:
    """A reason by its code; an unknown code or a wrong set of parameters is a programming
    error (KeyError / ValueError), caught by the agent's tests."""
    expected = placeholders(REASONS[code])
    if set(params) != expected:
        raise ValueError(f"{code} takes {sorted(expected)}, got {sorted(params)}")
    # Within the wire limits whatever the values (a long tool message, many partitions):
    # saying why must never fail.
    bounded = {
        name: value[:MAX_TEXT]
        if isinstance(value, str)
        else value[:MAX_ITEMS]
        if isinstance(value, list)
        else value
        for name, value in params.items()
    }
    return Message(code=code, params=bounded)


@functools.cache
def _french() -> dict[str, str]:
    from importlib.resources import files  # noqa: PLC0415

    data = files("atelier_protocol").joinpath("reasons_fr.json").read_text(encoding="utf-8")
    table: dict[str, str] = json.loads(data)
    return table


def french(messages: list[Message]) -> str:
    """Several reasons as one French line, `; `-separated."""
    return " ; ".join(message.french() for message in messages)


def english(messages: list[Message]) -> str:
    """Several reasons as one English line, `; `-separated (how the agent always joined them)."""
    return "; ".join(message.english() for message in messages)
