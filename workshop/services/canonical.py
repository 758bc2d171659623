"""Canonical JSON (RFC 8785 subset for our data: strings, integers, booleans, null, lists, maps)."""

from __future__ import annotations

import json
from typing import Any


def canonical_json(value: Any) -> str:
    """Serialise with sorted keys, no whitespace, UTF-8 text: the same facts give the same bytes."""
    _reject_floats(value)
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _reject_floats(value: Any) -> None:
    # Floats have several textual forms; RFC 8785 fixes one, we avoid them entirely
    # (weights and sizes travel as integers or strings).
    if isinstance(value, float):
        raise TypeError("floats are not allowed in canonical payloads; use int or str")
    if isinstance(value, dict):
        for item in value.values():
            _reject_floats(item)
    elif isinstance(value, list | tuple):
        for item in value:
            _reject_floats(item)
