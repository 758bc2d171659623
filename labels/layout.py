"""Label layout, pure: `LabelData` + `Media` -> 1-bit PIL image at printer resolution.

Receipt media: the QR code (with its 4-module quiet zone) centred, the asset tag in
large type, then one line each for specs, grade and wipe status. The text is drawn the
way the printer's own font A (12 x 24 dots) would set it, because the encoder sends it
as printer text. Die-cut labels: QR on the left, text beside it, all one raster image.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import qrcode
from PIL import Image, ImageDraw, ImageFont

from labels.catalogue import Media, MediaKind
from labels.data import LabelData
from labels.errors import LabelError, LayoutError

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
CELL_W, CELL_H, LINE_GAP = 12, 24, 6
QUIET_MODULES = 4
MIN_TEXT_DOTS = 150
WHITE, BLACK = 1, 0


@dataclass(frozen=True)
class QrPlan:
    """A QR symbol planned for one URL: version and size in printer dots."""

    version: int
    modules: int
    module_dots: int
    matrix: tuple[tuple[bool, ...], ...]

    @property
    def symbol_dots(self) -> int:
        """Width of the symbol alone, in dots."""
        return self.modules * self.module_dots

    @property
    def side_dots(self) -> int:
        """Width of the symbol with its quiet zone, in dots."""
        return (self.modules + 2 * QUIET_MODULES) * self.module_dots


def plan_qr(url: str, media: Media, with_matrix: bool = True) -> QrPlan:
    """Plan the QR code (error correction M) for `url` and check that it fits `media`.

    Without the matrix (native QR: the printer draws it) only the version is computed,
    which skips qrcode's costly mask selection.
    """
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=1, border=0)
    code.add_data(url)
    if with_matrix:
        code.make(fit=True)
        matrix = tuple(tuple(bool(c) for c in row) for row in code.get_matrix())
        plan = QrPlan(code.version, len(matrix), media.qr_module, matrix)
    else:
        version = code.best_fit()
        plan = QrPlan(version, 17 + 4 * version, media.qr_module, ())
    room = media.printable_width
    if media.kind is MediaKind.DIE_CUT:
        assert media.printable_height is not None
        room = min(media.printable_height, media.printable_width - MIN_TEXT_DOTS)
    if plan.side_dots > room:
        raise LayoutError(
            f"url: {len(url)} characters need a version {plan.version} QR code, "
            f"{plan.side_dots} dots wide with its quiet zone at {plan.module_dots} dots per "
            f"module; media {media.name} has room for {room} dots: shorten the URL"
        )
    return plan


def qr_image(plan: QrPlan, quiet: bool = True) -> Image.Image:
    """The QR symbol as a 1-bit image, scaled to whole dots, with or without quiet zone."""
    border = QUIET_MODULES if quiet else 0
    side = plan.modules + 2 * border
    pixels = bytearray(b"\xff" * side * side)
    for y, row in enumerate(plan.matrix):
        base = (y + border) * side + border
        for x, dark in enumerate(row):
            if dark:
                pixels[base + x] = 0
    small = Image.frombytes("L", (side, side), bytes(pixels))
    dots = side * plan.module_dots
    big = small.resize((dots, dots), Image.Resampling.NEAREST).convert(
        "1", dither=Image.Dither.NONE
    )
    # Raster rows travel as whole bytes: pad the width to a multiple of 8 dots so the
    # image centred here is the image the printer centres.
    padded = Image.new("1", ((dots + 7) // 8 * 8, dots), WHITE)
    padded.paste(big, (0, 0))
    return padded


@lru_cache(maxsize=32)
def font(name: str, size: int) -> ImageFont.FreeTypeFont:
    """Load a DejaVu font (Debian package fonts-dejavu-core)."""
    path = FONT_DIR / name
    try:
        return ImageFont.truetype(str(path), size)
    except OSError as exc:
        raise LabelError(
            f"font {path} cannot be loaded ({exc}): install fonts-dejavu-core"
        ) from None


def tag_scale(tag: str, width: int) -> int:
    """Largest printer character scale (1-3) at which the tag fits one line."""
    for scale in (3, 2, 1):
        if len(tag) * CELL_W * scale <= width:
            return scale
    raise LayoutError(f"tag: {len(tag)} characters do not fit {width} dots")


def check_receipt_text(data: LabelData, media: Media) -> None:
    """Raise LayoutError when a small-print line is longer than one printer line."""
    columns = media.printable_width // CELL_W
    for line in data.info_lines():
        if len(line) > columns:
            raise LayoutError(
                f"line {line!r} has {len(line)} characters; media {media.name} prints "
                f"{columns} per line"
            )
    tag_scale(data.tag, media.printable_width)


def text_line(text: str, scale: int, width: int, align: int = 1) -> Image.Image:
    """One printer-font line (12 x 24 dot cells times `scale`), aligned 0 left/1 centre/2 right."""
    image = Image.new("1", (width, CELL_H * scale + LINE_GAP), WHITE)
    if text:
        used = len(text) * CELL_W * scale
        x = (0, (width - used) // 2, width - used)[align]
        face = font("DejaVuSansMono.ttf", round(20 * scale))
        ImageDraw.Draw(image).text((max(x, 0), 0), text, font=face, fill=BLACK)
    return image


def stack(blocks: list[tuple[Image.Image, int]], width: int) -> Image.Image:
    """Stack (image, align) blocks vertically on a white page `width` dots wide."""
    height = sum(block.height for block, _ in blocks)
    page = Image.new("1", (width, max(height, 1)), WHITE)
    y = 0
    for block, align in blocks:
        x = (0, (width - block.width) // 2, width - block.width)[align]
        page.paste(block, (max(x, 0), y))
        y += block.height
    return page


def render_label(data: LabelData, media: Media, plan: QrPlan | None = None) -> Image.Image:
    """Lay the label out as a 1-bit image exactly `media.printable_width` dots wide."""
    plan = plan or plan_qr(data.url, media)
    if media.kind is MediaKind.DIE_CUT:
        return _render_die_cut(data, media, plan)
    check_receipt_text(data, media)
    width = media.printable_width
    blocks = [(qr_image(plan), 1)]
    blocks.append((text_line(data.tag, tag_scale(data.tag, width), width), 1))
    blocks.extend((text_line(line, 1, width), 1) for line in data.info_lines())
    return stack(blocks, width)


def _render_die_cut(data: LabelData, media: Media, plan: QrPlan) -> Image.Image:
    assert media.printable_height is not None
    page = Image.new("1", (media.printable_width, media.printable_height), WHITE)
    code = qr_image(plan)
    page.paste(code, (0, (media.printable_height - code.height) // 2))
    room = media.printable_width - code.width
    lines = _fit_die_cut_text(data, room, media)
    height = sum(size + 4 for _, _, size in lines)
    y = (media.printable_height - height) // 2
    draw = ImageDraw.Draw(page)
    for text, face_name, size in lines:
        draw.text((code.width, y), text, font=font(face_name, size), fill=BLACK)
        y += size + 4
    return page


def _fit_die_cut_text(data: LabelData, room: int, media: Media) -> list[tuple[str, str, int]]:
    tag_size = 32
    while tag_size > 16 and font("DejaVuSans-Bold.ttf", tag_size).getlength(data.tag) > room:
        tag_size -= 2
    lines = [(data.tag, "DejaVuSans-Bold.ttf", tag_size)]
    small = font("DejaVuSansCondensed.ttf", 18)
    for info in data.info_lines():
        lines.extend((part, "DejaVuSansCondensed.ttf", 18) for part in _wrap(info, small, room))
    assert media.printable_height is not None
    height = sum(size + 4 for _, _, size in lines)
    if (
        height > media.printable_height
        or font("DejaVuSans-Bold.ttf", tag_size).getlength(data.tag) > room
    ):
        raise LayoutError(
            f"the text ({len(lines)} lines) does not fit beside the QR code on media "
            f"{media.name}: shorten the specs or use a receipt media"
        )
    return lines


def _wrap(text: str, face: ImageFont.FreeTypeFont, room: int) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        candidate = f"{current} {word}".strip()
        if current and face.getlength(candidate) > room:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    too_wide = [line for line in lines if face.getlength(line) > room]
    if too_wide:
        raise LayoutError(f"word {too_wide[0]!r} is wider than the {room} dots beside the QR")
    return lines


def preview_png(data: LabelData, media: Media) -> bytes:
    """The label layout as PNG bytes (what `render_label` draws)."""
    buffer = io.BytesIO()
    render_label(data, media).save(buffer, format="PNG")
    return buffer.getvalue()
