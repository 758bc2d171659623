"""The old matching of the agents' English sentences, for records that carry no reason codes.

Agents before the reason codes (agent 0.1, tests/fixtures/golden/agent-0.1) report in English
sentences only. Their records are shown through this matching, and only they: records with codes
are rendered from them (workshop/agent_text.py). The templates are the codes' English templates
(atelier_protocol.reasons), the variants agent 0.1 wrote that no code produces any more, and the
server's own reasons for moving a device by its drives (stored in its history as text). Each is
its gettext msgid, so the French catalogue carries the translations. A message is read as
`; `-separated pieces; each piece that matches a template is translated, with the values it
carries, and any piece that does not match stays as sent. Groups named in NESTED hold agent
texts themselves (the reasons after "is protected:") and are translated in turn.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from atelier_protocol.reasons import REASONS
from workshop.i18n import _


def N_(text: str) -> str:
    """Mark an agent template for extraction into the catalogue (translated at display)."""
    return text


# What agent 0.1 wrote that no reason code produces any more (its strerror was not templated).
LEGACY_ONLY: tuple[str, ...] = (
    N_("write failed at LBA %(lba)s"),
    N_("read failed at LBA %(lba)s"),
)
# workshop/services/wipes.py: why the server moved a device by its drives (its own history).
SERVER_OWN: tuple[str, ...] = (
    N_("every drive erased or destroyed"),
    N_("wipe failed: %(drives)s"),
    N_("not erased: %(drives)s"),
    N_("drives counted in the case, not seen by a bench: %(count)s"),
)
TEMPLATES: tuple[str, ...] = (
    *(template for code, template in REASONS.items() if code != "note.text"),
    *LEGACY_ONLY,
    *SERVER_OWN,
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
