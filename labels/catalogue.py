"""Catalogue of label media and printer profiles (pure data, no escpos import)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from labels.errors import N_, UnknownMediaError, UnknownProfileError, UnsupportedError

DOTS_PER_MM_203 = 203 / 25.4


class MediaKind(Enum):
    """Continuous receipt roll or die-cut labels on a backing liner."""

    RECEIPT = "receipt"
    DIE_CUT = "die-cut"


@dataclass(frozen=True)
class Media:
    """A paper or label stock, with its printable area in printer dots."""

    name: str
    kind: MediaKind
    width_mm: float
    height_mm: float | None
    printable_width: int
    printable_height: int | None
    qr_module: int = 4
    dpi: int = 203

    def describe(self) -> str:
        """One line for `atelier-label profiles`."""
        size = (
            f"{self.width_mm:g} mm"
            if self.height_mm is None
            else (f"{self.width_mm:g}x{self.height_mm:g} mm")
        )
        height = "continuous" if self.printable_height is None else f"{self.printable_height}"
        return (
            f"{self.name:8} {self.kind.value:8} {size:12} printable "
            f"{self.printable_width} x {height} dots at {self.dpi} dpi, "
            f"QR {self.qr_module} dots/module"
        )


MEDIA: dict[str, Media] = {
    m.name: m
    for m in (
        # 58 mm rolls: 48 mm printable, the usual 384-dot head.
        Media("58mm", MediaKind.RECEIPT, 58, None, 384, None),
        # 80 mm rolls: 72 mm printable, 576 dots.
        Media("80mm", MediaKind.RECEIPT, 80, None, 576, None, qr_module=6),
        # 50x30 mm die-cut labels, 1 mm margin each side: 48 x 28 mm printable.
        Media("50x30", MediaKind.DIE_CUT, 50, 30, 384, 224),
    )
}


@dataclass(frozen=True)
class PrinterProfile:
    """What a printer model can do, and the python-escpos profile that describes it."""

    name: str
    description: str
    escpos_profile: str
    head_dots: int | None
    native_qr: bool
    cutter: bool
    label_feed: bool = False
    dpi: int = 203

    def check_media(self, media: Media) -> None:
        """Raise UnsupportedError when this printer cannot print on `media`."""
        if self.head_dots is not None and media.printable_width > self.head_dots:
            raise UnsupportedError.of(
                N_(
                    "media %(media)s needs %(dots)s dots but profile %(profile)s prints at most "
                    "%(head)s dots per line"
                ),
                media=media.name,
                dots=media.printable_width,
                profile=self.name,
                head=self.head_dots,
            )
        if media.dpi != self.dpi:
            raise UnsupportedError.of(
                N_(
                    "media %(media)s is laid out at %(dpi)s dpi, profile %(profile)s prints at "
                    "%(pdpi)s dpi"
                ),
                media=media.name,
                dpi=media.dpi,
                profile=self.name,
                pdpi=self.dpi,
            )
        if media.kind is MediaKind.DIE_CUT and not self.label_feed:
            raise UnsupportedError.of(
                N_(
                    "profile %(profile)s has no label gap sensor: it cannot print on die-cut "
                    "media %(media)s (use a receipt media)"
                ),
                profile=self.name,
                media=media.name,
            )

    def describe(self) -> str:
        """One line for `atelier-label profiles`."""
        head = "any" if self.head_dots is None else str(self.head_dots)
        qr = "native+image" if self.native_qr else "image"
        end = "cut" if self.cutter else "feed"
        labels = "labels" if self.label_feed else ""
        return (
            f"{self.name:9} head {head:>3} dots  QR {qr:12} {end:4} {labels:6}  {self.description}"
        )


PROFILES: dict[str, PrinterProfile] = {
    p.name: p
    for p in (
        # python-escpos's `default` profile has no media width: the media decides.
        PrinterProfile("default", N_("generic ESC/POS (Epson-like)"), "default", None, True, True),
        PrinterProfile("tm-t20ii", N_("Epson TM-T20II, 80 mm"), "TM-T20II", 576, True, True),
        PrinterProfile("tm-l90", N_("Epson TM-L90 label/receipt"), "TM-L90", 576, True, True, True),
        PrinterProfile("pos-5890", N_("POS-5890 / Xprinter 58 mm"), "POS-5890", 384, False, False),
        PrinterProfile("zj-5870", N_("Zjiang ZJ-5870 58 mm"), "ZJ-5870", 384, False, False),
        PrinterProfile("sunmi-v2", N_("Sunmi V2 built-in 58 mm"), "Sunmi-V2", 384, True, False),
    )
}


def get_media(name: str) -> Media:
    """Return the media called `name`, or raise UnknownMediaError listing the known ones."""
    try:
        return MEDIA[name]
    except KeyError:
        raise UnknownMediaError.of(
            N_("unknown media %(name)s; known media: %(known)s"),
            name=repr(name),
            known=", ".join(MEDIA),
        ) from None


def get_profile(name: str) -> PrinterProfile:
    """Return the printer profile called `name`, or raise UnknownProfileError."""
    try:
        return PROFILES[name.lower()]
    except KeyError:
        raise UnknownProfileError.of(
            N_("unknown printer profile %(name)s; known profiles: %(known)s"),
            name=repr(name),
            known=", ".join(PROFILES),
        ) from None
