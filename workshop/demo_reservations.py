"""Demo reservations and needs: the demo's reserved devices get the reservations holding them.

The demo walks some devices to `reserved` without a reservation; here each association gets
one (one pending, one confirmed) so the reservation pages have content, and one association
posts a need. Nothing is matched here: the demo's available devices stay in the catalogue.
"""

from __future__ import annotations

from datetime import timedelta

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
