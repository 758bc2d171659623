"""Facts shared by several documents (donor, donation, device lines) and their French wording.

Documents are French whatever the UI language, so their wording lives here rather than in the
message catalogue. Payload values are strings and integers only (canonical JSON refuses floats).
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context
from sqlmodel import Session, col, select

from workshop.models import Device, DeviceStatus, DeviceType, Donation, Organisation
from workshop.services import asset_tags
from workshop.settings import WorkshopSettings

TYPE_FR = {
    DeviceType.LAPTOP: "ordinateur portable",
    DeviceType.DESKTOP: "ordinateur fixe",
    DeviceType.ALL_IN_ONE: "ordinateur tout-en-un",
    DeviceType.SERVER: "serveur",
    DeviceType.TABLET: "tablette",
    DeviceType.SMARTPHONE: "smartphone",
    DeviceType.SCREEN: "écran",
    DeviceType.PRINTER: "imprimante",
    DeviceType.DISK: "disque",
    DeviceType.PERIPHERAL: "périphérique",
    DeviceType.OTHER: "autre",
}

STATUS_FR = {
    DeviceStatus.RECEIVED: "reçu",
    DeviceStatus.INVENTORIED: "inventorié",
    DeviceStatus.TESTED: "testé",
    DeviceStatus.WIPED: "effacé",
    DeviceStatus.WIPE_FAILED: "effacement échoué",
    DeviceStatus.GRADED: "classé",
    DeviceStatus.REFURBISHED: "remis en état",
    DeviceStatus.AVAILABLE: "disponible",
    DeviceStatus.RESERVED: "réservé",
    DeviceStatus.HANDED_OVER: "remis",
    DeviceStatus.PARTS: "pièces détachées",
    DeviceStatus.RECYCLED: "recyclé",
}


def donor_facts(session: Session, donation: Donation) -> dict[str, Any]:
    """The donor as printed on documents (the organisation, never a person)."""
    donor = session.get(Organisation, donation.donor_id)
    assert donor is not None
    return {
        "name": donor.name,
        "siren": donor.siren or "",
        "address": " ".join(p for p in (donor.address, donor.postal_code, donor.city) if p),
    }


def workshop_facts(session: Session) -> dict[str, Any]:
    """The workshop organisation that did the work (the first one of kind workshop)."""
    from workshop.services.identity import workshop_organisation

    found = workshop_organisation(session)
    if found is None:
        return {"name": "", "siren": "", "siret": "", "address": ""}
    parts = (found.address, found.postal_code, found.city)
    return {
        "name": found.name,
        "siren": found.siren or "",
        "siret": found.siret or "",
        "address": " ".join(p for p in parts if p),
    }


def workshop_rows(workshop: dict[str, Any]) -> list[tuple[str, str]]:
    """The workshop as a document's facts table shows it: its name, then its SIRET and address
    when it gave them (documents issued before they existed carry no SIRET)."""
    rows = [("Organisme", str(workshop.get("name") or "—"))]
    if workshop.get("siret"):
        rows.append(("SIRET de l'organisme", str(workshop["siret"])))
    if workshop.get("address"):
        rows.append(("Adresse de l'organisme", str(workshop["address"])))
    return rows


def donation_facts(donation: Donation) -> dict[str, Any]:
    """The donation's reference, date and place."""
    return {
        "reference": donation.reference,
        "received_on": donation.received_on.isoformat(),
        "place": donation.place,
    }


def donation_devices(session: Session, donation: Donation) -> list[Device]:
    """The donation's devices in asset-tag order (stable across issues)."""
    query = select(Device).where(Device.donation_id == donation.id)
    return list(session.exec(query.order_by(col(Device.asset_tag))))


def device_line(device: Device) -> dict[str, Any]:
    """One device as documents list it."""
    return {
        "asset_tag": asset_tags.display(device.asset_tag),
        "type": TYPE_FR.get(DeviceType(device.type), str(device.type)),
        "model": " ".join(p for p in (device.vendor, device.model) if p),
        "serial": device.serial or "",
    }


def issuer_name(session: Session, fallback: str) -> str:
    """The one name documents give the workshop: its organisation's (the one the documents also
    describe), else the WORKSHOP_WORKSHOP_NAME setting when no workshop organisation exists."""
    return str(workshop_facts(session)["name"]) or fallback


def workshop_zone() -> ZoneInfo:
    """The workshop's time zone (WORKSHOP_TIMEZONE): the app's setting, else the environment's."""
    if has_app_context():
        return ZoneInfo(current_app.config["WORKSHOP"].timezone)
    return ZoneInfo(WorkshopSettings().timezone)


def french_date(iso: str) -> str:
    """An ISO date (or datetime) as JJ/MM/AAAA."""
    if not iso:
        return "—"
    year, month, day = iso[:10].split("-")
    return f"{day}/{month}/{year}"


def status_counts(session: Session, donation_ids: list[int]) -> dict[int, dict[str, int]]:
    """Per donation, how many of its devices are in each state."""
    from sqlalchemy import func

    query = (
        select(Device.donation_id, Device.status, func.count())
        .where(col(Device.donation_id).in_(donation_ids))
        .group_by(col(Device.donation_id), col(Device.status))
    )
    counts: dict[int, dict[str, int]] = {i: {} for i in donation_ids}
    for donation_id, status, n in session.exec(query):
        if donation_id is not None:
            counts[donation_id][str(status)] = int(n)
    return counts
