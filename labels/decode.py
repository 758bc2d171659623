"""ESC/POS stream decoder: walks a job's bytes, rebuilds what the paper would show.

Used by the tests (the QR read back from the rebuilt page must be the device URL) and by
the PNG preview of an encoded job. It knows the commands the encoder sends, plus a few
harmless neighbours, and refuses anything else with the byte offset, so a stray byte in a
job is a failed test, not a silently ignored one. Native QR codes (GS ( k) are drawn the
way the printer would (same payload, module size and error correction); raster images
(GS v 0) are PBM P4 rows and are decoded as such.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass, field

import qrcode
from PIL import Image

from labels.errors import DecodeError
from labels.layout import CELL_H, LINE_GAP, WHITE, stack, text_line

ESC, GS, DLE, LF, CR = 0x1B, 0x1D, 0x10, 0x0A, 0x0D
FEED_LINE_DOTS = CELL_H + LINE_GAP
EC_LEVELS = {48: "L", 49: "M", 50: "Q", 51: "H"}
QR_EC = {
    "L": qrcode.constants.ERROR_CORRECT_L,
    "M": qrcode.constants.ERROR_CORRECT_M,
    "Q": qrcode.constants.ERROR_CORRECT_Q,
    "H": qrcode.constants.ERROR_CORRECT_H,
}
# Epson's numbering, used when no profile table is given.
DEFAULT_CODEPAGES = {0: "CP437", 2: "CP850", 16: "CP1252", 19: "CP858"}
ONE_ARG_ESC = {
    ord("t"): "codepage",
    ord("!"): "mode",
    ord("a"): "align",
    ord("E"): "bold",
    ord("d"): "feed_lines",
    ord("J"): "feed_dots",
    ord("3"): "spacing",
    ord("M"): "font",
    ord("-"): "underline",
}


@dataclass
class Raster:
    """One GS v 0 raster image."""

    width_bytes: int
    height: int
    density: int
    data: bytes
    align: int

    def image(self) -> Image.Image:
        """The raster as a 1-bit image, read as PBM P4 (1 = black, MSB first)."""
        header = b"P4\n%d %d\n" % (self.width_bytes * 8, self.height)
        return Image.open(io.BytesIO(header + self.data)).convert("1")


@dataclass
class QrCode:
    """A native QR code: settings sent with GS ( k and the stored payload."""

    payload: bytes = b""
    model: int | None = None
    module_dots: int | None = None
    error_correction: str | None = None
    printed: bool = False
    align: int = 0

    def image(self) -> Image.Image:
        """The symbol as the printer would draw it (no quiet zone)."""
        code = qrcode.QRCode(
            error_correction=QR_EC[self.error_correction or "L"],
            box_size=self.module_dots or 3,
            border=0,
        )
        code.add_data(self.payload)
        code.make(fit=True)
        return code.make_image().get_image().convert("1")


@dataclass
class TextLine:
    """A line of printer text, decoded from its code page."""

    text: str
    scale: int
    align: int


@dataclass
class DecodedJob:
    """Everything the decoder found in one stream, in order in `blocks`."""

    blocks: list[Raster | QrCode | TextLine | int] = field(default_factory=list)
    codepages: list[str] = field(default_factory=list)
    commands: list[str] = field(default_factory=list)
    cut: str | None = None
    label_feed: bool = False
    status_requests: list[int] = field(default_factory=list)

    @property
    def rasters(self) -> list[Raster]:
        """The GS v 0 images."""
        return [b for b in self.blocks if isinstance(b, Raster)]

    @property
    def qr_codes(self) -> list[QrCode]:
        """The native QR codes that were printed (GS ( k function 81)."""
        return [b for b in self.blocks if isinstance(b, QrCode)]

    @property
    def lines(self) -> list[TextLine]:
        """The printed text lines, empty ones included."""
        return [b for b in self.blocks if isinstance(b, TextLine)]


class _Walker:
    def __init__(self, stream: bytes, codepages: Mapping[int, str]) -> None:
        self.s = stream
        self.pos = 0
        self.table = codepages
        self.job = DecodedJob()
        self.codec = "cp437"
        self.align = 0
        self.scale = 1
        self.text = bytearray()
        self.qr = QrCode()

    def take(self, n: int, what: str) -> bytes:
        if self.pos + n > len(self.s):
            raise DecodeError(f"stream ends inside {what} at byte {self.pos}")
        chunk = self.s[self.pos : self.pos + n]
        self.pos += n
        return chunk

    def flush(self, force: bool) -> None:
        if self.text or force:
            try:
                text = bytes(self.text).decode(self.codec)
            except UnicodeDecodeError as exc:
                raise DecodeError(f"text not valid in {self.codec}: {exc}") from None
            self.job.blocks.append(TextLine(text, self.scale, self.align))
            self.text.clear()

    def run(self) -> DecodedJob:
        while self.pos < len(self.s):
            byte = self.take(1, "stream")[0]
            if byte == ESC:
                self.esc()
            elif byte == GS:
                self.gs()
            elif byte == DLE:
                self.dle()
            elif byte == LF:
                self.flush(force=True)
            elif byte == CR:
                continue
            elif byte >= 0x20:
                self.text.append(byte)
            else:
                raise DecodeError(f"unknown control byte 0x{byte:02x} at byte {self.pos - 1}")
        self.flush(force=False)
        return self.job

    def esc(self) -> None:
        cmd = self.take(1, "ESC command")[0]
        if cmd == ord("@"):
            self.job.commands.append("init")
            self.align, self.scale = 0, 1
            return
        if cmd == ord("2"):
            self.job.commands.append("spacing")
            return
        if cmd not in ONE_ARG_ESC:
            raise DecodeError(f"unknown command ESC 0x{cmd:02x} at byte {self.pos - 2}")
        arg = self.take(1, "ESC argument")[0]
        name = ONE_ARG_ESC[cmd]
        self.job.commands.append(name)
        if name == "codepage":
            self.set_codepage(arg)
        elif name == "align":
            self.flush(force=False)
            self.align = arg - 48 if arg >= 48 else arg
        elif name == "mode":
            self.scale = 2 if arg & 0x30 else 1
        elif name == "feed_lines":
            self.flush(force=False)
            self.job.blocks.append(arg * FEED_LINE_DOTS)
        elif name == "feed_dots":
            self.flush(force=False)
            self.job.blocks.append(arg)

    def set_codepage(self, number: int) -> None:
        if number not in self.table:
            raise DecodeError(f"code page number {number} is not in the profile's table")
        name = self.table[number]
        self.job.codepages.append(name)
        self.codec = name.lower()
        try:
            "".encode(self.codec)
        except LookupError:
            raise DecodeError(f"code page {name} has no Python codec") from None

    def gs(self) -> None:
        cmd = self.take(1, "GS command")[0]
        if cmd == ord("!"):
            arg = self.take(1, "GS ! argument")[0]
            self.scale = (arg & 0x07) + 1
            self.job.commands.append("size")
        elif cmd == ord("v"):
            self.raster()
        elif cmd == ord("("):
            self.gs_paren()
        elif cmd == ord("V"):
            self.cut_paper()
        elif cmd == 0x0C:
            self.flush(force=False)
            self.job.label_feed = True
            self.job.commands.append("label_feed")
        else:
            raise DecodeError(f"unknown command GS 0x{cmd:02x} at byte {self.pos - 2}")

    def raster(self) -> None:
        self.flush(force=False)
        head = self.take(6, "GS v 0 header")
        if head[0] != ord("0"):
            raise DecodeError(f"GS v 0x{head[0]:02x} is not GS v 0 at byte {self.pos - 8}")
        width_bytes = head[2] | head[3] << 8
        height = head[4] | head[5] << 8
        data = self.take(width_bytes * height, "GS v 0 raster data")
        self.job.blocks.append(Raster(width_bytes, height, head[1], data, self.align))
        self.job.commands.append("raster")

    def gs_paren(self) -> None:
        letter = self.take(1, "GS ( function")[0]
        size = int.from_bytes(self.take(2, "GS ( length"), "little")
        body = self.take(size, "GS ( parameters")
        if letter != ord("k") or size < 2 or body[0] != ord("1"):
            raise DecodeError(f"unsupported GS ( {chr(letter)} function at byte {self.pos}")
        self.job.commands.append(f"qr{body[1]}")
        self.qr_function(body[1], body[2:])

    def qr_function(self, fn: int, args: bytes) -> None:
        if fn == 65:
            self.qr.model = args[0] - 48
        elif fn == 67:
            self.qr.module_dots = args[0]
        elif fn == 69:
            self.qr.error_correction = EC_LEVELS.get(args[0], "?")
        elif fn == 80:
            self.qr.payload = args[1:]
        elif fn == 81:
            self.flush(force=False)
            self.qr.printed, self.qr.align = True, self.align
            self.job.blocks.append(self.qr)
            self.qr = QrCode(b"", self.qr.model, self.qr.module_dots, self.qr.error_correction)
        else:
            raise DecodeError(f"unsupported QR function {fn} at byte {self.pos}")

    def cut_paper(self) -> None:
        self.flush(force=False)
        mode = self.take(1, "GS V mode")[0]
        if mode in (65, 66):
            self.take(1, "GS V feed")
        self.job.cut = "partial" if mode in (1, 49, 66) else "full"
        self.job.commands.append("cut")

    def dle(self) -> None:
        cmd = self.take(2, "DLE command")
        if cmd[0] != 0x04:
            raise DecodeError(f"unknown command DLE 0x{cmd[0]:02x} at byte {self.pos - 3}")
        self.job.status_requests.append(cmd[1])


def decode_job(stream: bytes, codepages: Mapping[int, str] | None = None) -> DecodedJob:
    """Walk an ESC/POS stream; `codepages` maps ESC t numbers to names (profile's table)."""
    return _Walker(stream, codepages or DEFAULT_CODEPAGES).run()


def render_page(job: DecodedJob, width: int) -> Image.Image:
    """Rebuild the paper: rasters, simulated native QR codes, text lines, feeds."""
    blocks: list[tuple[Image.Image, int]] = []
    for block in job.blocks:
        if isinstance(block, int):
            blocks.append((Image.new("1", (width, max(block, 1)), WHITE), 0))
            continue
        if isinstance(block, TextLine):
            blocks.append((text_line(block.text, block.scale, width, block.align), 0))
            continue
        image = block.image()
        if image.width > width:
            raise DecodeError(f"a {image.width}-dot wide image does not fit {width} dots")
        blocks.append((image, block.align))
    return stack(blocks, width)


def read_qr(image: Image.Image) -> list[str]:
    """Every QR code zbar finds in `image` (needs pyzbar and Debian's libzbar0)."""
    from pyzbar import pyzbar

    found = pyzbar.decode(image.convert("L"), symbols=[pyzbar.ZBarSymbol.QRCODE])
    return [symbol.data.decode("utf-8") for symbol in found]
