"""SIREN, SIRET and RNA numbers: the Luhn key, La Poste's exception, what a person types."""

from __future__ import annotations

import pytest

from workshop.errors import ValidationFailed
from workshop.services import registry_numbers as numbers


@pytest.mark.parametrize("text", ["212200935", "212 200 935", "212.200.935", "732829320"])
def test_a_siren_with_its_key_is_taken_bare(text):
    assert numbers.siren(text) == text.replace(" ", "").replace(".", "")


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("212200937", "Luhn"),  # one digit off
        ("21220093", "9 digits"),
        ("2122009350", "9 digits"),
        ("21220093A", "9 digits"),
        ("２１２２００９３５", "9 digits"),  # full-width digits are digits to Python, not to INSEE
    ],
)
def test_a_wrong_siren_is_refused_naming_the_field(text, says):
    with pytest.raises(ValidationFailed) as caught:
        numbers.siren(text)
    assert caught.value.field == "siren" and "SIREN" in caught.value.message
    assert says in caught.value.message


def test_a_siret_checks_its_own_key_and_its_siren():
    assert numbers.siret("212 200 935 00014") == "21220093500014"
    assert numbers.siret("73282932000074") == "73282932000074"
    for wrong in ("21220093500015", "2122009350001", "ABCDEFGHIJKLMN"):
        with pytest.raises(ValidationFailed) as caught:
            numbers.siret(wrong)
        assert caught.value.field == "siret"


def test_la_poste_sirets_follow_the_sum_of_their_digits():
    # La Poste's establishments: the digits add up to a multiple of 5; its head office's
    # SIRET follows Luhn like any other.
    assert numbers.siret("35600000000048") == "35600000000048"
    assert numbers.siret("35600000012346") == "35600000012346"
    with pytest.raises(ValidationFailed):
        numbers.siret("35600000000049")


def test_rna_numbers():
    assert numbers.rna("w223001234") == "W223001234"
    assert numbers.rna("W2A1001234") == "W2A1001234"
    for wrong in ("223001234", "W22300123", "WXX3001234", "W2231001234"):
        with pytest.raises(ValidationFailed) as caught:
            numbers.rna(wrong)
        assert caught.value.field == "rna"


def test_luhn():
    assert numbers.luhn_valid("0") and numbers.luhn_valid("18") and not numbers.luhn_valid("19")
