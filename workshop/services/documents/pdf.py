"""The common layout of the workshop's PDF documents and the signature block they carry.

Every document is drawn from its signed payload only (so what is printed is what is signed), ends
with a verification block (QR code, URL, key id) and carries the signature envelope twice: as an
attached file ``atelier-signature.json`` and in the document information (``/AtelierSignature``),
both readable with pypdf. The file is then signed as a whole (pades.py).
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError
from pypdf.generic import StreamObject
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    Image,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from workshop.services.signing import Signed

ATTACHMENT_NAME = "atelier-signature.json"
INFO_KEY = "/AtelierSignature"
INFO_LIMIT = 16 * 1024
MARGIN = 16 * mm
WIDTH = A4[0] - 2 * MARGIN

_BASE = getSampleStyleSheet()
STYLES = {
    "title": ParagraphStyle("t", parent=_BASE["Title"], fontSize=17, spaceAfter=4),
    "h2": ParagraphStyle("h2", parent=_BASE["Heading2"], fontSize=12, spaceBefore=8),
    "body": ParagraphStyle("b", parent=_BASE["BodyText"], fontSize=9, leading=12),
    "small": ParagraphStyle("s", parent=_BASE["BodyText"], fontSize=7.5, leading=9.5),
    "cell": ParagraphStyle("c", parent=_BASE["BodyText"], fontSize=7, leading=8.5),
}
TABLE_STYLE = TableStyle(
    [
        ("FONT", (0, 0), (-1, -1), "Helvetica", 7),
        ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 7),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef3")),
        ("GRID", (0, 0), (-1, -1), 0.3, colors.HexColor("#9aa5ad")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
    ]
)


def text(value: Any) -> str:
    """A payload value as printable text ('—' when empty)."""
    if value is None or value == "":
        return "—"
    return str(value)


def para(value: str, style: str = "body") -> Paragraph:
    """A paragraph of plain text (escaped: payload values are never markup)."""
    return Paragraph(escape(value), STYLES[style])


def rich(markup: str, style: str = "body") -> Paragraph:
    """A paragraph of trusted markup written in this package."""
    return Paragraph(markup, STYLES[style])


def facts_table(rows: Sequence[tuple[str, Any]]) -> Table:
    """Label / value pairs in two columns."""
    data = [[rich(f"<b>{escape(k)}</b>"), para(text(v))] for k, v in rows]
    table = Table(data, colWidths=[48 * mm, WIDTH - 48 * mm])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def clip(value: Any, width: int) -> str:
    """Cell text cut to `width` characters (plain cells keep 500-row tables fast)."""
    raw = text(value)
    return raw if len(raw) <= width else raw[: width - 1] + "…"


def grid(header: Sequence[str], rows: Sequence[Sequence[Any]], widths_mm: Sequence[int]) -> Table:
    """A data table that repeats its header on every page."""
    scale = WIDTH / (sum(widths_mm) * mm)
    head = [rich(f"<b>{escape(h)}</b>", "cell") for h in header]
    table = Table(
        [head, *[list(r) for r in rows]],
        colWidths=[w * mm * scale for w in widths_mm],
        repeatRows=1,
    )
    table.setStyle(TABLE_STYLE)
    return table


@dataclass
class Layout:
    """What one document shows: a title, the body, the verification block."""

    title: str
    issuer: str
    uid: str
    verify_url: str
    key_id: str
    issued_at: str
    body: list[Flowable] = field(default_factory=list)
    # The workshop's logo (PNG or JPEG bytes) drawn above its name; not part of the signed facts.
    logo: bytes | None = None


LOGO_BOX = (50 * mm, 18 * mm)


def logo_flowable(data: bytes) -> Image:
    """The logo scaled to fit LOGO_BOX, aspect kept, on the left."""
    width, height = ImageReader(io.BytesIO(data)).getSize()
    scale = min(LOGO_BOX[0] / width, LOGO_BOX[1] / height)
    image = Image(io.BytesIO(data), width=width * scale, height=height * scale)
    image.hAlign = "LEFT"
    return image


def _qr(url: str, size: float = 30 * mm) -> Drawing:
    widget = QrCodeWidget(url, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    return drawing


def _verification_block(layout: Layout) -> KeepTogether:
    lines = rich(
        "<b>Vérification</b><br/>"
        "Ce document est signé électroniquement : son contenu signé (Ed25519) est joint au "
        "fichier et le fichier entier porte une signature PDF (PAdES) de l'atelier ; votre "
        "lecteur PDF la dira d'un signataire inconnu tant que le certificat publié de l'atelier "
        "n'y est pas importé. Vérifiez-le en ligne en suivant le code QR ou l'adresse "
        "ci-dessous, ou hors ligne avec les clés publiées de l'atelier (commande "
        "<i>workshop verify-document</i>)."
        f"<br/>Adresse : {escape(layout.verify_url)}<br/>Identifiant du document : "
        f"{escape(layout.uid)}<br/>Clé de signature : {escape(layout.key_id)}",
        "small",
    )
    table = Table([[_qr(layout.verify_url), lines]], colWidths=[34 * mm, WIDTH - 34 * mm])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("BOX", (0, 0), (-1, -1), 0.5, colors.HexColor("#9aa5ad")),
            ]
        )
    )
    return KeepTogether([Spacer(1, 6 * mm), table])


def _footer(layout: Layout) -> Any:
    def draw(canvas: Canvas, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 7)
        canvas.drawString(
            MARGIN, 9 * mm, f"{layout.issuer} · {layout.title} · document {layout.uid}"
        )
        canvas.drawRightString(A4[0] - MARGIN, 9 * mm, f"page {doc.page}")
        canvas.restoreState()

    return draw


def render(layout: Layout) -> bytes:
    """Draw the document (header, body, verification block) into PDF bytes, unsigned."""
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=16 * mm,
        title=layout.title,
        author=layout.issuer,
        subject=f"document {layout.uid}",
    )
    story: list[Flowable] = [
        *([logo_flowable(layout.logo), Spacer(1, 2 * mm)] if layout.logo else []),
        para(layout.issuer, "small"),
        para(layout.title, "title"),
        para(f"Document {layout.uid} émis le {layout.issued_at}", "small"),
        Spacer(1, 4 * mm),
        *layout.body,
        _verification_block(layout),
    ]
    doc.build(story, onFirstPage=_footer(layout), onLaterPages=_footer(layout))
    return buffer.getvalue()


def embed(pdf: bytes, signed: Signed) -> bytes:
    """Attach the signature envelope to a rendered PDF (attachment and document info).

    The document info holds the whole envelope when it is small; a large one (a 500-drive
    certificate) is kept only in the compressed attachment and the info names it."""
    envelope = json.dumps(signed.envelope(), ensure_ascii=False)
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    attachment = writer.add_attachment(ATTACHMENT_NAME, envelope.encode())
    _compress(writer, attachment.pdf_object)
    if len(envelope) > INFO_LIMIT:
        pointer = {k: v for k, v in signed.envelope().items() if k != "payload"}
        envelope = json.dumps({**pointer, "payload_in": ATTACHMENT_NAME}, ensure_ascii=False)
    writer.add_metadata({INFO_KEY: envelope})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _compress(writer: PdfWriter, filespec: Any) -> None:
    # pypdf stores attachments uncompressed; swap the stream for its Flate-encoded copy.
    try:
        ref = filespec["/EF"].raw_get("/F")
        stream = writer.get_object(ref)
        if isinstance(stream, StreamObject):
            writer._objects[ref.idnum - 1] = stream.flate_encode()  # noqa: SLF001
    except (AttributeError, KeyError, IndexError, TypeError):
        return  # an older pypdf: the attachment stays uncompressed, still valid


def extract_envelope(pdf: bytes) -> dict[str, Any] | None:
    """The signature envelope of a PDF (attachment first, then document info), or None."""
    try:
        reader = PdfReader(io.BytesIO(pdf))
        attached = reader.attachments.get(ATTACHMENT_NAME)
        raw: str | bytes | None = attached[0] if attached else None
        if raw is None and reader.metadata is not None:
            raw = reader.metadata.get(INFO_KEY)
    except (PdfReadError, ValueError, KeyError, TypeError, OSError):
        return None
    if raw is None:
        return None
    try:
        value = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None
    return value if isinstance(value, dict) else None
