"""Demo reservations and needs: the demo's reserved devices get the reservations holding them.

The demo walks some devices to `reserved` and `handed_over` without a reservation; here each
association gets one (one pending, one confirmed), the handed-over devices get the reservation
they were collected with (so their bon de remise downloads), and one association posts a need.
Nothing is matched here: the demo's available devices stay in the catalogue.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from workshop.models import (
    Device,
    DeviceStatus,
    DeviceType,
    Organisation,
    OrganisationKind,
    Reservation,
    ReservationItem,
    ReservationStatus,
)
from workshop.models.base import utcnow
from workshop.services.actors import SYSTEM
from workshop.services.needs import create_need


def _handed_over_demo(session: Session, now: datetime) -> None:
    """The demo's handed-over devices get the reservation they were collected with."""
    handed = session.exec(
        select(Device)
        .where(Device.status == DeviceStatus.HANDED_OVER, col(Device.recipient_id).is_not(None))
        .order_by(col(Device.id))
    ).all()
    by_recipient: dict[int, list[Device]] = {}
    for device in handed:
        by_recipient.setdefault(device.recipient_id or 0, []).append(device)
    for organisation_id, devices in by_recipient.items():
        reservation = Reservation(
            organisation_id=organisation_id,
            status=ReservationStatus.HANDED_OVER,
            note="Lot remis à l'association",
            expires_at=now,
            decided_at=now - timedelta(days=10),
            handed_over_at=now - timedelta(days=7),
        )
        session.add(reservation)
        session.flush()
        for device in devices:
            session.add(
                ReservationItem(reservation_id=reservation.id or 0, device_id=device.id or 0)
            )


def load_reservations_demo(session: Session) -> None:
    """Reservations for the demo's reserved devices and one open need."""
    associations = session.exec(
        select(Organisation)
        .where(Organisation.kind == OrganisationKind.ASSOCIATION)
        .order_by(col(Organisation.id))
    ).all()
    reserved = session.exec(
        select(Device).where(Device.status == DeviceStatus.RESERVED).order_by(col(Device.id))
    ).all()
    if not associations or not reserved:
        return
    now = utcnow()
    statuses = [ReservationStatus.PENDING, ReservationStatus.CONFIRMED]
    for index, org in enumerate(associations[:2]):
        devices = reserved[index::2]
        if not devices:
            continue
        reservation = Reservation(
            organisation_id=org.id or 0,
            status=statuses[index],
            note="Ateliers numériques du mardi",
            expires_at=now + timedelta(days=5),
            decided_at=now if index else None,
            decision_reason="Retrait jeudi à partir de 14 h" if index else "",
        )
        session.add(reservation)
        session.flush()
        for device in devices:
            session.add(
                ReservationItem(reservation_id=reservation.id or 0, device_id=device.id or 0)
            )
    _handed_over_demo(session, now)
    create_need(
        session,
        SYSTEM,
        device_type=DeviceType.LAPTOP,
        quantity=3,
        min_ram_gb=8,
        ssd_only=True,
        note="Pour des demandeurs d'emploi accompagnés",
        organisation_id=associations[-1].id,
    )
    session.flush()
