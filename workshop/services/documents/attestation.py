"""Attestation de prise en charge: what the workshop collected from a donor, item by item."""

from __future__ import annotations

from typing import Any

from reportlab.platypus import Flowable
from sqlmodel import Session

from workshop.models import DocumentKind, Donation
from workshop.services.documents import KINDS, Kind, pdf
from workshop.services.documents.common import (
    device_line,
    donation_devices,
    donation_facts,
    donor_facts,
    french_date,
    workshop_facts,
    workshop_rows,
)

COMMITMENT = (
    "L'atelier s'engage à orienter chaque équipement reçu en priorité vers le réemploi ou la "
    "préparation en vue du réemploi (effacement certifié des données, test, reconditionnement, "
    "remise à des structures de l'économie sociale et solidaire), et à défaut vers le recyclage "
    "par la filière DEEE agréée. Un rapport de devenir sera fourni pour chaque équipement."
)


def facts(session: Session, donation: Donation, part: int | None = None) -> dict[str, Any]:
    """What the attestation states (`part` is not used: one attestation per donation)."""
    items = [device_line(d) for d in donation_devices(session, donation)]
    return {
        "workshop": workshop_facts(session),
        "donor": donor_facts(session, donation),
        "donation": donation_facts(donation),
        "items": items,
        "item_count": len(items),
        "commitment": COMMITMENT,
    }


def body(facts: dict[str, Any]) -> list[Flowable]:
    """The attestation's text and its list of items."""
    donor, donation = facts["donor"], facts["donation"]
    rows = [
        [
            i["asset_tag"],
            pdf.clip(i["type"], 24),
            pdf.clip(i["model"], 40),
            pdf.clip(i["serial"], 30),
        ]
        for i in facts["items"]
    ]
    return [
        pdf.facts_table(
            [
                *workshop_rows(facts["workshop"]),
                ("Donateur", donor["name"]),
                ("SIREN", donor["siren"]),
                ("Adresse", donor["address"]),
                ("Référence du don", donation["reference"]),
                ("Date de prise en charge", french_date(donation["received_on"])),
                ("Lieu", donation["place"]),
                ("Nombre d'équipements", str(facts["item_count"])),
            ]
        ),
        pdf.para("Équipements pris en charge", "h2"),
        pdf.grid(["Étiquette", "Type", "Modèle", "N° de série"], rows, [24, 34, 62, 50]),
        pdf.para("Engagement de l'atelier", "h2"),
        pdf.para(facts["commitment"]),
    ]


KINDS[DocumentKind.ATTESTATION] = Kind("Attestation de prise en charge", facts, body)
