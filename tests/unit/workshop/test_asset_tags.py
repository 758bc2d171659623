"""Asset tags: generation, forgiving reading, and the check symbol catching typing errors."""

from __future__ import annotations

import random

import pytest

from workshop.services import asset_tags
from workshop.services.asset_tags import (
    ALPHABET,
    InvalidTag,
    check_symbol,
    display,
    generate,
    normalize,
)


def test_generated_tags_are_valid_and_typeable():
    for _ in range(2000):
        tag = generate()
        assert len(tag) == 9 and all(c in ALPHABET for c in tag)
        assert normalize(tag) == tag
        assert not set(tag) & set("ILOU")


def test_reading_is_forgiving():
    tag = generate()
    shown = display(tag)
    assert shown[4] == "-" and shown[9] == "-"
    assert normalize(shown.lower()) == tag
    assert normalize(f" {tag[:4]} {tag[4:]} ") == tag
    with_aliases = tag.replace("0", "O").replace("1", "I")
    assert normalize(with_aliases) == tag


def test_check_symbol_catches_every_single_substitution():
    rng = random.Random(1)
    for _ in range(200):
        tag = generate()
        position = rng.randrange(8)
        for replacement in ALPHABET:
            if replacement == tag[position]:
                continue
            typo = tag[:position] + replacement + tag[position + 1 :]
            with pytest.raises(InvalidTag):
                normalize(typo)


def test_check_symbol_catches_adjacent_transpositions():
    for _ in range(500):
        tag = generate()
        for i in range(7):
            if tag[i] == tag[i + 1]:
                continue
            swapped = tag[:i] + tag[i + 1] + tag[i] + tag[i + 2 :]
            with pytest.raises(InvalidTag):
                normalize(swapped)


def test_known_check_values():
    # Crockford's check: value mod 37; "00000000" is 0 → "0", "0000000Z" is 31 → "Z",
    # "00000010" is 32 → "*".
    assert check_symbol("00000000") == "0"
    assert check_symbol("0000000Z") == "Z"
    assert check_symbol("00000010") == "*"
    assert check_symbol("00000014") == "U"  # 36


@pytest.mark.parametrize("bad", ["", "ABC", "K7QX-4M2P-R-EXTRA", "K7QX-4M2P-!", "UUUU-UUUU-0"])
def test_malformed_tags_are_refused_with_a_reason(bad):
    with pytest.raises(InvalidTag) as info:
        normalize(bad)
    assert str(info.value)


def test_module_docstring_example_shape():
    assert asset_tags.BODY_LENGTH == 8
