"""The public page of a device (the target of its label's QR code): facts, never a person.

Shown: type, model, the dates of its milestones (intake, wipe, refurbishing, handover or
recycling), the wipe outcome. Never shown: contact names, the recipient, serial numbers, notes.
The donor organisation appears only when it agreed to it (Organisation.public_name_allowed).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlmodel import Session, col, select

from workshop.errors import NotFound, ValidationFailed
from workshop.i18n import _
from workshop.models import (
    Device,
    DeviceStatus,
    Donation,
    Event,
    Organisation,
    OrganisationKind,
)
from workshop.services import asset_tags
from workshop.services.erasure_state import erasure_state

# Milestones worth telling the public, in lifecycle order.
PUBLIC_STEPS = (
    DeviceStatus.WIPED,
    DeviceStatus.WIPE_FAILED,
    DeviceStatus.GRADED,
    DeviceStatus.REFURBISHED,
    DeviceStatus.AVAILABLE,
    DeviceStatus.HANDED_OVER,
    DeviceStatus.PARTS,
    DeviceStatus.RECYCLED,
)


@dataclass
class PublicDevice:
    """What anyone holding the device may read about it."""

    asset_tag: str
    type: str
    model: str
    status: str
    grade: str | None
    received_on: date | None
    donor: str | None
    wipes_passed: int  # drives erased (by the workshop's standard)
    wipes_failed: int  # drives whose wipe failed and that were not destroyed
    last_wipe_on: datetime | None
    handed_to_kind: str | None
    drives_pending: int = 0  # drives not wiped yet, interrupted, or with reservations not accepted
    drives_destroyed: int = 0
    milestones: list[tuple[datetime, str]] = field(default_factory=list)


def _device(session: Session, tag: str) -> Device:
    try:
        canonical = asset_tags.normalize(tag)
    except asset_tags.InvalidTag as exc:
        raise ValidationFailed(str(exc), field="asset_tag") from exc
    device = session.exec(select(Device).where(Device.asset_tag == canonical)).first()
    if device is None:
        raise NotFound(_("No device %(tag)s.", tag=asset_tags.display(canonical)), field="tag")
    return device


def _milestones(session: Session, device: Device) -> list[tuple[datetime, str]]:
    events = session.exec(
        select(Event)
        .where(Event.device_id == device.id, Event.kind == "device.status_changed")
        .order_by(col(Event.id))
    ).all()
    steps = []
    for event in events:
        target = json.loads(event.data).get("to")
        if target in {s.value for s in PUBLIC_STEPS}:
            steps.append((event.created_at, str(target)))
    return steps


def public_device(session: Session, tag: str) -> PublicDevice:
    """The public facts of the device with this tag (no login needed)."""
    device = _device(session, tag)
    donation = session.get(Donation, device.donation_id) if device.donation_id else None
    donor = session.get(Organisation, donation.donor_id) if donation else None
    drives = erasure_state(session, device).drives
    wipes = [d.record for d in drives if d.record is not None]
    recipient = session.get(Organisation, device.recipient_id) if device.recipient_id else None
    handed_kind = None
    if recipient is not None and device.status == DeviceStatus.HANDED_OVER:
        handed_kind = "association" if recipient.kind == OrganisationKind.ASSOCIATION else "other"
    return PublicDevice(
        asset_tag=asset_tags.display(device.asset_tag),
        type=str(device.type),
        model=" ".join(p for p in (device.vendor, device.model) if p),
        status=str(device.status),
        grade=device.grade,
        received_on=donation.received_on if donation else device.created_at.date(),
        donor=donor.name if donor is not None and donor.public_name_allowed else None,
        # Per drive, by the workshop's standard: a drive not erased (or not wiped) counts.
        wipes_passed=sum(1 for d in drives if d.outcome in ("erased", "erased_with_reservations")),
        wipes_failed=sum(1 for d in drives if d.outcome == "failed"),
        drives_pending=sum(
            1 for d in drives if d.outcome in ("not_wiped", "interrupted", "reserved")
        ),
        drives_destroyed=sum(1 for d in drives if d.outcome == "destroyed"),
        last_wipe_on=max((w.ended_at or w.started_at for w in wipes), default=None),
        handed_to_kind=handed_kind,
        milestones=_milestones(session, device),
    )
