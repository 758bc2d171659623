"""Associations' needs ("5 laptops, >= 8 GB RAM, SSD") and offering available devices to them.

Matching is fair across associations: the oldest open need is served first. An offer is a
reservation in the `offered` state (the devices are held, nobody else can take them); the
association accepts it (it becomes a pending reservation the coordinator confirms) or
declines it (the devices return to the catalogue and are never offered to that need again).
Matching claims every device it will offer before it appends any event, like a reservation.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from workshop.errors import NotFound, ValidationFailed
from workshop.i18n import _
from workshop.models import (
    Device,
    DeviceType,
    Need,
    NeedStatus,
    Organisation,
    Reservation,
    ReservationItem,
    ReservationStatus,
    Role,
)
from workshop.models.base import utcnow
from workshop.services import reservations
from workshop.services.actors import SYSTEM, Actor, require_roles
from workshop.services.catalogue import CatalogueFilters, SpecCard, browse_catalogue
from workshop.services.notifications import notify

R = ReservationStatus
# Reservations of a need that no longer count towards it.
ENDED = (R.DECLINED, R.REFUSED, R.CANCELLED, R.EXPIRED)


def create_need(
    session: Session,
    actor: Actor,
    *,
    device_type: DeviceType,
    quantity: int,
    min_ram_gb: int | None = None,
    min_storage_gb: int | None = None,
    ssd_only: bool = False,
    note: str = "",
    organisation_id: int | None = None,
) -> Need:
    """Record an association's need (a coordinator may record it for an association)."""
    org = reservations.organisation_for(session, actor, organisation_id)
    if not 1 <= quantity <= 100:
        raise ValidationFailed(_("Ask for 1 to 100 devices."), field="quantity")
    assert org.id is not None
    need = Need(
        organisation_id=org.id,
        created_by_id=actor.user.id if actor.user else None,
        device_type=DeviceType(device_type).value,
        quantity=quantity,
        min_ram_gb=min_ram_gb,
        min_storage_gb=min_storage_gb,
        ssd_only=ssd_only,
        note=note.strip()[:500],
    )
    session.add(need)
    session.flush()
    return need


def list_needs(session: Session, actor: Actor) -> list[Need]:
    """Needs the actor may see (an association: its own), oldest first."""
    require_roles(actor, Role.COORDINATOR, Role.TECHNICIAN, Role.ASSOCIATION)
    query = select(Need)
    if not actor.is_staff:
        query = query.where(Need.organisation_id == actor.organisation_id)
    return list(session.exec(query.order_by(col(Need.id))))


def close_need(session: Session, actor: Actor, need_id: int) -> Need:
    """The association (or the coordinator) says the need is over."""
    require_roles(actor, Role.COORDINATOR, Role.ASSOCIATION)
    need = session.get(Need, need_id)
    if need is None or (not actor.is_staff and need.organisation_id != actor.organisation_id):
        raise NotFound(_("No need %(id)s.", id=need_id), field="need_id")
    need.status = NeedStatus.CLOSED
    session.add(need)
    session.flush()
    return need


def _covered(session: Session, need: Need) -> int:
    query = (
        select(func.count())
        .select_from(ReservationItem)
        .join(Reservation, col(Reservation.id) == col(ReservationItem.reservation_id))
        .where(Reservation.need_id == need.id, col(Reservation.status).notin_(ENDED))
    )
    return int(session.exec(query).one())


def _declined(session: Session, need: Need) -> set[int]:
    query = (
        select(ReservationItem.device_id)
        .join(Reservation, col(Reservation.id) == col(ReservationItem.reservation_id))
        .where(Reservation.need_id == need.id, Reservation.status == R.DECLINED)
    )
    return set(session.exec(query).all())


def _fits(card: SpecCard, need: Need) -> bool:
    return not need.ssd_only or "ssd" in card.storage_kinds


def match_needs(
    session: Session, *, hold_days: int, now: datetime | None = None
) -> list[Reservation]:
    """Offer available devices to open needs, oldest need first; returns the offers made."""
    now = now or utcnow()
    plan: list[tuple[Need, list[Device]]] = []
    taken: set[int] = set()
    for need in session.exec(
        select(Need).where(Need.status == NeedStatus.OPEN).order_by(col(Need.created_at))
    ).all():
        wanted = need.quantity - _covered(session, need)
        if wanted <= 0:
            continue
        filters = CatalogueFilters(
            type=DeviceType(need.device_type),
            min_ram_gb=need.min_ram_gb,
            min_storage_gb=need.min_storage_gb,
        )
        refused = _declined(session, need) | taken
        chosen = [
            card.device
            for card in browse_catalogue(session, SYSTEM, filters)
            if card.device.id not in refused and _fits(card, need)
        ][:wanted]
        chosen = [d for d in chosen if reservations.try_claim(session, d, now)]
        taken.update(d.id for d in chosen if d.id is not None)
        if chosen:
            plan.append((need, chosen))
    return [_offer(session, need, devices, hold_days, now) for need, devices in plan]


def _offer(
    session: Session, need: Need, devices: list[Device], hold_days: int, now: datetime
) -> Reservation:
    org = session.get(Organisation, need.organisation_id)
    assert org is not None
    offer = reservations.hold_claimed(
        session,
        SYSTEM,
        org,
        devices,
        hold_days=hold_days,
        now=now,
        status=R.OFFERED,
        need_id=need.id,
    )
    assert offer.id is not None
    offered = _devices_fr(len(devices))
    notify(
        session,
        organisation_id=org.id or 0,
        reservation_id=offer.id,
        subject=f"Atelier : {offered} proposé{_s(len(devices))} pour votre besoin",
        body=(
            f"Bonjour,\n\nL'atelier vous propose {offered} correspondant à "
            f"votre besoin n° {need.id} (réservation {reservations.reference(offer)}) : "
            + ", ".join(_describe(d) for d in devices)
            + f".\nAcceptez ou déclinez cette proposition avant le {offer.expires_at:%d/%m/%Y}.\n"
        ),
    )
    return offer


def _s(count: int) -> str:
    """The French plural mark: none for 0 and 1 (un appareil, 0 appareil), s from 2."""
    return "s" if count >= 2 else ""


def _devices_fr(count: int) -> str:
    return "un appareil" if count == 1 else f"{count} appareil{_s(count)}"


def _describe(device: Device) -> str:
    return f"{device.vendor or ''} {device.model or ''} ({device.asset_tag})".strip()


def answer_offer(
    session: Session, actor: Actor, reservation: Reservation, *, accept: bool
) -> Reservation:
    """The association accepts (pending the coordinator's confirmation) or declines an offer."""
    require_roles(actor, Role.COORDINATOR, Role.ASSOCIATION)
    if actor.role == Role.ASSOCIATION and reservation.organisation_id != actor.organisation_id:
        raise NotFound(_("No reservation %(id)s.", id=reservation.id), field="reservation_id")
    now = utcnow()
    if accept:
        reservations.move_status(session, reservation, frozenset({R.OFFERED}), R.PENDING)
    else:
        reservations.move_status(session, reservation, frozenset({R.OFFERED}), R.DECLINED)
        reservations.release_devices(session, actor, reservation, now)
    return reservation
