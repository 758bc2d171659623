"""Encoded jobs decoded back: the QR read by zbar is the URL, text and paper end are right."""

from __future__ import annotations

import pytest
from PIL import ImageChops

from labels.catalogue import MEDIA, PROFILES, MediaKind
from labels.decode import TextLine, decode_job, read_qr, render_page
from labels.encode import QrMode, codepage_table, encode_job
from labels.errors import UnsupportedError
from labels.layout import render_label, text_line

from .conftest import supported_combinations

COMBOS = supported_combinations()


def combo_id(combo):
    profile, media, mode = combo
    return f"{profile.name}-{media.name}-{mode.value}"


def decode_for(profile, job):
    return decode_job(job, codepage_table(profile))


def test_the_matrix_covers_every_profile_media_and_mode():
    assert {p.name for p, _, _ in COMBOS} == set(PROFILES)
    assert {m.name for _, m, _ in COMBOS} == set(MEDIA)
    assert {q for _, _, q in COMBOS} == set(QrMode)


@pytest.mark.parametrize("combo", COMBOS, ids=combo_id)
def test_zbar_reads_the_device_url_back_from_the_rebuilt_paper(make_label, combo):
    profile, media, mode = combo
    label = make_label()
    job = decode_for(profile, encode_job(label, profile, media, mode))
    page = render_page(job, media.printable_width)
    assert read_qr(page) == [label.url]


@pytest.mark.parametrize("combo", COMBOS, ids=combo_id)
def test_qr_travels_as_asked(make_label, combo):
    profile, media, mode = combo
    label = make_label()
    job = decode_for(profile, encode_job(label, profile, media, mode))
    if mode is QrMode.NATIVE:
        (code,) = job.qr_codes
        assert code.payload == label.url.encode()
        assert (code.model, code.error_correction) == (2, "M")
        assert code.module_dots is not None and code.module_dots >= 4
        assert job.rasters == []
    else:
        assert job.qr_codes == [] and not any(c.startswith("qr") for c in job.commands)
        assert len(job.rasters) == 1


@pytest.mark.parametrize("combo", COMBOS, ids=combo_id)
def test_paper_end_cut_feed_or_next_label(make_label, combo):
    profile, media, mode = combo
    job = decode_for(profile, encode_job(make_label(), profile, media, mode))
    if media.kind is MediaKind.DIE_CUT:
        assert job.label_feed and job.cut is None
    else:
        assert job.cut == ("full" if profile.cutter else None)
        assert not job.label_feed


@pytest.mark.parametrize(
    "combo", [c for c in COMBOS if c[1].kind is MediaKind.RECEIPT], ids=combo_id
)
def test_printer_text_decodes_to_the_french_lines(make_label, combo):
    profile, media, mode = combo
    label = make_label()
    job = decode_for(profile, encode_job(label, profile, media, mode))
    printed = [line.text for line in job.lines if line.text]
    assert printed == [label.tag, *label.info_lines()]
    assert job.lines[[line.text for line in job.lines].index(label.tag)].scale >= 2


@pytest.mark.parametrize("combo", [c for c in COMBOS if c[2] is QrMode.IMAGE], ids=combo_id)
def test_raster_job_prints_exactly_the_layout(make_label, combo):
    profile, media, mode = combo
    label = make_label()
    page = render_page(
        decode_for(profile, encode_job(label, profile, media, mode)), media.printable_width
    )
    layout = render_label(label, media)
    top = page.crop((0, 0, *layout.size))
    assert ImageChops.difference(top.convert("L"), layout.convert("L")).getbbox() is None
    rest = page.crop((0, layout.height, page.width, page.height)).convert("L")
    # Receipts end with a blank feed before the cut; die-cut labels end at the label.
    assert rest.height == 0 or rest.getextrema()[0] == 255, "something printed below"


def test_accented_text_bytes_in_cp858(make_label):
    profile = PROFILES["tm-t20ii"]
    job = encode_job(make_label(), profile, MEDIA["58mm"], QrMode.NATIVE)
    table = codepage_table(profile)
    number = next(n for n, name in table.items() if name == "CP858")
    assert b"\x1bt" + bytes([number]) in job
    assert b"Effac\x82 le 12/11/2026\n" in job  # é is 0x82 in CP850/CP858
    assert "é".encode("cp858") == b"\x82"


