"""The media and profile catalogue, and its agreement with python-escpos's printer data."""

from __future__ import annotations

import pytest
from escpos.capabilities import get_profile as escpos_get_profile

from labels.catalogue import MEDIA, PROFILES, get_media, get_profile
from labels.errors import UnknownMediaError, UnknownProfileError, UnsupportedError


def test_unknown_names_list_the_known_ones():
    with pytest.raises(UnknownProfileError, match="tm-t20ii"):
        get_profile("tm-t99")
    with pytest.raises(UnknownMediaError, match="58mm, 80mm, 50x30"):
        get_media("62mm")


def test_profile_names_are_case_insensitive():
    assert get_profile("TM-T20II") is PROFILES["tm-t20ii"]


def test_media_dots_match_203_dpi_widths():
    assert MEDIA["58mm"].printable_width == 384
    assert MEDIA["80mm"].printable_width == 576
    label = MEDIA["50x30"]
    # 48 x 28 mm printable at 203 dpi.
    assert (label.printable_width, label.printable_height) == (384, 224)
    assert round(48 * 203 / 25.4) == 384 and round(28 * 203 / 25.4) == 224


@pytest.mark.parametrize("profile", PROFILES.values(), ids=lambda p: p.name)
def test_catalogue_agrees_with_escpos_capabilities(profile):
    escpos = escpos_get_profile(profile.escpos_profile)
    features = escpos.features
    assert bool(features.get("qrCode")) == profile.native_qr
    assert bool(features.get("paperFullCut") or features.get("paperPartCut")) == profile.cutter
    assert features.get("bitImageRaster")
    pixels = escpos.media["width"]["pixels"]
    assert profile.head_dots == (None if pixels == "Unknown" else pixels)


def test_media_wider_than_the_head_is_refused():
    with pytest.raises(UnsupportedError, match="needs 576 dots but profile pos-5890"):
        PROFILES["pos-5890"].check_media(MEDIA["80mm"])


def test_die_cut_needs_a_label_sensor():
    with pytest.raises(UnsupportedError, match="no label gap sensor"):
        PROFILES["tm-t20ii"].check_media(MEDIA["50x30"])
    PROFILES["tm-l90"].check_media(MEDIA["50x30"])
