"""Asset tags: Crockford Base32 with its mod-37 check symbol.

A tag is 8 random symbols plus the check symbol, shown as ``K7QX-4M2P-H``.
Reading is forgiving the way Crockford intends: case-insensitive, hyphens and
spaces ignored, ``I``/``L`` read as 1 and ``O`` as 0. The check symbol catches
every single-symbol error and every transposition of two adjacent symbols.
We only issue tags whose check symbol is itself alphanumeric (not one of
``* ~ $ = U``), so a technician never has to type punctuation.
"""

from __future__ import annotations

import secrets

from workshop.i18n import _

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CHECK_ALPHABET = ALPHABET + "*~$=U"
BODY_LENGTH = 8
_READ_ALIASES = {"I": "1", "L": "1", "O": "0"}


class InvalidTag(ValueError):
    """A typed or scanned tag that cannot be an asset tag."""


def check_symbol(body: str) -> str:
    """The mod-37 check symbol of a canonical body."""
    value = 0
    for char in body:
        value = value * 32 + ALPHABET.index(char)
    return CHECK_ALPHABET[value % 37]


def generate() -> str:
    """A new random tag in canonical form (9 symbols, no hyphens)."""
    while True:
        body = "".join(secrets.choice(ALPHABET) for _ in range(BODY_LENGTH))
        check = check_symbol(body)
        if check in ALPHABET:
            return body + check


def normalize(text: str) -> str:
    """Canonical form of a typed or scanned tag; raises InvalidTag naming the problem."""
    cleaned = "".join(c for c in text.upper() if c not in "- \t")
    if len(cleaned) != BODY_LENGTH + 1:
        raise InvalidTag(
            _(
                "An asset tag has %(n)s symbols; %(text)s has %(got)s.",
                n=BODY_LENGTH + 1,
                text=repr(text),
                got=len(cleaned),
            )
        )
    cleaned = "".join(_READ_ALIASES.get(c, c) for c in cleaned)
    body, check = cleaned[:BODY_LENGTH], cleaned[BODY_LENGTH]
    bad = [c for c in body if c not in ALPHABET]
    if bad or check not in CHECK_ALPHABET:
        raise InvalidTag(
            _("%(text)s contains a symbol that is not used in asset tags.", text=repr(text))
        )
    if check_symbol(body) != check:
        raise InvalidTag(_("%(text)s has a wrong check symbol: mistyped?", text=repr(text)))
    return body + check


def display(tag: str) -> str:
    """Human form with hyphens: K7QX-4M2P-H."""
    return f"{tag[0:4]}-{tag[4:8]}-{tag[8:]}"
