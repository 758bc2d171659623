"""ESC/POS encoding of a label through python-escpos, for one printer profile and media.

Receipt media: the QR goes native (GS ( k) or as a raster image (GS v 0); the tag and
small print go as printer text in a code page the profile supports (CP858, CP850,
CP1252 or CP437, first that holds every character), so a native job stays under
200 bytes and text is printed with the printer's sharp font. Die-cut labels are one raster
image (text beside the QR needs positioning that plain ESC/POS text cannot do), followed
by GS FF, feed to the next label.
"""

from __future__ import annotations

import os
from enum import Enum
from pathlib import Path
from typing import Any

from labels.catalogue import Media, MediaKind, PrinterProfile
from labels.data import LabelData
from labels.errors import LayoutError, UnsupportedError
from labels.layout import check_receipt_text, plan_qr, qr_image, render_label, tag_scale

CODEPAGE_PREFERENCE = ("CP858", "CP850", "CP1252", "CP437")
QR_EC_M = 1  # escpos.constants.QR_ECLEVEL_M; GS ( k function 169 value 49
LABEL_FEED = b"\x1d\x0c"  # GS FF: feed die-cut label to the next print start


class QrMode(Enum):
    """How the QR code reaches the paper."""

    NATIVE = "native"
    IMAGE = "image"


def _escpos_cache_dir() -> None:
    # python-escpos parses its YAML capabilities (~0.2 s) at every import unless the
    # pickled copy lives in a directory that outlasts the process.
    if "ESCPOS_CAPABILITIES_PICKLE_DIR" in os.environ:
        return
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    cache = base / "atelier" / "escpos"
    try:
        cache.mkdir(parents=True, exist_ok=True)
    except OSError:
        return
    os.environ["ESCPOS_CAPABILITIES_PICKLE_DIR"] = str(cache)


def escpos_profile(profile: PrinterProfile, media: Media) -> Any:
    """The python-escpos profile object for `profile`, with the media's width filled in."""
    _escpos_cache_dir()
    from escpos.capabilities import get_profile

    escpos = get_profile(profile.escpos_profile)
    data = dict(escpos.profile_data)
    # The `default` profile has no media width; give every profile the real one so
    # python-escpos's own image width check applies (instance attribute, class untouched).
    data["media"] = {
        "width": {"mm": media.width_mm, "pixels": media.printable_width},
        "dpi": media.dpi,
    }
    escpos.profile_data = data
    return escpos


def codepage_table(profile: PrinterProfile) -> dict[int, str]:
    """The profile's ESC t numbering: code page number -> name (for the decoder)."""
    _escpos_cache_dir()
    from escpos.capabilities import get_profile

    return {int(k): v for k, v in get_profile(profile.escpos_profile).codePages.items()}


def choose_qr_mode(profile: PrinterProfile, media: Media, wanted: QrMode | None) -> QrMode:
    """Native QR when the profile has it and nothing else was asked, else raster."""
    if media.kind is MediaKind.DIE_CUT:
        if wanted is QrMode.NATIVE:
            raise UnsupportedError(
                f"media {media.name} is printed as one raster image: use --qr image"
            )
        return QrMode.IMAGE
    if wanted is None:
        return QrMode.NATIVE if profile.native_qr else QrMode.IMAGE
    if wanted is QrMode.NATIVE and not profile.native_qr:
        raise UnsupportedError(
            f"profile {profile.name} cannot print native QR codes (GS ( k): use --qr image"
        )
    return wanted


def choose_codepage(profile: PrinterProfile, lines: list[str], available: dict[str, int]) -> str:
    """First preferred code page that the profile has and that encodes every line."""
    text = "".join(lines)
    for name in CODEPAGE_PREFERENCE:
        if name not in available:
            continue
        try:
            text.encode(name.lower())
        except UnicodeEncodeError:
            continue
        return name
    missing = sorted({c for c in text if ord(c) > 127})
    raise UnsupportedError(
        f"profile {profile.name} has no code page among {', '.join(CODEPAGE_PREFERENCE)} "
        f"that holds all of {''.join(missing)!r}: change the text or use a die-cut media"
    )


def encode_job(
    data: LabelData, profile: PrinterProfile, media: Media, qr_mode: QrMode | None = None
) -> bytes:
    """The complete ESC/POS byte stream for one label; raises before anything is sent."""
    profile.check_media(media)
    mode = choose_qr_mode(profile, media, qr_mode)
    plan = plan_qr(data.url, media, with_matrix=mode is QrMode.IMAGE)
    _escpos_cache_dir()
    from escpos.printer import Dummy

    printer = Dummy(profile=profile.escpos_profile)
    printer.profile = escpos_profile(profile, media)
    printer.hw("INIT")
    if media.kind is MediaKind.DIE_CUT:
        printer.image(render_label(data, media, plan), impl="bitImageRaster")
        printer._raw(LABEL_FEED)
        return bytes(printer.output)
    check_receipt_text(data, media)
    lines = [data.tag, *data.info_lines()]
    printer.charcode(choose_codepage(profile, lines, printer.profile.get_code_pages()))
    printer.set(align="center")
    if mode is QrMode.NATIVE:
        if plan.module_dots > 16:
            raise LayoutError(f"native QR modules are at most 16 dots, not {plan.module_dots}")
        # The printer draws the bare symbol: blank lines above and below and the centring
        # give the quiet zone.
        printer.ln()
        printer.qr(data.url, ec=QR_EC_M, size=plan.module_dots, native=True)
        printer.ln()
    else:
        printer.image(qr_image(plan), impl="bitImageRaster")
    _encode_text(printer, data, media)
    printer.cut()
    return bytes(printer.output)


def _encode_text(printer: Any, data: LabelData, media: Media) -> None:
    scale = tag_scale(data.tag, media.printable_width)
    printer.set(custom_size=True, width=scale, height=scale)
    printer.textln(data.tag)
    printer.set(custom_size=True, width=1, height=1)
    for line in data.info_lines():
        printer.textln(line)
