"""Reservations: associations hold available devices; the coordinator decides; handover ends it.

No device is ever held twice: a reservation claims each device with a conditional UPDATE
(``... WHERE status = 'available'``). Under concurrency the database decides: on PostgreSQL
the second transaction waits for the first's row lock, re-reads the row and updates nothing;
on SQLite writers are serialised (BEGIN IMMEDIATE). Every claim is taken before any event is
appended, so locks are always taken devices first, then the event chain head: no deadlock.
Reservation state changes use the same conditional UPDATE, so a reservation cannot be
confirmed, cancelled or handed over twice either.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlmodel import Session, col, select

from workshop.errors import Conflict, Forbidden, NotFound, ValidationFailed
from workshop.i18n import _
from workshop.models import (
    Device,
    DeviceStatus,
    Organisation,
    OrganisationKind,
    Reservation,
    ReservationItem,
    ReservationStatus,
    Role,
)
from workshop.models.base import utcnow
from workshop.models.reservations import OPEN_STATUSES
from workshop.services import asset_tags
from workshop.services.actors import SYSTEM, Actor, require_coordinator, require_roles
from workshop.services.devices import transition_device

R = ReservationStatus
MAX_DEVICES = 50


class AlreadyReserved(Conflict):
    """A device asked for is no longer available."""

    code = "already_reserved"


def reference(reservation: Reservation) -> str:
    """The reservation's reference as printed on documents, e.g. R-000042."""
    return f"R-{reservation.id:06d}"


def _authority(actor: Actor) -> Actor:
    # The reservation rules are checked here; the lifecycle move is then done with the
    # system's authority, still naming the acting person's pseudonym in the event.
    return dataclasses.replace(actor, system=True)


def organisation_for(session: Session, actor: Actor, organisation_id: int | None) -> Organisation:
    require_roles(actor, Role.ASSOCIATION, Role.COORDINATOR)
    if actor.role == Role.ASSOCIATION:
        if organisation_id not in (None, actor.organisation_id):
            raise Forbidden(_("You can only reserve for your own association."))
        organisation_id = actor.organisation_id
    if organisation_id is None:
        raise ValidationFailed(
            _("Choose the association the devices are for."), field="organisation_id"
        )
    org = session.get(Organisation, organisation_id)
    if org is None or org.kind != OrganisationKind.ASSOCIATION:
        raise NotFound(_("No association with this id."), field="organisation_id")
    return org


def _devices(session: Session, tags: list[str]) -> list[Device]:
    if not tags:
        raise ValidationFailed(_("Choose at least one device."), field="asset_tags")
    if len(tags) > MAX_DEVICES:
        raise ValidationFailed(
            _("At most %(n)s devices per reservation.", n=MAX_DEVICES), field="asset_tags"
        )
    canonical = []
    for tag in tags:
        try:
            canonical.append(asset_tags.normalize(tag))
        except asset_tags.InvalidTag as exc:
            raise ValidationFailed(str(exc), field="asset_tags") from exc
    wanted = sorted(set(canonical))
    found = {
        d.asset_tag: d
        for d in session.exec(select(Device).where(col(Device.asset_tag).in_(wanted)))
    }
    for tag in wanted:
        if tag not in found:
            raise NotFound(_("No device %(tag)s.", tag=asset_tags.display(tag)), field="asset_tags")
    # Claim rows in id order: two reservations for overlapping sets queue, never deadlock.
    return sorted(found.values(), key=lambda d: d.id or 0)


