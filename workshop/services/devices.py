"""Devices: creation, lookup with access rules, lifecycle transitions, listing."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_
from sqlalchemy import select as sa_select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from workshop.errors import Forbidden, IllegalTransition, NotFound, ValidationFailed
from workshop.i18n import DRIVE_OUTCOMES, _, status_name
from workshop.models import Device, DeviceStatus, DeviceType, Donation, Event, Role
from workshop.models.base import utcnow
from workshop.models.devices import DATA_BEARING_TYPES
from workshop.models.lifecycle import allowed_targets
from workshop.services import asset_tags
from workshop.services.actors import Actor, require_staff
from workshop.services.events import append_event
from workshop.services.like import ESCAPE, contains_pattern

# What a bench may record on its own: the outcome of its inventory, tests and wipes.
BENCH_TARGETS = frozenset(
    {DeviceStatus.INVENTORIED, DeviceStatus.TESTED, DeviceStatus.WIPED, DeviceStatus.WIPE_FAILED}
)


def new_asset_tag(session: Session) -> str:
    """A tag not used yet."""
    while True:
        tag = asset_tags.generate()
        if session.exec(select(Device.id).where(Device.asset_tag == tag)).first() is None:
            return tag


def create_device(
    session: Session,
    actor: Actor,
    *,
    type: DeviceType,
    donation_id: int | None = None,
    vendor: str | None = None,
    model: str | None = None,
    serial: str | None = None,
    weight_kg: float | None = None,
) -> Device:
    """Register a received device with a new asset tag; its first event says where it came from."""
    require_staff(actor, bench=True)
    device = Device(
        asset_tag=new_asset_tag(session),
        type=type,
        vendor=vendor or None,
        model=model or None,
        serial=serial or None,
        weight_kg=weight_kg,
        donation_id=donation_id,
    )
    session.add(device)
    session.flush()
    assert device.id is not None
    append_event(
        session,
        actor,
        "device.received",
        device_id=device.id,
        donation_id=donation_id,
        data={"asset_tag": device.asset_tag, "type": str(type), "serial": device.serial},
    )
    return device


def visible_devices_clause(actor: Actor) -> Any:
    """SQL condition restricting devices to those the actor may see (None: no restriction)."""
    if actor.is_staff or actor.bench is not None:
        return None
    if actor.role == Role.DONOR:
        donor_donations = select(Donation.id).where(Donation.donor_id == actor.organisation_id)
        return col(Device.donation_id).in_(donor_donations)
    if actor.role == Role.ASSOCIATION:
        return or_(
            col(Device.status) == DeviceStatus.AVAILABLE,
            col(Device.recipient_id) == actor.organisation_id,
        )
    return col(Device.id).is_(None)


def get_device(session: Session, actor: Actor, tag: str) -> Device:
    """The device with this asset tag, if the actor may see it."""
    try:
        canonical = asset_tags.normalize(tag)
    except asset_tags.InvalidTag as exc:
        raise ValidationFailed(str(exc), field="asset_tag") from exc
    query = select(Device).where(Device.asset_tag == canonical)
    clause = visible_devices_clause(actor)
    if clause is not None:
        query = query.where(clause)
    device = session.exec(query).first()
    if device is None:
        raise NotFound(
            _("No device %(tag)s.", tag=asset_tags.display(canonical)), field="asset_tag"
        )
    return device


def device_for_tag(session: Session, tag: str) -> Device:
    """The device of a typed or scanned tag, for records a bench sends (no visibility rule)."""
    try:
        canonical = asset_tags.normalize(tag)
    except asset_tags.InvalidTag as exc:
        raise ValidationFailed(str(exc), field="asset_tag") from exc
    device = session.exec(select(Device).where(Device.asset_tag == canonical)).first()
    if device is None:
        message = _("No device %(tag)s.", tag=asset_tags.display(canonical))
        raise NotFound(message, field="asset_tag")
    return device


def device_by_serial(session: Session, serial: str | None) -> Device | None:
    """The one device with this real serial; None for a placeholder, none or several matches."""
    from atelier_protocol.identity import is_placeholder  # noqa: PLC0415

    if not serial or is_placeholder(serial):
        return None
    query = select(Device).where(Device.serial == serial.strip(), ~col(Device.serial_placeholder))
    found = session.exec(query.limit(2)).all()
    return found[0] if len(found) == 1 else None


def _require_drives_erased(
    session: Session, device: Device, current: DeviceStatus, target: DeviceStatus
) -> None:
    """Wiped (and graded) only once every known drive is erased or destroyed, whoever asks.

    A device with no drive known at all (none in its inventory, no wipe record) may be
    declared wiped by a person: the event keeps who did it."""
    from workshop.services.erasure_state import erasure_state  # noqa: PLC0415

    state = erasure_state(session, device)
    if not state.drives or state.complete:
        return
    pending = ", ".join(
        f"{d.serial or d.model or '?'} ({outcome_name(d.outcome)})" for d in state.pending
    )
    raise IllegalTransition(
        _("Not every drive of this device is erased: %(drives)s.", drives=pending),
        field="status",
        current=current.value,
        requested=target.value,
    )


def outcome_name(outcome: str) -> str:
    """A drive's outcome in the reader's language."""
    return str(DRIVE_OUTCOMES.get(outcome, outcome))


def transition_device(
    session: Session, actor: Actor, device: Device, target: DeviceStatus | str, *, reason: str = ""
) -> Event:
    """Move a device along its lifecycle; an illegal move names both states."""
    require_staff(actor, bench=True)
    try:
        target = DeviceStatus(target)
    except ValueError as exc:
        raise ValidationFailed(
            _("%(value)s is not a device status.", value=repr(target)), field="status"
        ) from exc
    current = DeviceStatus(device.status)
    if actor.bench is not None and target not in BENCH_TARGETS:
        raise Forbidden(
            _("A bench cannot set a device to %(status)s.", status=status_name(target)),
            field="status",
        )
    if target not in allowed_targets(current):
        raise IllegalTransition(
            _(
                "Device %(tag)s is %(current)s: it cannot become %(target)s "
                "(allowed: %(allowed)s).",
                tag=asset_tags.display(device.asset_tag),
                current=status_name(current),
                target=status_name(target),
                allowed=", ".join(sorted(status_name(s) for s in allowed_targets(current)))
                or _("none"),
            ),
            field="status",
            current=current.value,
            requested=target.value,
        )
    if (
        current == DeviceStatus.TESTED
        and target == DeviceStatus.GRADED
        and device.type in DATA_BEARING_TYPES
    ):
        raise IllegalTransition(
            _("This device carries data: it must be wiped before it is graded."),
            field="status",
            current=current.value,
            requested=target.value,
        )
    if target in (DeviceStatus.WIPED, DeviceStatus.GRADED) and device.type in DATA_BEARING_TYPES:
        _require_drives_erased(session, device, current, target)
    device.status = target
    device.updated_at = utcnow()
    session.add(device)
    return append_event(
        session,
        actor,
        "device.status_changed",
        device_id=device.id,
        data={"from": current.value, "to": target.value, "reason": reason},
    )


@dataclass(frozen=True)
class DeviceFilters:
    """What the device list can be narrowed to."""

    status: DeviceStatus | None = None
    type: DeviceType | None = None
    donation_id: int | None = None
    search: str = ""


def _filtered(query: Any, actor: Actor, filters: DeviceFilters) -> Any:
    """`query` narrowed to the devices the actor may see that match the filters."""
    clause = visible_devices_clause(actor)
    if clause is not None:
        query = query.where(clause)
    if filters.status:
        query = query.where(Device.status == filters.status)
    if filters.type:
        query = query.where(Device.type == filters.type)
    if filters.donation_id:
        query = query.where(Device.donation_id == filters.donation_id)
    if filters.search:
        like = contains_pattern(filters.search.strip().replace("-", ""))
        query = query.where(
            or_(
                col(Device.asset_tag).ilike(like, escape=ESCAPE),
                col(Device.serial).ilike(like, escape=ESCAPE),
                col(Device.model).ilike(contains_pattern(filters.search.strip()), escape=ESCAPE),
            )
        )
    return query


def list_devices(
    session: Session, actor: Actor, filters: DeviceFilters, *, limit: int = 200, offset: int = 0
) -> tuple[list[Device], int]:
    """Devices the actor may see matching the filters, newest first, with the total count."""
    query = _filtered(select(Device), actor, filters)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(query.order_by(col(Device.id).desc()).limit(limit).offset(offset)).all()
    return list(rows), int(total)


EXPORT_BATCH = 2000  # rows read per query while an export streams


def export_rows(session: Session, actor: Actor, filters: DeviceFilters) -> Iterator[list[Any]]:
    """Every matching device as an export row (no cap), newest first, read EXPORT_BATCH at a
    time by id (keyset: each batch is one indexed range, whatever the depth), as plain tuples:
    the memory used stays that of one batch however many devices there are.

    Row: id, asset tag, type, vendor, model, serial, status, grade, weight, donation reference,
    created at. Devices created while it runs are not included (their ids are above the first)."""
    # Its own alias: the visibility rule's subquery on donation stays uncorrelated.
    donation = aliased(Donation)
    fields = [
        col(Device.id), col(Device.asset_tag), col(Device.type), col(Device.vendor),
        col(Device.model), col(Device.serial), col(Device.status), col(Device.grade),
        col(Device.weight_kg), col(donation.reference), col(Device.created_at),
    ]  # fmt: skip
    columns = sa_select(*fields).outerjoin(donation, col(donation.id) == col(Device.donation_id))
    query = _filtered(columns, actor, filters)
    last: int | None = None
    while True:
        page = query if last is None else query.where(col(Device.id) < last)
        batch = session.execute(page.order_by(col(Device.id).desc()).limit(EXPORT_BATCH)).all()
        if not batch:
            return
        for row in batch:
            yield list(row)
        last = batch[-1][0]
        if len(batch) < EXPORT_BATCH:
            return


def device_events(session: Session, device: Device) -> list[Event]:
    """The device's history, oldest first."""
    return list(
        session.exec(select(Event).where(Event.device_id == device.id).order_by(col(Event.id)))
    )


def status_counts(session: Session, actor: Actor) -> dict[str, int]:
    """Number of visible devices per status."""
    query = select(Device.status, func.count()).group_by(Device.status)
    clause = visible_devices_clause(actor)
    if clause is not None:
        query = query.where(clause)
    return {str(status): int(count) for status, count in session.exec(query).all()}
