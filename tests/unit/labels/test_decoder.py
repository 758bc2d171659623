"""The decoder on hand-written streams, independent of the encoder."""

from __future__ import annotations

import pytest

from labels.decode import decode_job, render_page
from labels.errors import DecodeError


def test_gs_v_0_rows_are_pbm_p4_msb_first_one_is_black():
    # 2 bytes wide (16 dots), 2 rows: row 0 = 1000 0000 0000 0001, row 1 = 0100 0000 0000 0000.
    stream = b"\x1b@\x1dv0\x00\x02\x00\x02\x00" + bytes([0x80, 0x01, 0x40, 0x00])
    (raster,) = decode_job(stream).rasters
    image = raster.image()
    assert image.size == (16, 2)
    black = {(x, y) for y in range(2) for x in range(16) if image.getpixel((x, y)) == 0}
    assert black == {(0, 0), (15, 0), (1, 1)}


def test_native_qr_settings_and_payload():
    stream = (
        b"\x1d(k\x04\x001A2\x00"
        b"\x1d(k\x03\x001C\x05"
        b"\x1d(k\x03\x001E1"
        b"\x1d(k\x0a\x001P0https:/"
        b"\x1d(k\x03\x001Q0"
    )
    (code,) = decode_job(stream).qr_codes
    assert (code.model, code.module_dots, code.error_correction) == (2, 5, "M")
    assert code.payload == b"https:/"


def test_text_is_decoded_with_the_selected_code_page():
    job = decode_job(b"\x1bt\x13Effac\x82\n\x1d!\x11K7QX\n", {19: "CP858"})
    assert [(line.text, line.scale) for line in job.lines] == [("Effacé", 1), ("K7QX", 2)]


@pytest.mark.parametrize(
    ("stream", "message"),
    [
        (b"\x1dv0\x00\x02\x00\x02\x00\x80", "ends inside GS v 0 raster data"),
        (b"abc\x07", "unknown control byte 0x07 at byte 3"),
        (b"\x1b\x99", "unknown command ESC 0x99"),
        (b"\x1bt\x63", "code page number 99"),
        (b"\x1d(k\x03\x001Z0", "unsupported QR function 90"),
    ],
)
def test_malformed_streams_are_errors(stream, message):
    with pytest.raises(DecodeError, match=message):
        decode_job(stream)


def test_an_image_wider_than_the_paper_is_an_error():
    stream = b"\x1dv0\x00\x40\x00\x01\x00" + b"\x00" * 64  # 512 dots wide
    with pytest.raises(DecodeError, match="512-dot wide image does not fit 384"):
        render_page(decode_job(stream), 384)