def _claim(session: Session, device: Device, now: datetime) -> None:
    claimed = session.execute(
        update(Device)
        .where(col(Device.id) == device.id, col(Device.status) == DeviceStatus.AVAILABLE)
        .values(updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        raise AlreadyReserved(
            _(
                "Device %(tag)s is already reserved or no longer available.",
                tag=asset_tags.display(device.asset_tag),
            ),
            field="asset_tags",
            asset_tag=device.asset_tag,
        )


def reserve_devices(
    session: Session,
    actor: Actor,
    *,
    asset_tags: list[str],
    hold_days: int,
    organisation_id: int | None = None,
    note: str = "",
    now: datetime | None = None,
) -> Reservation:
    """Hold available devices for an association until `hold_days` from now (409 if taken)."""
    now = now or utcnow()
    org = organisation_for(session, actor, organisation_id)
    devices = _devices(session, asset_tags)
    for device in devices:
        _claim(session, device, now)
    return hold_claimed(session, actor, org, devices, hold_days=hold_days, note=note, now=now)


def try_claim(session: Session, device: Device, now: datetime) -> bool:
    """Claim one available device (row lock until commit); False if someone else has it."""
    try:
        _claim(session, device, now)
    except AlreadyReserved:
        return False
    return True


def hold_claimed(
    session: Session,
    actor: Actor,
    org: Organisation,
    devices: list[Device],
    *,
    hold_days: int,
    now: datetime,
    note: str = "",
    status: ReservationStatus = R.PENDING,
    need_id: int | None = None,
) -> Reservation:
    """Create the reservation of devices already claimed, moving each to reserved."""
    assert org.id is not None
    reservation = Reservation(
        organisation_id=org.id,
        need_id=need_id,
        status=status,
        requested_by_id=actor.user.id if actor.user else None,
        note=note.strip()[:500],
        expires_at=now + timedelta(days=hold_days),
        created_at=now,
    )
    session.add(reservation)
    session.flush()
    assert reservation.id is not None
    for device in devices:
        session.refresh(device)
        assert device.id is not None
        session.add(ReservationItem(reservation_id=reservation.id, device_id=device.id))
        transition_device(
            session,
            _authority(actor),
            device,
            DeviceStatus.RESERVED,
            reason=f"{reference(reservation)} · {org.name}",
        )
    session.flush()
    return reservation


def move_status(
    session: Session,
    reservation: Reservation,
    allowed: frozenset[ReservationStatus],
    target: ReservationStatus,
    **values: object,
) -> None:
    """Change the reservation's status only if it is still in `allowed` (atomic)."""
    moved = session.execute(
        update(Reservation)
        .where(col(Reservation.id) == reservation.id, col(Reservation.status).in_(allowed))
        .values(status=target, **values)
        .execution_options(synchronize_session=False)
    )
    if moved.rowcount != 1:  # type: ignore[attr-defined]
        session.refresh(reservation)
        raise Conflict(
            _(
                "Reservation %(ref)s is %(status)s: this is no longer possible.",
                ref=reference(reservation),
                status=status_label(reservation.status),
            ),
            field="status",
        )
    session.refresh(reservation)


def status_label(status: ReservationStatus | str) -> str:
    """The translated name of a reservation status."""
    labels = {
        R.OFFERED: _("offered for your need"),
        R.DECLINED: _("declined"),
        R.PENDING: _("awaiting confirmation"),
        R.CONFIRMED: _("confirmed"),
        R.REFUSED: _("refused"),
        R.CANCELLED: _("cancelled"),
        R.EXPIRED: _("expired"),
        R.HANDED_OVER: _("collected"),
    }
    return labels.get(ReservationStatus(status), str(status))


def reservation_devices(session: Session, reservation: Reservation) -> list[Device]:
    """The reservation's devices, in the order they were reserved."""
    query = (
        select(Device)
        .join(ReservationItem, col(ReservationItem.device_id) == col(Device.id))
        .where(ReservationItem.reservation_id == reservation.id)
        .order_by(col(ReservationItem.id))
    )
    return list(session.exec(query))


def release_devices(
    session: Session, actor: Actor, reservation: Reservation, now: datetime
) -> None:
    """Return the reservation's devices to the catalogue."""
    items = session.exec(
        select(ReservationItem).where(
            ReservationItem.reservation_id == reservation.id,
            col(ReservationItem.released_at).is_(None),
        )
    ).all()
    for item in items:
        item.released_at = now
        session.add(item)
        device = session.get(Device, item.device_id)
        if device is not None and device.status == DeviceStatus.RESERVED:
            transition_device(
                session,
                _authority(actor),
                device,
                DeviceStatus.AVAILABLE,
                reason=f"{reference(reservation)} {reservation.status}",
            )
    session.flush()


def get_reservation(session: Session, actor: Actor, reservation_id: int) -> Reservation:
    """A reservation the actor may see: staff see all, an association its own."""
    require_roles(actor, Role.COORDINATOR, Role.TECHNICIAN, Role.ASSOCIATION)
    reservation = session.get(Reservation, reservation_id)
    if reservation is None or (
        not actor.is_staff and reservation.organisation_id != actor.organisation_id
    ):
        raise NotFound(_("No reservation %(id)s.", id=reservation_id), field="reservation_id")
    return reservation


def list_reservations(
    session: Session, actor: Actor, *, status: ReservationStatus | None = None
) -> list[Reservation]:
    """Reservations the actor may see, newest first."""
    require_roles(actor, Role.COORDINATOR, Role.TECHNICIAN, Role.ASSOCIATION)
    query = select(Reservation)
    if not actor.is_staff:
        query = query.where(Reservation.organisation_id == actor.organisation_id)
    if status is not None:
        query = query.where(Reservation.status == status)
    return list(session.exec(query.order_by(col(Reservation.id).desc()).limit(500)))


def confirm_reservation(
    session: Session,
    actor: Actor,
    reservation: Reservation,
    *,
    hold_days: int,
    comment: str = "",
    now: datetime | None = None,
) -> Reservation:
    """The coordinator confirms (e.g. naming a pick-up slot): the hold is renewed."""
    require_coordinator(actor)
    now = now or utcnow()
    expires = max(reservation.expires_at, now + timedelta(days=hold_days))
    move_status(
        session,
        reservation,
        frozenset({R.PENDING}),
        R.CONFIRMED,
        decided_at=now,
        decided_by_id=actor.user.id if actor.user else None,
        expires_at=expires,
        decision_reason=comment.strip()[:500],
    )
    _tell(session, reservation, "confirmée", comment)
    return reservation


def refuse_reservation(
    session: Session,
    actor: Actor,
    reservation: Reservation,
    *,
    reason: str,
    now: datetime | None = None,
) -> Reservation:
    """The coordinator refuses, saying why; the devices return to the catalogue."""
    require_coordinator(actor)
    reason = reason.strip()
    if not reason:
        raise ValidationFailed(_("Say why the reservation is refused."), field="reason")
    now = now or utcnow()
    move_status(
        session,
        reservation,
        OPEN_STATUSES,
        R.REFUSED,
        decided_at=now,
        decided_by_id=actor.user.id if actor.user else None,
        decision_reason=reason[:500],
    )
    release_devices(session, actor, reservation, now)
    _tell(session, reservation, "refusée", reason)
    return reservation


def cancel_reservation(
    session: Session,
    actor: Actor,
    reservation: Reservation,
    *,
    reason: str = "",
    now: datetime | None = None,
) -> Reservation:
    """The association (or the coordinator) cancels before handover."""
    require_roles(actor, Role.COORDINATOR, Role.ASSOCIATION)
    if actor.role == Role.ASSOCIATION and reservation.organisation_id != actor.organisation_id:
        raise NotFound(_("No reservation %(id)s.", id=reservation.id), field="reservation_id")
    now = now or utcnow()
    move_status(
        session,
        reservation,
        OPEN_STATUSES,
        R.CANCELLED,
        decided_at=now,
        decision_reason=reason.strip()[:500],
    )
    release_devices(session, actor, reservation, now)
    return reservation


def expire_holds(session: Session, *, now: datetime | None = None) -> list[Reservation]:
    """End every open reservation past its expiry; their devices return to the catalogue."""
    now = now or utcnow()
    overdue = session.exec(
        select(Reservation)
        .where(col(Reservation.status).in_(OPEN_STATUSES), col(Reservation.expires_at) < now)
        .order_by(col(Reservation.id))
    ).all()
    expired = []
    # Every reservation row is locked before any event is appended (see module docstring).
    for reservation in overdue:
        try:
            move_status(session, reservation, OPEN_STATUSES, R.EXPIRED, decided_at=now)
        except Conflict:
            continue  # someone else ended it meanwhile
        expired.append(reservation)
    for reservation in expired:
        release_devices(session, SYSTEM, reservation, now)
        _tell(session, reservation, "expirée", "")
    return expired


def hand_over(
    session: Session,
    actor: Actor,
    reservation: Reservation,
    *,
    comment: str = "",
    now: datetime | None = None,
) -> list[Device]:
    """Record the handover (confirming it if still pending): the devices go to the association."""
    require_coordinator(actor)
    now = now or utcnow()
    values: dict[str, object] = {"handed_over_at": now}
    if comment.strip():
        values["decision_reason"] = comment.strip()[:500]
    if reservation.decided_at is None:
        values.update(decided_at=now, decided_by_id=actor.user.id if actor.user else None)
    move_status(session, reservation, OPEN_STATUSES, R.HANDED_OVER, **values)
    org = session.get(Organisation, reservation.organisation_id)
    assert org is not None
    devices = reservation_devices(session, reservation)
    for device in devices:
        device.recipient_id = org.id
        transition_device(
            session,
            actor,
            device,
            DeviceStatus.HANDED_OVER,
            reason=f"{reference(reservation)} → {org.name}",
        )
    session.flush()
    return devices


def _tell(session: Session, reservation: Reservation, what: str, comment: str) -> None:
    """Notify the association (in French, the workshop's language) of a decision."""
    from workshop.services.notifications import notify

    ref = reference(reservation)
    notify(
        session,
        organisation_id=reservation.organisation_id,
        reservation_id=reservation.id,
        subject=f"Atelier : réservation {ref} {what}",
        body=f"Bonjour,\n\nVotre réservation {ref} est {what}."
        + (f"\nCommentaire de l'atelier : {comment}" if comment else "")
        + "\n",
    )
