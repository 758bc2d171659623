"""French registry numbers of organisations: SIREN, SIRET (Luhn key) and RNA.

    >>> siren("212 200 935")
    '212200935'
    >>> siret("212 200 935 00014")
    '21220093500014'
    >>> rna("w223001234")
    'W223001234'

Each function takes what a person typed (spaces, dots and hyphens allowed), returns the
bare number, and raises ValidationFailed naming the field when it is not one.
"""

from __future__ import annotations

import re

from workshop.errors import ValidationFailed
from workshop.i18n import _

# La Poste's establishments share one SIREN whose SIRETs mostly do not follow the Luhn key
# (its head office's does): INSEE checks them by the sum of their digits, a multiple of 5.
LA_POSTE_SIREN = "356000000"
RNA_RE = re.compile(r"^W(?:\d{2}|2A|2B)\d{7}$")


def _bare(text: str) -> str:
    return re.sub(r"[\s.\-]", "", text)


def luhn_valid(digits: str) -> bool:
    """Whether a string of digits passes the Luhn check (every second digit from the right
    doubled, the sum a multiple of 10)."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def siren(text: str, *, field: str = "siren") -> str:
    """A SIREN: 9 digits whose Luhn key holds."""
    number = _bare(text)
    if not (len(number) == 9 and number.isascii() and number.isdigit()):
        raise ValidationFailed(
            _("SIREN: %(value)s is not 9 digits.", value=text.strip()[:30]), field=field
        )
    if not luhn_valid(number):
        raise ValidationFailed(
            _("SIREN: %(value)s has a wrong check digit (Luhn key).", value=text.strip()),
            field=field,
        )
    return number


def siret(text: str, *, field: str = "siret") -> str:
    """A SIRET: 14 digits (the SIREN, then the establishment's 5) whose Luhn key holds."""
    number = _bare(text)
    if not (len(number) == 14 and number.isascii() and number.isdigit()):
        raise ValidationFailed(
            _("SIRET: %(value)s is not 14 digits.", value=text.strip()[:30]), field=field
        )
    if number.startswith(LA_POSTE_SIREN):
        valid = luhn_valid(number) or sum(int(c) for c in number) % 5 == 0
    else:
        valid = luhn_valid(number) and luhn_valid(number[:9])
    if not valid:
        raise ValidationFailed(
            _("SIRET: %(value)s has a wrong check digit (Luhn key).", value=text.strip()),
            field=field,
        )
    return number


def rna(text: str, *, field: str = "rna") -> str:
    """An RNA number: W, the département (2 digits, 2A or 2B), then 7 digits."""
    number = _bare(text).upper()
    if not RNA_RE.match(number):
        raise ValidationFailed(
            _(
                "RNA number: %(value)s is not W followed by 9 characters (e.g. W223001234).",
                value=text.strip()[:30],
            ),
            field=field,
        )
    return number
