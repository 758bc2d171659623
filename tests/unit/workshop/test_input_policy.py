"""The input policy's limits, exactly at and just past each one (no app, no database)."""

from __future__ import annotations

import json

import pytest

from workshop.errors import MalformedRequest, RefusedInput
from workshop.input_policy import (
    INT64_MAX,
    INT64_MIN,
    MAX_DEPTH,
    MAX_ITEMS,
    check_texts,
    forbidden_character,
    parse_json,
)


def _rule(raw: bytes) -> str:
    with pytest.raises(RefusedInput) as caught:
        parse_json(raw)
    return str(caught.value.details["rule"])


def test_integers_at_the_64_bit_bounds_pass_and_one_more_is_refused():
    assert parse_json(f"[{INT64_MAX}, {INT64_MIN}]".encode()) == [INT64_MAX, INT64_MIN]
    assert _rule(f"[{INT64_MAX + 1}]".encode()) == "int64"
    assert _rule(f"[{INT64_MIN - 1}]".encode()) == "int64"
    assert parse_json(b"[true, 1.5]") == [True, 1.5]


def test_depth_at_the_limit_passes_and_one_more_is_refused():
    assert parse_json(b"[" * MAX_DEPTH + b"]" * MAX_DEPTH) is not None
    assert _rule(b"[" * (MAX_DEPTH + 1) + b"]" * (MAX_DEPTH + 1)) == "max_depth"


def test_items_at_the_limit_pass():
    assert len(parse_json(json.dumps([0] * MAX_ITEMS).encode())) == MAX_ITEMS
    assert _rule(json.dumps([0] * (MAX_ITEMS + 1)).encode()) == "max_items"


def test_control_characters_and_keys():
    assert forbidden_character("a\tb\nc\rd", multiline=True) is None
    assert forbidden_character("a\tb", multiline=False) == "\t"
    assert forbidden_character("é€😀\x80", multiline=False) is None
    assert _rule(b'{"a\\u0000": 1}') == "control_character"
    assert _rule(b'["\\udfff"]') == "control_character"
    with pytest.raises(RefusedInput) as caught:
        check_texts([("q\x00", "x")], multiline=False)
    assert caught.value.details["character"] == "U+0000"


def test_broken_json_is_malformed_not_refused():
    for raw in (b"", b"{", b"\xff\xfe\x00", b'{"a": 1,}'):
        with pytest.raises(MalformedRequest):
            parse_json(raw)


def test_a_large_text_is_scanned_to_its_last_character():
    # A PDF upload is one 12 MB string: accepted whole, and a control character at its very
    # end is still found (the scan is not cut short).
    assert parse_json(json.dumps({"pdf": "A" * 12_000_000}).encode())["pdf"][-1] == "A"
    with pytest.raises(RefusedInput, match="control"):
        parse_json(json.dumps({"pdf": "A" * 12_000_000 + "\x00"}).encode())
