"""The bench image's settings, read from the kernel command line (`/proc/cmdline`).

    atelier.url=https://atelier.example atelier.secret=ABCD-EFGH-JKMN-PQRS-TVWX
    atelier.wipe=ask atelier.method=auto atelier.verify=full atelier.poweroff=yes
    atelier.diagnose=quick

`atelier.url` and `atelier.secret` say where to report and how to enrol (the site's secret);
`atelier.wipe` is `no` (inventory only, the default), `ask` (confirm on the PC's screen) or
`yes` (the boot entry itself confirms: every internal disk the safety rules allow is wiped);
under `ask` the wipe can also be confirmed from the workshop's bench board. `atelier.diagnose`
is the diagnostics step before the wipe: `quick` (the default: SMART health of every internal
disk, a RAM and a CPU check, batteries), `full` (adds the SMART short self-test and a read of
every sector) or `no`.
`atelier.screen=/dev/ttyS1` draws the console on another terminal than tty1 (a serial line: the
QEMU test reads it). A bad value is refused with the parameter named; the console shows it.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from pathlib import Path

from agents.errors import AgentError
from agents.settings import check_url

_CHOICES = {
    "wipe": ("no", "ask", "yes"),
    "method": ("auto", "zero", "random", "purge"),
    "verify": ("full", "sample"),
    "poweroff": ("no", "yes"),
    "diagnose": ("no", "quick", "full"),
}


_SCREEN = re.compile(r"/dev/tty(S)?[0-9]{1,2}")


class BootParamError(AgentError):
    """A boot parameter is malformed; the message names it."""


@dataclass(frozen=True)
class LiveParams:
    """What the boot entry asks of the booted PC."""

    url: str | None = None
    secret: str | None = None
    wipe: str = "no"
    method: str = "auto"
    verify: str = "full"
    poweroff: str = "no"
    diagnose: str = "quick"
    screen: str = "/dev/tty1"


def parse_cmdline(text: str) -> LiveParams:
    """The `atelier.*` parameters of a kernel command line; others are ignored."""
    values: dict[str, str] = {}
    for word in shlex.split(text):
        key, sep, value = word.partition("=")
        if not key.startswith("atelier.") or not sep:
            continue
        name = key.removeprefix("atelier.")
        if name not in _CHOICES and name not in ("url", "secret", "screen"):
            raise BootParamError(
                f"boot parameter '{key}': unknown (atelier.url, atelier.secret, atelier.screen, "
                f"{', '.join('atelier.' + k for k in _CHOICES)})"
            )
        choices = _CHOICES.get(name)
        if choices is not None and value not in choices:
            raise BootParamError(
                f"boot parameter '{key}': must be one of {', '.join(choices)}, not {value!r}"
            )
        values[name] = value
    if "url" in values:
        try:
            check_url(values["url"])
        except AgentError as error:
            raise BootParamError(f"boot parameter 'atelier.url': {error.message}") from error
    if "screen" in values and not _SCREEN.fullmatch(values["screen"]):
        raise BootParamError(
            "boot parameter 'atelier.screen': a terminal such as /dev/tty1 or /dev/ttyS1"
        )
    secret = values.get("secret")
    if secret is not None and not (16 <= len(secret) <= 40):
        raise BootParamError("boot parameter 'atelier.secret': 16 to 40 characters expected")
    return LiveParams(**values)


def read_params(path: Path = Path("/proc/cmdline")) -> LiveParams:
    """Parse this boot's command line."""
    return parse_cmdline(path.read_text(encoding="utf-8", errors="replace"))
