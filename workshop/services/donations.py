"""Donations (lots) from collectivités: intake with their items, and listing by who may see them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from atelier_protocol.identity import is_placeholder
from workshop.errors import Forbidden, NotFound, ValidationFailed
from workshop.i18n import _
from workshop.models import (
    Device,
    DeviceStatus,
    DeviceType,
    Donation,
    Organisation,
    OrganisationKind,
    Role,
)
from workshop.services import asset_tags
from workshop.services.actors import Actor, require_staff
from workshop.services.devices import create_device
from workshop.services.events import append_event
from workshop.services.like import ESCAPE, contains_pattern

MAX_ITEMS_PER_LINE = 500
# No workshop received a donation before this date; none is received in the future (one day
# of margin: "today" in the workshop's time zone may be tomorrow in UTC).
EARLIEST_RECEPTION = date(2000, 1, 1)


@dataclass(frozen=True)
class ItemLine:
    """One line of an intake: `count` devices of a type, with serials when known."""

    type: DeviceType
    count: int = 1
    serials: list[str] = field(default_factory=list)
    vendor: str | None = None
    model: str | None = None


def create_donation(
    session: Session,
    actor: Actor,
    *,
    donor_id: int,
    received_on: date,
    place: str,
    notes: str = "",
    items: list[ItemLine],
) -> Donation:
    """Record a donation and one device per item (each gets its asset tag and first event)."""
    require_staff(actor)
    donor = session.get(Organisation, donor_id)
    if donor is None:
        raise NotFound(_("No organisation with id %(id)s.", id=donor_id), field="donor_id")
    if donor.kind != OrganisationKind.COLLECTIVITE:
        raise ValidationFailed(
            _("%(name)s is not a donor collectivité.", name=donor.name), field="donor_id"
        )
    latest = datetime.now(UTC).date() + timedelta(days=1)
    if not EARLIEST_RECEPTION <= received_on <= latest:
        raise ValidationFailed(
            _("The reception date must be between 1 January 2000 and today."),
            field="received_on",
        )
    _check_items(session, items)
    donation = Donation(
        reference=f"tmp-{uuid.uuid4().hex[:16]}",
        donor_id=donor_id,
        received_on=received_on,
        place=place.strip(),
        notes=notes.strip(),
        created_by_id=actor.user.id if actor.user else None,
    )
    session.add(donation)
    session.flush()
    # The id makes the reference unique without a counter to lock.
    donation.reference = f"DON-{received_on.year}-{donation.id:05d}"
    append_event(
        session,
        actor,
        "donation.received",
        donation_id=donation.id,
        data={"reference": donation.reference, "donor_id": donor_id, "place": donation.place},
    )
    add_items(session, actor, donation, items)
    return donation


def _check_items(session: Session, items: list[ItemLine]) -> None:
    if not items:
        raise ValidationFailed(_("A donation needs at least one item."), field="items")
    for index, line in enumerate(items):
        if not 1 <= line.count <= MAX_ITEMS_PER_LINE:
            raise ValidationFailed(
                _("The count must be between 1 and %(max)s.", max=MAX_ITEMS_PER_LINE),
                field=f"items.{index}.count",
            )
        if len(line.serials) > line.count:
            raise ValidationFailed(
                _(
                    "%(serials)s serial numbers given for %(count)s devices.",
                    serials=len(line.serials),
                    count=line.count,
                ),
                field=f"items.{index}.serials",
            )
    _check_serials(session, items)


def _check_serials(session: Session, items: list[ItemLine]) -> None:
    """Each real serial once in the intake, and on no device already registered."""
    fields: dict[str, tuple[str, str]] = {}  # lower-case serial -> (as typed, field)
    for index, line in enumerate(items):
        for serial in (s.strip() for s in line.serials):
            if not serial or is_placeholder(serial):
                continue  # "To be filled by O.E.M." and the like identify nothing
            if serial.lower() in fields:
                raise ValidationFailed(
                    _("The serial number %(serial)s is given twice.", serial=serial),
                    field=f"items.{index}.serials",
                )
            fields[serial.lower()] = (serial, f"items.{index}.serials")
    keys = list(fields)
    for start in range(0, len(keys), 500):
        found = session.exec(
            select(func.lower(Device.serial), Device.asset_tag).where(
                func.lower(Device.serial).in_(keys[start : start + 500]),
                ~col(Device.serial_placeholder),
            )
        ).first()
        if found is not None:
            serial, field_name = fields[found[0]]
            raise ValidationFailed(
                _(
                    "The serial number %(serial)s is already the one of device %(tag)s: "
                    "if that device came back, find it by its label.",
                    serial=serial,
                    tag=asset_tags.display(found[1]),
                ),
                field=field_name,
            )


def add_items(
    session: Session, actor: Actor, donation: Donation, items: list[ItemLine]
) -> list[Device]:
    """Create the devices of item lines inside a donation."""
    require_staff(actor)
    _check_items(session, items)
    devices = []
    for line in items:
        serials = [s.strip() for s in line.serials] + [""] * (line.count - len(line.serials))
        for serial in serials:
            devices.append(
                create_device(
                    session,
                    actor,
                    type=line.type,
                    donation_id=donation.id,
                    vendor=line.vendor,
                    model=line.model,
                    serial=serial or None,
                )
            )
    return devices


def _visible(actor: Actor, donation: Donation) -> bool:
    if actor.is_staff:
        return True
    return actor.role == Role.DONOR and donation.donor_id == actor.organisation_id


def get_donation(session: Session, actor: Actor, donation_id: int) -> Donation:
    """A donation the actor may see."""
    # Beyond a 32-bit integer no row exists, and PostgreSQL would refuse the parameter.
    donation = session.get(Donation, donation_id) if 0 < donation_id < 2**31 else None
    if donation is None or not _visible(actor, donation):
        raise NotFound(_("No donation with id %(id)s.", id=donation_id), field="donation_id")
    return donation


def list_donations(session: Session, actor: Actor) -> list[tuple[Donation, int]]:
    """Donations the actor may see with their device counts, newest first."""
    if not actor.is_staff and actor.role != Role.DONOR:
        raise Forbidden(_("Only the workshop and donors see donations."))
    counts = (
        select(Device.donation_id, func.count().label("n"))
        .group_by(col(Device.donation_id))
        .subquery()
    )
    query = select(Donation, func.coalesce(counts.c.n, 0)).outerjoin(
        counts, counts.c.donation_id == Donation.id
    )
    if not actor.is_staff:
        query = query.where(Donation.donor_id == actor.organisation_id)
    rows = session.exec(query.order_by(col(Donation.received_on).desc(), col(Donation.id).desc()))
    return [(donation, int(n)) for donation, n in rows.all()]


@dataclass(frozen=True)
class DonationFilters:
    """What the donation list can be narrowed to."""

    donor_id: int | None = None
    received_from: date | None = None
    received_to: date | None = None
    search: str = ""
    status: DeviceStatus | None = None  # donations with at least one device in this state


def donation_query(actor: Actor, filters: DonationFilters) -> Any:
    """SELECT (Donation, donor name) of the donations the actor may see matching the filters."""
    if not actor.is_staff and actor.role != Role.DONOR:
        raise Forbidden(_("Only the workshop and donors see donations."))
    query = select(Donation, Organisation.name).join(
        Organisation, col(Organisation.id) == col(Donation.donor_id)
    )
    if not actor.is_staff:
        query = query.where(Donation.donor_id == actor.organisation_id)
    if filters.donor_id:
        query = query.where(Donation.donor_id == filters.donor_id)
    if filters.received_from:
        query = query.where(col(Donation.received_on) >= filters.received_from)
    if filters.received_to:
        query = query.where(col(Donation.received_on) <= filters.received_to)
    if filters.search.strip():
        like = contains_pattern(filters.search.strip())
        query = query.where(
            or_(
                col(Donation.reference).ilike(like, escape=ESCAPE),
                col(Organisation.name).ilike(like, escape=ESCAPE),
            )
        )
    if filters.status:
        in_state = select(Device.id).where(
            col(Device.donation_id) == col(Donation.id), col(Device.status) == filters.status
        )
        query = query.where(in_state.exists())
    return query


def donation_devices(session: Session, donation: Donation) -> list[Device]:
    """The devices of a donation in intake order."""
    return list(
        session.exec(
            select(Device).where(Device.donation_id == donation.id).order_by(col(Device.id))
        )
    )
