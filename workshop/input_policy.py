"""The limits every input meets at the edge, before pydantic, forms or the database see it.

One policy for the JSON bodies of the API and the texts of forms, query strings and paths:

- JSON nests at most ``MAX_DEPTH`` levels, an array or object holds at most ``MAX_ITEMS``
  entries and the whole document at most ``MAX_VALUES`` values (the byte size is the app's
  ``MAX_CONTENT_LENGTH``, answered 413);
- integers fit in 64 bits (what a BIGINT column holds) and numbers are finite;
- texts hold no control character but TAB, LF and CR (which only multi-line texts may hold),
  and no lone UTF-16 surrogate: PostgreSQL refuses NUL and both engines fail to encode a
  surrogate, so both engines are spared them the same way.

    >>> parse_json(b'{"donor_id": 1' + b'0' * 40 + b'}')
    Traceback (most recent call last):
    ...
    workshop.errors.RefusedInput: donor_id: integer outside the 64-bit range (rule: int64)
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from typing import Any

from workshop.errors import MalformedRequest, RefusedInput

MAX_DEPTH = 32
MAX_ITEMS = 10_000
MAX_VALUES = 200_000
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
# Longer digit strings cannot fit in 64 bits; they are not even converted (CPU-bound).
_INT64_DIGITS = 20
_EXACT_FLOAT_INT = 2**53
# A regular expression scans a 12 MB text (a PDF in base64) in milliseconds, a loop in seconds.
_CONTROL_MULTILINE = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f"
_CONTROL = r"\x00-\x1f\x7f"
_FORBIDDEN_MULTILINE = re.compile(f"[{_CONTROL_MULTILINE}\\ud800-\\udfff]")
_FORBIDDEN = re.compile(f"[{_CONTROL}\\ud800-\\udfff]")
# The same rules as JSON Schema patterns, for the OpenAPI document (a lone surrogate cannot be
# written in JSON text that a client would send on purpose, so the patterns leave it out).
TEXT_PATTERN_MULTILINE = f"^[^{_CONTROL_MULTILINE}]*$"
TEXT_PATTERN = f"^[^{_CONTROL}]*$"


class _HugeInt:
    """Stands for a JSON integer too long to be one of ours, until the walk names its field."""


def _parse_int(text: str) -> int | _HugeInt:
    return int(text) if len(text.lstrip("-")) <= _INT64_DIGITS else _HugeInt()


def _parse_float(text: str) -> float | int:
    # JSON has one number type: 3.0 is the integer 3 (as JSON Schema reads it), so an integer
    # field takes it. Beyond 2**53 a float no longer holds every integer exactly: it stays one.
    value = float(text)
    return int(value) if value.is_integer() and abs(value) <= _EXACT_FLOAT_INT else value


def parse_json(raw: bytes) -> Any:
    """The JSON document of a request body, refused when it breaks the policy."""
    try:
        data = json.loads(raw, parse_int=_parse_int, parse_float=_parse_float, parse_constant=float)
    except RecursionError:
        raise _too_deep("") from None
    except (ValueError, UnicodeDecodeError):
        raise MalformedRequest("the request body is not valid JSON") from None
    check_json(data)
    return data


def _too_deep(field: str) -> RefusedInput:
    where = f"{field}: " if field else ""
    return RefusedInput(
        f"{where}JSON nested deeper than {MAX_DEPTH} levels (rule: max_depth)",
        field=field or None,
        rule="max_depth",
        limit=MAX_DEPTH,
    )


def check_json(data: Any, prefix: str = "") -> None:
    """Walk a decoded JSON value (without recursion) and refuse the first value over a limit."""
    stack: list[tuple[Any, str, int]] = [(data, prefix, 0)]
    seen = 0
    while stack:
        value, field, depth = stack.pop()
        seen += 1
        if seen > MAX_VALUES:
            raise RefusedInput(
                f"the JSON document holds more than {MAX_VALUES} values (rule: max_values)",
                rule="max_values",
                limit=MAX_VALUES,
            )
        if isinstance(value, dict | list):
            stack.extend(_children(value, field, depth))
        else:
            _check_scalar(value, field)


def _children(value: dict[Any, Any] | list[Any], field: str, depth: int) -> list[Any]:
    if depth >= MAX_DEPTH:
        raise _too_deep(field)
    if len(value) > MAX_ITEMS:
        raise RefusedInput(
            f"{field or 'body'}: more than {MAX_ITEMS} items (rule: max_items)",
            field=field or None,
            rule="max_items",
            limit=MAX_ITEMS,
        )
    if isinstance(value, list):
        return [(item, _join(field, str(i)), depth + 1) for i, item in enumerate(value)]
    for key in value:
        check_text(_join(field, "<key>"), key, multiline=False)
    return [(item, _join(field, str(key)), depth + 1) for key, item in value.items()]


def _join(field: str, part: str) -> str:
    return f"{field}.{part}" if field else part


def _check_scalar(value: Any, field: str) -> None:
    if isinstance(value, _HugeInt) or (
        isinstance(value, int)
        and not isinstance(value, bool)
        and not INT64_MIN <= value <= INT64_MAX
    ):
        raise RefusedInput(
            f"{field}: integer outside the 64-bit range (rule: int64)",
            field=field or None,
            rule="int64",
        )
    if isinstance(value, float) and not math.isfinite(value):
        raise RefusedInput(
            f"{field}: numbers must be finite (rule: finite_number)",
            field=field or None,
            rule="finite_number",
        )
    if isinstance(value, str):
        check_text(field, value, multiline=True)


def forbidden_character(text: str, *, multiline: bool) -> str | None:
    """The first character no stored text may hold (None when the text is clean)."""
    found = (_FORBIDDEN_MULTILINE if multiline else _FORBIDDEN).search(text)
    return found.group() if found else None


def check_text(field: str, text: str, *, multiline: bool) -> None:
    """Refuse a text holding a control character (TAB, LF, CR allowed when multi-line)."""
    char = forbidden_character(text, multiline=multiline)
    if char is not None:
        raise RefusedInput(
            f"{field}: control character U+{ord(char):04X} not allowed (rule: control_character)",
            field=field or None,
            rule="control_character",
            character=f"U+{ord(char):04X}",
        )


def check_texts(pairs: Iterable[tuple[str, str]], *, multiline: bool) -> None:
    """Check (field, text) pairs, e.g. a form's or a query string's values and names."""
    for field, text in pairs:
        check_text(field, field, multiline=False)
        check_text(field, text, multiline=multiline)
