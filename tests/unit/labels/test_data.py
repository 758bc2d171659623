"""LabelData validation and its French text lines."""

from __future__ import annotations

from datetime import date

import pytest

from labels.data import LabelData, WipeStatus, parse_date, parse_wipe_status
from labels.errors import LabelDataError


def test_info_lines_are_french_with_accents(make_label):
    label = make_label()
    assert label.info_lines() == [
        "i5-4590 · 8 Go · SSD 240 Go",
        "Grade A",
        "Effacé le 12/11/2026",
    ]


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (WipeStatus.FAILED, "Échec effacement le 12/11/2026"),
        (WipeStatus.NOT_WIPED, "Non effacé"),
    ],
)
def test_other_wipe_statuses(make_label, status, expected):
    assert make_label(wipe_status=status).info_lines()[-1] == expected


def test_empty_optional_fields_give_no_lines(make_label):
    assert make_label(specs="", grade="", wipe_status=None, wipe_date=None).info_lines() == []


@pytest.mark.parametrize(
    "tag", ["", "K7QX-4M2P-R-K7QX-4", "K7QX 4M2P", "K7QX--4M2P", "-K7QX", "KÉ7QX"]
)
def test_bad_tags_are_refused_naming_the_field(make_label, tag):
    with pytest.raises(LabelDataError) as caught:
        make_label(tag=tag)
    assert caught.value.field == "tag"


@pytest.mark.parametrize(
    "url",
    ["ftp://atelier.example.org/d/K7QX", "https://atelier.example.org/d/K7 QX", "atelier/d/K7QX"],
)
def test_bad_urls_are_refused(make_label, url):
    with pytest.raises(LabelDataError, match="url"):
        make_label(url=url)


def test_url_length_limit(make_label):
    base = "https://atelier.example.org/d/"
    make_label(url=base + "x" * (200 - len(base)))
    with pytest.raises(LabelDataError, match="at most 200"):
        make_label(url=base + "x" * (201 - len(base)))


def test_control_characters_in_specs_are_refused(make_label):
    with pytest.raises(LabelDataError, match="specs: holds a control character"):
        make_label(specs="i5\n8 Go")


def test_wipe_date_needs_a_status():
    with pytest.raises(LabelDataError, match="wipe_date"):
        LabelData("K7QX", "https://x.example/d/K7QX", wipe_date=date(2026, 1, 2))


def test_parse_date_accepts_iso_and_french_order():
    assert parse_date("2026-11-12") == date(2026, 11, 12)
    assert parse_date("12/11/2026") == date(2026, 11, 12)
    with pytest.raises(LabelDataError, match="2026-02-30"):
        parse_date("2026-02-30")
    with pytest.raises(LabelDataError, match="YYYY-MM-DD"):
        parse_date("12.11.2026")


def test_parse_wipe_status():
    assert parse_wipe_status("PASSED") is WipeStatus.PASSED
    with pytest.raises(LabelDataError, match="passed, failed, not-wiped"):
        parse_wipe_status("ok")
