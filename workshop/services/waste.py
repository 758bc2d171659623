"""The waste register: recycling exits of devices (and their parts) sent to the WEEE channel.

A coordinator fills in the exit when a device leaves for recycling; the device moves to
"recycled" if it was not already. The register exports as CSV (one line per exit): date,
description, waste code, quantity, weight, consignee, transporter, treatment code, éco-organisme.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from workshop.errors import Conflict, ValidationFailed
from workshop.i18n import _
from workshop.models import Device, DeviceStatus, RecyclingExit
from workshop.services import asset_tags, csv_export
from workshop.services.actors import Actor, require_coordinator
from workshop.services.devices import get_device, transition_device
from workshop.services.events import append_event


@dataclass(frozen=True)
class ExitInput:
    """What the coordinator types for one exit."""

    asset_tag: str
    exited_on: date
    consignee: str
    description: str = ""
    waste_code: str = "16 02 14"
    quantity: int = 1
    weight_kg: float | None = None
    transporter: str = ""
    treatment_code: str = "R4"
    eco_organisme: str = ""


def record_exit(session: Session, actor: Actor, data: ExitInput) -> RecyclingExit:
    """Register a recycling exit and move the device to recycled (when it is not yet)."""
    require_coordinator(actor)
    if not data.consignee.strip():
        raise ValidationFailed(_("Name the consignee (the treatment site)."), field="consignee")
    device = get_device(session, actor, data.asset_tag)
    assert device.id is not None
    taken = session.exec(select(RecyclingExit).where(RecyclingExit.device_id == device.id)).first()
    if taken is not None:
        raise Conflict(_("This device already has a recycling exit."), field="asset_tag")
    if device.status != DeviceStatus.RECYCLED:
        transition_device(session, actor, device, DeviceStatus.RECYCLED, reason="recycling exit")
    weight = data.weight_kg
    if weight is None and device.weight_kg is not None:
        weight = device.weight_kg
    row = RecyclingExit(
        device_id=device.id,
        exited_on=data.exited_on,
        description=(data.description or _describe(device))[:200],
        waste_code=data.waste_code.strip()[:20],
        quantity=data.quantity,
        weight_kg=weight,
        consignee=data.consignee.strip()[:200],
        transporter=data.transporter.strip()[:200],
        treatment_code=data.treatment_code.strip()[:10],
        eco_organisme=data.eco_organisme.strip()[:100],
        created_by=actor.label,
    )
    session.add(row)
    session.flush()
    append_event(
        session,
        actor,
        "device.recycling_exit",
        device_id=device.id,
        data={"exit_id": row.id, "consignee": row.consignee, "waste_code": row.waste_code},
    )
    return row


def _describe(device: Device) -> str:
    model = " ".join(p for p in (device.vendor, device.model) if p)
    return f"{device.type} {model} ({asset_tags.display(device.asset_tag)})".strip()


def list_exits(session: Session, actor: Actor, year: int | None = None) -> list[RecyclingExit]:
    """The register, oldest first, optionally for one year."""
    require_coordinator(actor)
    rows = session.exec(select(RecyclingExit).order_by(col(RecyclingExit.exited_on))).all()
    return [r for r in rows if year is None or r.exited_on.year == year]


CSV_FIELDS = [
    "date",
    "description",
    "code_dechet",
    "quantite",
    "poids_kg",
    "destinataire",
    "transporteur",
    "code_traitement",
    "eco_organisme",
]


def register_csv(session: Session, actor: Actor, year: int | None = None) -> str:
    """The waste register as CSV (';', UTF-8)."""
    out = io.StringIO()
    writer = csv_export.writer(out)
    writer.writerow(CSV_FIELDS)
    for row in list_exits(session, actor, year):
        weight = "" if row.weight_kg is None else f"{row.weight_kg:.1f}".replace(".", ",")
        writer.writerow(
            [
                row.exited_on.isoformat(),
                row.description,
                row.waste_code,
                row.quantity,
                weight,
                row.consignee,
                row.transporter,
                row.treatment_code,
                row.eco_organisme,
            ]
        )
    return out.getvalue()
