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
from workshop.i18n import _, status_name
from workshop.models import Device, DeviceStatus, DeviceType, RecyclingExit
from workshop.services import asset_tags, csv_export
from workshop.services.actors import Actor, require_coordinator
from workshop.services.devices import get_device, transition_device
from workshop.services.documents.common import TYPE_FR
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
    # A device that could still be reused (graded, refurbished, available, grade A or B) goes
    # to recycling only when the coordinator says so explicitly.
    confirm_reusable: bool = False


# States in which a device is ready, or nearly, for a new user.
REUSABLE = frozenset({DeviceStatus.GRADED, DeviceStatus.REFURBISHED, DeviceStatus.AVAILABLE})


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
    _check_reuse_is_given_up(device, data.confirm_reusable)
    if device.status != DeviceStatus.RECYCLED:
        transition_device(session, actor, device, DeviceStatus.RECYCLED, reason=_("recycling exit"))
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


def _check_reuse_is_given_up(device: Device, confirmed: bool) -> None:
    tag = asset_tags.display(device.asset_tag)
    if device.status == DeviceStatus.RESERVED:
        raise Conflict(
            _(
                "%(tag)s is reserved for an association: cancel or refuse its reservation "
                "before recycling it.",
                tag=tag,
            ),
            field="asset_tag",
        )
    reusable = device.status in REUSABLE or device.grade in ("A", "B")
    if reusable and not confirmed:
        raise Conflict(
            _(
                "%(tag)s could still be reused (%(state)s, grade %(grade)s). Recycling it takes it "
                "out of reuse for good: tick the confirmation to record the exit.",
                tag=tag,
                state=status_name(device.status),
                grade=device.grade or "—",
            ),
            field="confirm_reusable",
        )


def _describe(device: Device) -> str:
    # The register is a French document: the device type in French, like the other documents.
    model = " ".join(p for p in (device.vendor, device.model) if p)
    kind = TYPE_FR.get(DeviceType(device.type), str(device.type))
    return f"{kind} {model} ({asset_tags.display(device.asset_tag)})".replace("  ", " ")


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
