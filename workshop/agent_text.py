"""What the bench agents say (refusal reasons, task outcomes, wipe errors, SMART reasons) in the
reader's language, from the reason codes they send (atelier_protocol.reasons).

Each code's English template is its gettext msgid: the French catalogue translates it like any
other message (scripts/translations/fr_bench_text.py), and English pages show the sentence the
agent sent. Nested reasons (the `reasons` of "/dev/sdb is protected: ...") are rendered in turn.
`note.text` carries words that have no code (a workshop's own grading rule, a tool's message):
shown as written.

Records from agents before the codes (agent 0.1) carry text only. They are shown through the
old matching of the English sentences (workshop/bench_text.py), kept for them alone: a deployed
bench is not upgraded the day its server is, and its technicians read French. So is a record
whose codes this server does not know (a newer agent): its text, translated where it can be.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from pydantic import TypeAdapter, ValidationError

from atelier_protocol.reasons import REASONS, Message
from workshop import bench_text
from workshop.i18n import _

_MESSAGES = TypeAdapter(list[Message])


def parse(said: Any) -> list[Message] | None:
    """Reason codes as stored (a JSON list, or already decoded); None when absent, malformed or
    naming a code this server does not know (the text is shown instead)."""
    if said is None or said == "" or said == []:
        return None
    try:
        decoded = json.loads(said) if isinstance(said, str | bytes) else said
        if isinstance(decoded, dict):
            decoded = [decoded]
        messages = _MESSAGES.validate_python(decoded)
    except (ValueError, ValidationError):
        return None
    if not messages or not all(_known(m) for m in messages):
        return None
    return messages


def _known(message: Message) -> bool:
    if message.code not in REASONS:
        return False
    nested = [v for v in message.params.values() if isinstance(v, list)]
    return all(_known(inner) for values in nested for inner in values)


def _one(message: Message) -> str:
    if message.code == "note.text":
        return str(message.params.get("text", ""))
    values = {
        name: "; ".join(_one(inner) for inner in value) if isinstance(value, list) else value
        for name, value in message.params.items()
    }
    template = REASONS[message.code]
    try:
        return _(template, **values) if values else _(template)
    except (KeyError, TypeError, ValueError):  # a translation naming a value the code lacks
        return message.english()


def render(text: str | None, said: Any = None) -> str:
    """What an agent said, in the reader's language: from its codes, else from its text."""
    messages = parse(said)
    if messages is not None:
        return "; ".join(_one(message) for message in messages)
    return bench_text.translate(text)


def render_each(texts: Iterable[str] | None, said: Any = None) -> list[str]:
    """A list of reasons (e.g. why a disk is protected), each in the reader's language."""
    texts = list(texts or ())
    messages = parse(said)
    if messages is not None and len(messages) == len(texts or messages):
        return [_one(message) for message in messages]
    return bench_text.translate_all(texts)
