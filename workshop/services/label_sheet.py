"""Labels on ordinary printers: an A4 PDF sheet of device labels, for workshops without a
thermal printer.

Each label carries what the thermal one does (the asset tag in large type, its QR code to the
device's public page, the specs line, grade and wipe status), laid out on a common A4 sheet of
self-adhesive labels. A partly used sheet is printed from its first free label (`start`, 1 =
top left, across then down). The QR codes are drawn as vector squares, so they stay sharp at any
printer resolution. Print at 100 % ("taille réelle"), not "fit to page".

    pdf = render_sheet([label_data(...), ...], SHEETS["L7160"], start=4)
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import qrcode
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from sqlmodel import Session

import labels
from workshop.errors import ValidationFailed
from workshop.i18n import _
from workshop.models import Device
from workshop.services.actors import Actor, require_staff

MAX_LABELS = 2000  # one PDF; a bigger batch is several downloads


@dataclass(frozen=True)
class SheetFormat:
    """A sheet of labels: their grid on the A4 page, in millimetres (maker's template)."""

    code: str
    name: str
    columns: int
    rows: int
    width: float
    height: float
    top: float  # page edge to the first row
    left: float  # page edge to the first column
    pitch_x: float  # left edge to the next label's left edge
    pitch_y: float

    @property
    def per_sheet(self) -> int:
        """Labels on one sheet."""
        return self.columns * self.rows

    def origin(self, index: int) -> tuple[float, float]:
        """(x, y) of the label's top-left corner on its page, mm from the top-left."""
        row, column = divmod(index % self.per_sheet, self.columns)
        return self.left + column * self.pitch_x, self.top + row * self.pitch_y


# Common A4 label sheets (dimensions from the makers' templates; Avery L-series, Herma/Avery
# Zweckform 3000-series and their equivalents sold under other brands).
SHEETS: dict[str, SheetFormat] = {
    sheet.code: sheet
    for sheet in (
        SheetFormat("L7160", "Avery L7160 · 21 (63,5 × 38,1 mm)", 3, 7, 63.5, 38.1, 15.15, 7.2,
                    66.0, 38.1),
        SheetFormat("L7159", "Avery L7159 · 24 (63,5 × 33,9 mm)", 3, 8, 63.5, 33.9, 13.1, 6.5,
                    66.0, 33.9),
        SheetFormat("L7163", "Avery L7163 · 14 (99,1 × 38,1 mm)", 2, 7, 99.1, 38.1, 15.15, 4.65,
                    101.6, 38.1),
        SheetFormat("3474", "Zweckform 3474 · 24 (70 × 37 mm)", 3, 8, 70.0, 37.0, 0.5, 0.0,
                    70.0, 37.0),
        SheetFormat("3475", "Zweckform 3475 · 24 (70 × 36 mm)", 3, 8, 70.0, 36.0, 4.5, 0.0,
                    70.0, 36.0),
        SheetFormat("3422", "Zweckform 3422 · 24 (70 × 35 mm)", 3, 8, 70.0, 35.0, 8.5, 0.0,
                    70.0, 35.0),
    )
}  # fmt: skip
DEFAULT_SHEET = "L7160"


def sheet_format(code: str | None) -> SheetFormat:
    """The sheet named `code` (default L7160); ValidationFailed naming the known ones."""
    sheet = SHEETS.get((code or DEFAULT_SHEET).strip().upper())
    if sheet is None:
        raise ValidationFailed(
            _(
                "Unknown label sheet %(code)s (known: %(known)s).",
                code=(code or "")[:20],
                known=", ".join(SHEETS),
            ),
            field="sheet",
        )
    return sheet


def first_label(value: str | None, sheet: SheetFormat) -> int:
    """The `start` position (1 = top left) as an index; ValidationFailed when outside the sheet."""
    if value in (None, ""):
        return 0
    try:
        start = int(str(value).strip())
    except ValueError:
        start = 0
    if not 1 <= start <= sheet.per_sheet:
        raise ValidationFailed(
            _(
                "The first label must be a number from 1 to %(count)s.",
                count=sheet.per_sheet,
            ),
            field="start",
        )
    return start - 1


def _qr(canvas: Canvas, url: str, x: float, y: float, size: float) -> None:
    """The URL as a QR code, `size` points square, bottom-left at (x, y) (points)."""
    code = qrcode.QRCode(border=2, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(url)
    code.make(fit=True)
    matrix = code.get_matrix()
    module = size / len(matrix)
    path = canvas.beginPath()
    for row, cells in enumerate(matrix):
        for column, dark in enumerate(cells):
            if dark:
                path.rect(x + column * module, y + size - (row + 1) * module, module, module)
    canvas.drawPath(path, stroke=0, fill=1)


def _fit(canvas: Canvas, text: str, font: str, size: float, width: float) -> float:
    """The largest font size <= `size` at which `text` fits in `width` points."""
    measured = canvas.stringWidth(text, font, size)
    return size if measured <= width else max(4.0, size * width / measured)


def _wrapped(canvas: Canvas, lines: list[str], width: float) -> list[str]:
    """The lines broken at spaces (and " · ") to fit `width` points in 7 pt Helvetica."""
    out = []
    for line in lines:
        current = ""
        for word in line.split(" "):
            candidate = f"{current} {word}".strip()
            if current and canvas.stringWidth(candidate, "Helvetica", 7) > width:
                out.append(current)
                current = word
            else:
                current = candidate
        out.append(current)
    return [line.strip(" ·") for line in out if line.strip(" ·")]


def _draw_label(canvas: Canvas, data: labels.LabelData, x: float, top: float, sheet: SheetFormat,
                issuer: str) -> None:  # fmt: skip
    """One label with its top-left corner at (x, top) in points from the bottom-left."""
    width, height = sheet.width * mm, sheet.height * mm
    pad = 2.5 * mm
    qr_size = min(height - 2 * pad, width * 0.45)
    _qr(canvas, data.url, x + pad, top - pad - qr_size, qr_size)
    text_x = x + 2 * pad + qr_size
    text_width = x + width - pad - text_x
    size = _fit(canvas, data.tag, "Helvetica-Bold", 13, text_width)
    baseline = top - pad - size
    canvas.setFont("Helvetica-Bold", size)
    canvas.drawString(text_x, baseline, data.tag)
    canvas.setFont("Helvetica", 7)
    for line in _wrapped(canvas, data.info_lines(), text_width):
        baseline -= 9
        if baseline < top - height + pad + 8:
            break  # the issuer's line stays; the label is full
        canvas.drawString(text_x, baseline, line)
    if issuer:
        small = _fit(canvas, issuer, "Helvetica-Oblique", 6, text_width)
        canvas.setFont("Helvetica-Oblique", small)
        canvas.drawString(text_x, top - height + pad, issuer)


def render_sheet(
    items: list[labels.LabelData], sheet: SheetFormat, *, start: int = 0, issuer: str = ""
) -> bytes:
    """The PDF: `items` laid out from label `start` (0-based) of the first sheet."""
    if not items:
        raise ValidationFailed(_("No device to label."), field="devices")
    if len(items) > MAX_LABELS:
        raise ValidationFailed(
            _("At most %(count)s labels per sheet file.", count=MAX_LABELS), field="devices"
        )
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, invariant=True, pageCompression=1)
    canvas.setTitle(_("Device labels"))
    canvas.setCreator("Atelier")
    page_height = A4[1]
    for number, data in enumerate(items, start=start):
        if number > start and number % sheet.per_sheet == 0:
            canvas.showPage()
        left, top = sheet.origin(number)
        _draw_label(canvas, data, left * mm, page_height - top * mm, sheet, issuer)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def device_sheet(
    session: Session, actor: Actor, devices: list[Device], sheet: SheetFormat, *, start: int,
    base_url: str,
) -> bytes:  # fmt: skip
    """The PDF sheet of these devices' labels (staff only), in the order given."""
    from workshop.services.documents.common import issuer_name  # noqa: PLC0415
    from workshop.services.printing import label_data  # noqa: PLC0415

    require_staff(actor)
    items = [label_data(session, device, base_url=base_url) for device in devices]
    return render_sheet(items, sheet, start=start, issuer=issuer_name(session, ""))
