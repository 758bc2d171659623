"""What the bench agents write (refusal reasons, task outcomes, SMART reasons) in the reader's
language.

Agents report in English sentences built from a fixed set of templates; the server keeps what
was sent, as sent, and translates only when it shows it. Each template below is the agent's
sentence with its variable parts named (`%(name)s`); it is also the gettext msgid, so the French
catalogue carries the translations like any other message, and English pages show the agent's
text unchanged. A message is read as `; `-separated pieces (agents join reasons that way); each
piece that matches a template is translated, with the values it carries, and any piece that
does not match stays as sent. Groups named in NESTED hold agent texts themselves (the reasons
after "is protected:") and are translated in turn.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from workshop.i18n import _


def N_(text: str) -> str:
    """Mark an agent template for extraction into the catalogue (translated at display)."""
    return text


TEMPLATES: tuple[str, ...] = (
    # agents/safety.py: why a disk is protected
    N_("%(dev)s is read-only"),
    N_("holds the running system: %(dev)s mounted at %(mountpoint)s"),
    N_("mounted: %(dev)s at %(mountpoint)s"),
    N_("swap in use: %(swap)s (on %(dev)s)"),
    N_("member of md/LVM/dm: %(dev)s is held by %(holders)s"),
    # agents/daemon/service.py: more reasons than the server takes for one disk
    N_("and %(count)s more reasons"),
    # agents/daemon/tasks.py: the bench's own policy and its checks of a task
    N_("local policy: this bench accepts no wipe request from the server"),
    N_(
        "present when the bench agent started (local policy: only disks plugged in afterwards "
        "are wiped on request)"
    ),
    N_("no disk %(disk)s on this bench now (%(error)s)"),
    N_("%(path)s is not the disk confirmed (now %(model)s, serial %(serial)s, %(size)s bytes)"),
    N_("%(path)s is protected: %(reasons)s"),
    N_("the bench agent stopped during this task (killed or power cut): the disk is NOT erased"),
    N_("the bench agent failed: %(error)s"),
    # agents/wipe/device.py: the last checks before a wipe opens the disk
    N_("%(path)s: no such block device"),
    N_("%(path)s is a partition: name the whole disk"),
    N_("%(path)s is not a disk with media"),
    N_("%(path)s was not named for this wipe"),
    N_("%(path)s changed since it was confirmed (another disk in the slot?)"),
    N_("%(path)s is busy: a mount, RAID or device-mapper holds it"),
    N_("cannot open %(path)s: %(error)s"),
    N_("%(path)s now reports %(size)s bytes, not %(expected)s"),
    # agents/wipe: the wipe itself
    N_("write failed at LBA %(lba)s"),
    N_("read failed at LBA %(lba)s"),
    N_("read-back differs from the pattern at LBA %(lba)s"),
    N_("pass %(number)s stopped before the end of the disk"),
    N_("verification stopped before the end"),
    N_("the wipe thread died"),
    N_("Purge not used: %(reason)s"),
    N_("Purge %(technique)s did not succeed: %(reason)s"),
    N_("Clear instead"),
    N_("hidden sectors NOT erased"),
    # workshop/services/wipes.py: why the server moved a device by its drives
    N_("every drive erased or destroyed"),
    N_("wipe failed: %(drives)s"),
    N_("not erased: %(drives)s"),
    N_("drives counted in the case, not seen by a bench: %(count)s"),
    N_("verification by sampling, not every sector read back"),
    N_("Purge is not offered through USB bridges (security erase there can brick)"),
    N_("ATA security is already enabled or locked (unknown password)"),
    N_("only ATA SECURITY ERASE is available, which counts as Clear on flash"),
    N_("the drive supports neither ATA SANITIZE nor the security feature set"),
    N_("the controller supports neither NVMe Sanitize nor Format"),
    N_("no ATA or NVMe command path to this disk (transport %(transport)s)"),
    # agents/daemon/tasks.py: the summary of a diagnostic task
    N_("SMART pass"),
    N_("SMART suspect"),
    N_("SMART fail"),
    N_("SMART unavailable"),
    N_("surface scan passed"),
    N_("surface scan failed"),
    N_("surface scan skipped"),
    N_("surface scan aborted"),
    N_("surface scan timeout"),
    N_("surface scan interrupted"),
    # agents/daemon/tasks.py: the summary of a diagnostic of the machine
    N_("RAM test passed"),
    N_("RAM test failed"),
    N_("RAM test skipped"),
    N_("RAM test aborted"),
    N_("RAM test timeout"),
    N_("RAM test interrupted"),
    N_("CPU test passed"),
    N_("CPU test failed"),
    N_("CPU test skipped"),
    N_("CPU test aborted"),
    N_("CPU test timeout"),
    N_("CPU test interrupted"),
    N_("%(disk)s: SMART pass"),
    N_("%(disk)s: SMART suspect"),
    N_("%(disk)s: SMART fail"),
    N_("%(disk)s: SMART unavailable"),
    N_("%(disk)s: left out (a wipe or diagnostic is running on it)"),
    # agents/diagnostics/smart.py: SMART and NVMe health reasons
    N_("SMART overall-health self-assessment: FAILED"),
    N_("%(count)s pending sectors (attribute 197)"),
    N_("%(count)s offline-uncorrectable sectors (attribute 198)"),
    N_("%(count)s reallocated sectors (attribute 5), above %(limit)s"),
    N_("%(count)s reallocated sectors (attribute 5)"),
    N_("attribute %(id)s %(name)s: normalized %(value)s, threshold %(thresh)s (failing now)"),
    N_(
        "attribute %(id)s %(name)s: normalized %(value)s, threshold %(thresh)s "
        "(was at threshold in the past)"
    ),
    N_("%(left)s%% of rated life left"),
    N_("%(count)s errors in the drive's ATA error log"),
    N_("NVMe critical warning %(code)s: %(names)s"),
    N_("%(count)s media and data integrity errors"),
    N_("%(used)s%% of rated endurance used"),
    N_("available spare %(spare)s%% below %(floor)s%%"),
    N_("%(count)s entries in the NVMe error log"),
    N_("self-test log: %(status)s at LBA %(lba)s (%(hours)s h)"),
    N_("self-test log: %(status)s (%(hours)s h)"),
    N_("smartctl reports errors in the self-test log"),
    N_("smartctl: SMART status DISK FAILING"),
    N_("smartctl: prefail attribute at or below threshold"),
    N_("an attribute was at threshold in the past"),
    N_("%(hours)s power-on hours"),
    N_("the drive does not support SMART"),
    N_("SMART is disabled on the drive"),
    N_("the device (or its USB bridge) returned no identity and no SMART data"),
    N_("SMART commands failed"),
    N_("no SMART data in the report (SMART disabled or not supported)"),
    N_("smartctl output is not JSON"),
    N_("smartctl: %(tool_message)s"),  # smartctl's own words follow, as it printed them
    N_("smartctl gave no output"),
    N_("%(transport)s disk: a virtual device has no SMART"),
    # agents/diagnostics/grading_rules.json: the default rules' reasons
    N_("RAM pattern test failed"),
    N_("CPU computed wrong results"),
    N_("a disk failed: it goes to destruction, the machine needs another"),
    N_("a disk is suspect"),
    N_("the health of a disk is unknown (no SMART)"),
    N_("battery wear above 40%"),
    N_("battery wear above 70%: replace the battery"),
    N_("a disk has run more than 50,000 hours"),
    N_("no rule lowered the grade"),
    # agents/diagnostics/rules.py: a matching rule, as the grade suggestion gives it
    N_("%(reason)s (%(fact)s %(value)s: %(grade)s at best)"),
)

# Groups that hold agent texts themselves (reasons joined by "; ").
NESTED = frozenset({"reasons", "reason"})
# Groups that are one word (a device name or path, a number): they never hold a space, so
# "sda is read-only" cannot swallow "/dev/sda is protected: sda is read-only".
WORDS = frozenset(
    {"dev", "path", "disk", "lba", "count", "number", "hours", "id", "left", "used", "spare",
     "floor", "size", "expected", "thresh", "value", "limit", "transport", "code", "fact",
     "grade", "technique"}
)  # fmt: skip

_PLACEHOLDER = re.compile(r"%\(([a-z_]+)\)s")


def _pattern(template: str) -> re.Pattern[str]:
    """The template as a regular expression matching the whole piece, values as named groups."""
    parts = _PLACEHOLDER.split(template)
    has_values = len(parts) > 1
    regex = []
    for index, part in enumerate(parts):
        if index % 2:
            regex.append(f"(?P<{part}>[^\\s;]+)" if part in WORDS else f"(?P<{part}>.+?)")
        else:
            regex.append(re.escape(part.replace("%%", "%") if has_values else part))
    return re.compile("".join(regex) + r"\Z", re.DOTALL)


@lru_cache(maxsize=1)
def _compiled() -> tuple[tuple[re.Pattern[str], str], ...]:
    # The most literal text first: the most specific template wins.
    ordered = sorted(TEMPLATES, key=lambda t: -len(_PLACEHOLDER.sub("", t)))
    return tuple((_pattern(t), t) for t in ordered)


def _match(text: str) -> tuple[str, re.Match[str]] | None:
    for pattern, template in _compiled():
        match = pattern.match(text)
        if match is not None:
            return template, match
    return None


def _piece(text: str) -> str:
    found = _match(text)
    if found is not None:
        template, match = found
        values = {
            name: translate(value) if name in NESTED else value
            for name, value in match.groupdict().items()
        }
        return _(template, **values) if values else _(template)
    return text


def known(text: str) -> bool:
    """Whether every piece of an agent's message (and of its nested reasons) has a template."""
    for piece in text.split("; "):
        found = _match(piece)
        if found is None:
            return False
        nested = [v for k, v in found[1].groupdict().items() if k in NESTED]
        if not all(known(value) for value in nested):
            return False
    return True


def translate(text: str | None) -> str:
    """An agent's message in the reader's language; unknown pieces stay as sent."""
    if not text:
        return ""
    return "; ".join(_piece(piece) for piece in text.split("; "))


def translate_all(texts: Iterable[str] | None) -> list[str]:
    """Each of a list of agent reasons translated."""
    return [translate(text) for text in texts or ()]
