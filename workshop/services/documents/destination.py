"""Rapport de devenir: what became of each device of a donation, and the donor's yearly CSV.

Per device: reused (handed over → the kind of recipient and the date), parts (harvested, date),
recycled (the WEEE channel from the recycling exit, date), or still in the workshop. The totals
give the donor the figures it reports each year (décret n° 2023-266): a device counts as reused
only once handed over to a recipient.
"""

from __future__ import annotations

import io
import json
from datetime import datetime
from typing import Any

from reportlab.platypus import Flowable
from sqlmodel import Session, col, select

from workshop.models import (
    Device,
    DeviceStatus,
    DocumentKind,
    Donation,
    Event,
    Organisation,
    OrganisationKind,
    RecyclingExit,
)
from workshop.services import csv_export
from workshop.services.documents import KINDS, Kind, pdf
from workshop.services.documents.common import (
    STATUS_FR,
    device_line,
    donation_devices,
    donation_facts,
    donor_facts,
    french_date,
)

OUTCOMES = {
    DeviceStatus.HANDED_OVER: "reused",
    DeviceStatus.PARTS: "parts",
    DeviceStatus.RECYCLED: "recycled",
}
OUTCOME_FR = {
    "reused": "réemployé",
    "parts": "pièces détachées",
    "recycled": "recyclé",
    "in_progress": "en cours",
}
RECIPIENT_FR = {
    OrganisationKind.ASSOCIATION: "association",
    OrganisationKind.COLLECTIVITE: "collectivité",
    OrganisationKind.WORKSHOP: "atelier",
}


def _status_dates(session: Session, ids: list[int]) -> dict[tuple[int, str], datetime]:
    """When each device last entered each state."""
    query = (
        select(Event)
        .where(col(Event.device_id).in_(ids), Event.kind == "device.status_changed")
        .order_by(col(Event.id))
    )
    dates: dict[tuple[int, str], datetime] = {}
    for event in session.exec(query):
        if event.device_id is not None:
            dates[(event.device_id, str(json.loads(event.data).get("to")))] = event.created_at
    return dates


def destination_lines(session: Session, devices: list[Device]) -> list[dict[str, Any]]:
    """Each device's destination as documents and the CSV state it."""
    ids = [d.id for d in devices if d.id is not None]
    dates = _status_dates(session, ids)
    exits = {
        e.device_id: e
        for e in session.exec(select(RecyclingExit).where(col(RecyclingExit.device_id).in_(ids)))
    }
    kinds = {o.id: o.kind for o in session.exec(select(Organisation))}
    lines = []
    for device in devices:
        assert device.id is not None
        status = DeviceStatus(device.status)
        outcome = OUTCOMES.get(status, "in_progress")
        when = dates.get((device.id, status.value))
        detail = STATUS_FR.get(status, status.value) if outcome == "in_progress" else ""
        if outcome == "reused" and device.recipient_id is not None:
            detail = RECIPIENT_FR.get(OrganisationKind(kinds[device.recipient_id]), "")
        day = when.date().isoformat() if when and outcome != "in_progress" else ""
        if outcome == "recycled":
            found = exits.get(device.id)
            detail = _channel(found) if found else "filière DEEE"
            day = found.exited_on.isoformat() if found else day
        lines.append({**device_line(device), "outcome": outcome, "detail": detail, "date": day})
    return lines


def _channel(found: RecyclingExit) -> str:
    parts = [found.consignee, found.eco_organisme]
    return "filière DEEE : " + ", ".join(p for p in parts if p)


def totals(lines: list[dict[str, Any]]) -> dict[str, Any]:
    """Counts per outcome and the reuse rate among devices that left the workshop."""
    counts = {k: sum(1 for line in lines if line["outcome"] == k) for k in OUTCOME_FR}
    done = counts["reused"] + counts["parts"] + counts["recycled"]
    per_mille = (counts["reused"] * 1000 + done // 2) // done if done else 0
    rate = f"{per_mille // 10},{per_mille % 10} %" if done else "—"
    return {**counts, "total": len(lines), "reuse_rate": rate}


def facts(session: Session, donation: Donation, part: int | None = None) -> dict[str, Any]:
    """What the destination report states (one per donation)."""
    lines = destination_lines(session, donation_devices(session, donation))
    return {
        "donor": donor_facts(session, donation),
        "donation": donation_facts(donation),
        "devices": lines,
        "totals": totals(lines),
    }


def body(facts: dict[str, Any]) -> list[Flowable]:
    """The report: totals, then one line per device."""
    donor, donation, t = facts["donor"], facts["donation"], facts["totals"]
    rows = [
        [
            line["asset_tag"],
            pdf.clip(line["type"], 22),
            pdf.clip(line["model"], 30),
            pdf.clip(line["serial"], 22),
            pdf.para(OUTCOME_FR[line["outcome"]], "cell"),
            pdf.para(line["detail"] or "—", "cell"),
            french_date(line["date"]) if line["date"] else "—",
        ]
        for line in facts["devices"]
    ]
    return [
        pdf.facts_table(
            [
                ("Donateur", donor["name"]),
                ("Référence du don", donation["reference"]),
                ("Date de prise en charge", french_date(donation["received_on"])),
                ("Équipements", str(t["total"])),
                ("Réemployés", str(t["reused"])),
                ("Pièces détachées", str(t["parts"])),
                ("Recyclés", str(t["recycled"])),
                ("En cours", str(t["in_progress"])),
                ("Taux de réemploi (sortis de l'atelier)", t["reuse_rate"]),
            ]
        ),
        pdf.para("Devenir de chaque équipement", "h2"),
        pdf.grid(
            ["Étiquette", "Type", "Modèle", "N° de série", "Devenir", "Précision", "Date"],
            rows,
            # The tag column fits the widest tag (WWWM-WWWM-W): a plain cell does not wrap, so a
            # narrower column lets a wide tag run over the line into the type beside it.
            [27, 24, 34, 26, 20, 31, 16],
        ),
        pdf.para(
            "Un équipement est compté comme réemployé lorsqu'il a été remis à un bénéficiaire "
            "(décret n° 2023-266 : la preuve du réemploi est conservée par l'atelier). Les "
            "bénéficiaires sont désignés par leur catégorie, jamais par une personne.",
            "small",
        ),
    ]


CSV_FIELDS = [
    "reference_don",
    "date_prise_en_charge",
    "etiquette",
    "type",
    "modele",
    "numero_serie",
    "devenir",
    "precision",
    "date_devenir",
]


def yearly_csv(session: Session, donor_id: int, year: int) -> str:
    """The donor's devices from donations received in `year`, one CSV line each (UTF-8, ';')."""
    donations = session.exec(
        select(Donation).where(Donation.donor_id == donor_id).order_by(col(Donation.received_on))
    ).all()
    out = io.StringIO()
    writer = csv_export.writer(out)
    writer.writerow(CSV_FIELDS)
    for donation in donations:
        if donation.received_on.year != year:
            continue
        for line in destination_lines(session, donation_devices(session, donation)):
            writer.writerow(
                [
                    donation.reference,
                    donation.received_on.isoformat(),
                    line["asset_tag"],
                    line["type"],
                    line["model"],
                    line["serial"],
                    OUTCOME_FR[line["outcome"]],
                    line["detail"],
                    line["date"],
                ]
            )
    return out.getvalue()


KINDS[DocumentKind.DESTINATION] = Kind("Rapport de devenir des équipements", facts, body)
