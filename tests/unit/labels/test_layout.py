"""Layout: image sizes, QR geometry (module size, quiet zone) and fit errors."""

from __future__ import annotations

import pytest

from labels.catalogue import MEDIA, Media, MediaKind
from labels.decode import read_qr
from labels.errors import LayoutError
from labels.layout import plan_qr, preview_png, qr_image, render_label


def first_dark(image, axis):
    """Index of the first column (axis 0) or row (axis 1) holding a black dot."""
    width, height = image.size
    outer, inner = (width, height) if axis == 0 else (height, width)
    for i in range(outer):
        for j in range(inner):
            xy = (i, j) if axis == 0 else (j, i)
            if image.getpixel(xy) == 0:
                return i
    raise AssertionError("image is blank")


@pytest.mark.parametrize("media", MEDIA.values(), ids=lambda m: m.name)
def test_render_label_is_1bit_at_the_printable_width_and_zbar_reads_the_url(make_label, media):
    label = make_label()
    image = render_label(label, media)
    assert image.mode == "1"
    assert image.width == media.printable_width
    if media.printable_height is not None:
        assert image.height == media.printable_height
    assert read_qr(image) == [label.url]


@pytest.mark.parametrize("media", MEDIA.values(), ids=lambda m: m.name)
def test_qr_has_at_least_4_dots_per_module_and_a_4_module_quiet_zone(make_label, media):
    plan = plan_qr(make_label().url, media)
    image = qr_image(plan)
    module = plan.module_dots
    assert module >= 4
    assert first_dark(image, 0) == 4 * module
    assert first_dark(image, 1) == 4 * module
    # The finder pattern's top edge is 7 modules of black.
    y, x = 4 * module, 4 * module
    run = 0
    while image.getpixel((x + run, y)) == 0:
        run += 1
    assert run == 7 * module
    assert image.height == plan.side_dots and image.width % 8 == 0


def test_url_too_long_for_the_die_cut_label_is_a_layout_error(make_label):
    long_url = "https://atelier.example.org/d/" + "k7qx4m2pr" * 12
    render_label(make_label(url=long_url), MEDIA["58mm"])
    with pytest.raises(LayoutError, match="media 50x30 has room for 224 dots: shorten the URL"):
        render_label(make_label(url=long_url), MEDIA["50x30"])


def test_url_too_long_for_narrow_paper_is_a_layout_error(make_label):
    narrow = Media("30mm", MediaKind.RECEIPT, 30, None, 128, None)
    with pytest.raises(LayoutError, match="version 3 QR code, 148 dots wide"):
        plan_qr(make_label().url, narrow)


def test_specs_longer_than_a_printer_line_are_refused_on_58mm_only(make_label):
    label = make_label(specs="Core i5-4590 3,3 GHz · 8 Go · SSD 240 Go")
    render_label(label, MEDIA["80mm"])
    with pytest.raises(LayoutError, match="prints 32 per line"):
        render_label(label, MEDIA["58mm"])


def test_a_word_wider_than_the_room_beside_the_die_cut_qr(make_label):
    specs = "Intel-Core-i7-8700-3,2GHz-16Go-DDR4"
    render_label(make_label(specs=specs), MEDIA["80mm"])
    with pytest.raises(LayoutError, match="wider than the 232 dots beside the QR"):
        render_label(make_label(specs=specs), MEDIA["50x30"])


def test_die_cut_text_sits_right_of_the_qr(make_label):
    image = render_label(make_label(), MEDIA["50x30"])
    side = plan_qr(make_label().url, MEDIA["50x30"]).side_dots
    text_part = image.crop((side, 0, image.width, image.height))
    assert text_part.convert("L").getextrema()[0] == 0, "no text beside the QR"


def test_preview_png_is_a_png_of_the_layout(make_label):
    data = preview_png(make_label(), MEDIA["58mm"])
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