def test_euro_sign_picks_a_code_page_that_has_it(make_label):
    # The ZJ-5870 has no CP858; CP850 lacks the euro sign; CP1252 has it at 0x80.
    profile = PROFILES["zj-5870"]
    label = make_label(specs="Prix solidaire 150 €")
    job = encode_job(label, profile, MEDIA["58mm"], QrMode.IMAGE)
    decoded = decode_for(profile, job)
    assert decoded.codepages == ["CP1252"]
    assert "Prix solidaire 150 €" in [line.text for line in decoded.lines]
    assert b"150 \x80\n" in job


def test_character_in_no_code_page_is_refused_before_encoding(make_label):
    with pytest.raises(UnsupportedError, match="no code page"):
        encode_job(make_label(specs="RAM ✓"), PROFILES["tm-t20ii"], MEDIA["58mm"])


def test_native_qr_on_a_profile_without_it_is_refused(make_label):
    with pytest.raises(UnsupportedError, match="pos-5890 cannot print native QR"):
        encode_job(make_label(), PROFILES["pos-5890"], MEDIA["58mm"], QrMode.NATIVE)


def test_die_cut_refuses_native_qr(make_label):
    with pytest.raises(UnsupportedError, match="use --qr image"):
        encode_job(make_label(), PROFILES["tm-l90"], MEDIA["50x30"], QrMode.NATIVE)


def test_default_mode_is_native_where_supported(make_label):
    job = decode_for(
        PROFILES["tm-t20ii"], encode_job(make_label(), PROFILES["tm-t20ii"], MEDIA["80mm"])
    )
    assert len(job.qr_codes) == 1
    job = decode_for(
        PROFILES["zj-5870"], encode_job(make_label(), PROFILES["zj-5870"], MEDIA["58mm"])
    )
    assert len(job.rasters) == 1


def test_job_sizes_meet_the_goals(make_label):
    label = make_label()
    native = encode_job(label, PROFILES["tm-t20ii"], MEDIA["58mm"], QrMode.NATIVE)
    raster = encode_job(label, PROFILES["tm-t20ii"], MEDIA["58mm"], QrMode.IMAGE)
    assert len(native) <= 200
    assert len(raster) <= 4096


def test_default_profile_without_media_width_prints_no_warning(make_label, capsys):
    encode_job(make_label(), PROFILES["default"], MEDIA["80mm"], QrMode.IMAGE)
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("codepage", ["CP858", "CP850", "CP1252", "CP437"])
def test_escpos_code_page_tables_agree_with_python_codecs(codepage):
    # The encoder checks characters with Python's codec and python-escpos writes them
    # with its own table: both must give the same bytes.
    from escpos.capabilities import get_profile
    from escpos.magicencode import Encoder

    table = Encoder(get_profile("TM-T20II").get_code_pages())._get_codepage_char_list(codepage)
    for offset, char in enumerate(table):
        try:
            expected = bytes([128 + offset]).decode(codepage.lower())
        except UnicodeDecodeError:
            continue
        assert char == expected, f"{codepage} byte 0x{128 + offset:02x}"


@pytest.mark.parametrize("combo", [c for c in COMBOS if c[2] is QrMode.NATIVE], ids=combo_id)
def test_native_qr_is_surrounded_by_a_4_module_quiet_zone(make_label, combo):
    profile, media, mode = combo
    job = decode_for(profile, encode_job(make_label(), profile, media, mode))
    index = next(i for i, block in enumerate(job.blocks) if block in job.qr_codes)
    (code,) = job.qr_codes
    assert code.module_dots is not None and code.align == 1
    quiet = 4 * code.module_dots
    above, below = job.blocks[index - 1], job.blocks[index + 1]
    # Blank printer lines (LF) above and below, each taller than the quiet zone.
    for blank in (above, below):
        assert isinstance(blank, TextLine) and blank.text == ""
        assert text_line("", blank.scale, media.printable_width).height >= quiet
    side = code.image().width
    assert (media.printable_width - side) // 2 >= quiet
