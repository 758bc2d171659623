"""The bon de remise (handover receipt): a French PDF listing what an association received.

`receipt_for` gathers the facts of a handed-over reservation; `render_receipt` turns facts
into PDF bytes (reportlab). The conditions recall the legal frame
of goods given by collectivités (CGPPP art. L.3212-2) and the solidarity price caps of
décret n° 2022-1413 where a device type has one.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from sqlmodel import Session

from workshop.errors import Conflict
from workshop.i18n import _
from workshop.models import DeviceType, Organisation, Reservation, ReservationStatus
from workshop.services import asset_tags, reservations
from workshop.services.documents.pdf import logo_flowable
from workshop.services.identity import workshop_logo

# Décret n° 2022-1413, maximum resale prices (TTC) for RUP/RIG associations.
PRICE_CAPS_EUR = {
    DeviceType.LAPTOP: "180 €",
    DeviceType.DESKTOP: "150 € (avec écran)",
    DeviceType.TABLET: "100 €",
    DeviceType.SCREEN: "30 €",
}
TYPE_FR = {
    DeviceType.LAPTOP: "Ordinateur portable",
    DeviceType.DESKTOP: "Ordinateur fixe",
    DeviceType.ALL_IN_ONE: "Tout-en-un",
    DeviceType.SERVER: "Serveur",
    DeviceType.TABLET: "Tablette",
    DeviceType.SMARTPHONE: "Smartphone",
    DeviceType.SCREEN: "Écran",
    DeviceType.PRINTER: "Imprimante",
    DeviceType.DISK: "Disque",
    DeviceType.PERIPHERAL: "Périphérique",
    DeviceType.OTHER: "Autre",
}
CONDITIONS = [
    "Les matériels ci-dessus sont remis gratuitement à l'association bénéficiaire, qui en "
    "devient propriétaire. Leurs supports de stockage ont été effacés par l'atelier.",
    "Ces biens proviennent de collectivités publiques (article L.3212-2 du code général de la "
    "propriété des personnes publiques) : ils ne peuvent être revendus, sauf par une association "
    "reconnue d'utilité publique ou d'intérêt général et dans la limite des prix solidaires "
    "fixés par le décret n° 2022-1413 (indiqués ci-dessus lorsqu'ils s'appliquent).",
    "L'association s'engage à pouvoir justifier du réemploi de ces matériels et à les confier, "
    "en fin de vie, à une filière de traitement des DEEE.",
]


@dataclass(frozen=True)
class ReceiptLine:
    """One handed-over device."""

    asset_tag: str
    type: DeviceType
    vendor_model: str
    serial: str
    grade: str


@dataclass(frozen=True)
class ReceiptFacts:
    """Everything the bon de remise states."""

    reference: str
    workshop_name: str
    association_name: str
    association_address: str
    handed_over_at: datetime
    lines: list[ReceiptLine]
    comment: str = ""
    logo: bytes | None = None


def render_receipt(facts: ReceiptFacts) -> bytes:
    """The bon de remise as PDF bytes (A4, French)."""
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=f"Bon de remise {facts.reference}",
        author=facts.workshop_name,
    )
    styles = getSampleStyleSheet()
    small = styles["BodyText"].clone("small", fontSize=8, leading=10)
    story = [
        *([logo_flowable(facts.logo)] if facts.logo else []),
        Paragraph(f"Bon de remise de matériel — {facts.reference}", styles["Title"]),
        Paragraph(f"<b>Remis par :</b> {_esc(facts.workshop_name)}", styles["BodyText"]),
        Paragraph(
            f"<b>Association bénéficiaire :</b> {_esc(facts.association_name)}"
            + (f", {_esc(facts.association_address)}" if facts.association_address else ""),
            styles["BodyText"],
        ),
        Paragraph(
            f"<b>Date de remise :</b> {facts.handed_over_at:%d/%m/%Y} · "
            f"<b>Nombre de matériels :</b> {len(facts.lines)}",
            styles["BodyText"],
        ),
        Spacer(1, 5 * mm),
        _device_table(facts.lines, small),
        Spacer(1, 5 * mm),
        *(
            [Paragraph(f"<b>Observations :</b> {_esc(facts.comment)}", styles["BodyText"])]
            if facts.comment
            else []
        ),
        Paragraph("<b>Conditions</b>", styles["Heading3"]),
        *[Paragraph(text, small) for text in CONDITIONS],
        Spacer(1, 8 * mm),
        _signature_table(facts, styles["BodyText"]),
    ]
    doc.build(story)
    return buffer.getvalue()


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _device_table(lines: list[ReceiptLine], style: object) -> Table:
    header = ["Étiquette", "Type", "Marque et modèle", "N° de série", "Grade", "Prix plafond"]
    rows: list[list[object]] = [list(header)]
    for line in lines:
        rows.append(
            [
                line.asset_tag,
                TYPE_FR.get(line.type, str(line.type)),
                Paragraph(_esc(line.vendor_model), style),
                line.serial,
                line.grade,
                PRICE_CAPS_EUR.get(line.type, "—"),
            ]
        )
    table = Table(
        rows, repeatRows=1, colWidths=[28 * mm, 32 * mm, 45 * mm, 35 * mm, 14 * mm, 26 * mm]
    )
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 8),
                ("FONT", (0, 1), (-1, -1), "Helvetica", 8),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    return table


def _signature_table(facts: ReceiptFacts, style: object) -> Table:
    cell = (
        "Nom : ____________________<br/>Date : ___ / ___ / ______<br/><br/>"
        "Signature :<br/><br/><br/>"
    )
    rows = [
        [
            Paragraph(f"<b>Pour l'atelier</b> ({_esc(facts.workshop_name)})", style),
            Paragraph(f"<b>Pour l'association</b> ({_esc(facts.association_name)})", style),
        ],
        [Paragraph(cell, style), Paragraph(cell, style)],
    ]
    table = Table(rows, colWidths=[90 * mm, 90 * mm])
    table.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (0, -1), 0.5, colors.grey),
                ("BOX", (1, 0), (1, -1), 0.5, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def receipt_for(
    session: Session,
    reservation: Reservation,
    *,
    workshop_name: str,
    timezone: str = "Europe/Paris",
) -> bytes:
    """The bon de remise PDF of a handed-over reservation (access checked by the caller)."""
    if reservation.status != ReservationStatus.HANDED_OVER or reservation.handed_over_at is None:
        raise Conflict(_("The devices have not been handed over yet."), field="status")
    org = session.get(Organisation, reservation.organisation_id)
    assert org is not None
    address = " ".join(p for p in (org.address, org.postal_code, org.city) if p)
    lines = [
        ReceiptLine(
            asset_tag=asset_tags.display(d.asset_tag),
            type=d.type,
            vendor_model=" ".join(p for p in (d.vendor, d.model) if p) or "—",
            serial=d.serial or "—",
            grade=d.grade or "—",
        )
        for d in reservations.reservation_devices(session, reservation)
    ]
    facts = ReceiptFacts(
        reference=reservations.reference(reservation),
        workshop_name=workshop_name,
        association_name=org.name,
        association_address=address,
        handed_over_at=reservation.handed_over_at.astimezone(ZoneInfo(timezone)),
        lines=lines,
        comment=reservation.decision_reason,
        logo=logo.data if (logo := workshop_logo(session)) else None,
    )
    return render_receipt(facts)
