"""Stock figures: devices per state, per type and per grade, and per-donation state counts.

Everything is counted by the database (GROUP BY), never by loading the devices.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from workshop.models import Device, DeviceStatus, DeviceType, Donation
from workshop.services.actors import Actor, require_staff
from workshop.services.devices import DeviceFilters, visible_devices_clause
from workshop.services.donations import DonationFilters, donation_query
from workshop.services.like import ESCAPE, contains_pattern

# Lifecycle order, for tables and CSV columns.
STATES: tuple[DeviceStatus, ...] = tuple(DeviceStatus)
TYPES: tuple[DeviceType, ...] = tuple(DeviceType)


@dataclass(frozen=True)
class StockCounts:
    """Devices per (state, type) and what is available per (type, grade)."""

    cells: dict[tuple[str, str], int]
    available_grades: dict[tuple[str, str | None], int]

    def by_state(self) -> dict[str, int]:
        """Total per state (states without devices are absent)."""
        totals: dict[str, int] = {}
        for (state, _type), n in self.cells.items():
            totals[state] = totals.get(state, 0) + n
        return totals

    def by_type(self) -> dict[str, int]:
        """Total per device type (types without devices are absent)."""
        totals: dict[str, int] = {}
        for (_state, type_), n in self.cells.items():
            totals[type_] = totals.get(type_, 0) + n
        return totals

    @property
    def total(self) -> int:
        return sum(self.cells.values())

    def types_present(self) -> list[str]:
        """The device types that have at least one device, in declaration order."""
        present = self.by_type()
        return [t.value for t in TYPES if t.value in present]

    def grades_by_type(self) -> dict[str, dict[str, int]]:
        """Available devices per type, then per grade ('' for not graded)."""
        table: dict[str, dict[str, int]] = {}
        for (type_, grade), n in self.available_grades.items():
            table.setdefault(type_, {})[grade or ""] = n
        return table


def stock_counts(session: Session, actor: Actor) -> StockCounts:
    """The workshop's stock: devices per state × type, and available devices per grade."""
    require_staff(actor)
    cells = {
        (str(state), str(type_)): int(n)
        for state, type_, n in session.exec(
            select(Device.status, Device.type, func.count()).group_by(
                col(Device.status), col(Device.type)
            )
        ).all()
    }
    grades = {
        (str(type_), str(grade) if grade else None): int(n)
        for type_, grade, n in session.exec(
            select(Device.type, Device.grade, func.count())
            .where(Device.status == DeviceStatus.AVAILABLE)
            .group_by(col(Device.type), col(Device.grade))
        ).all()
    }
    return StockCounts(cells=cells, available_grades=grades)


def filtered_devices_clause(actor: Actor, filters: DeviceFilters) -> list[Any]:
    """The SQL conditions of the device list (who may see what, and the filters but state)."""
    conditions = []
    clause = visible_devices_clause(actor)
    if clause is not None:
        conditions.append(clause)
    if filters.type:
        conditions.append(col(Device.type) == filters.type)
    if filters.donation_id:
        conditions.append(col(Device.donation_id) == filters.donation_id)
    if filters.search:
        like = contains_pattern(filters.search.strip().replace("-", ""))
        conditions.append(
            or_(
                col(Device.asset_tag).ilike(like, escape=ESCAPE),
                col(Device.serial).ilike(like, escape=ESCAPE),
                col(Device.model).ilike(contains_pattern(filters.search.strip()), escape=ESCAPE),
            )
        )
    return conditions


def status_counts(session: Session, actor: Actor, filters: DeviceFilters) -> dict[str, int]:
    """Visible devices per state under the list's filters (the state filter itself ignored)."""
    query = select(Device.status, func.count()).group_by(col(Device.status))
    for condition in filtered_devices_clause(actor, filters):
        query = query.where(condition)
    return {str(state): int(n) for state, n in session.exec(query).all()}


@dataclass(frozen=True)
class DonationSummary:
    """A donation, its donor's name and how many of its devices are in each state."""

    donation: Donation
    donor_name: str
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class DonationPage:
    """One page of summaries, with the count of matching donations and their state totals."""

    rows: list[DonationSummary]
    matching: int
    totals: dict[str, int]

    @property
    def devices(self) -> int:
        return sum(self.totals.values())

    def states_present(self) -> list[str]:
        """The states with at least one device among all matching donations, lifecycle order."""
        return [s.value for s in STATES if self.totals.get(s.value)]


def donation_summaries(
    session: Session,
    actor: Actor,
    filters: DonationFilters,
    *,
    limit: int | None = 50,
    offset: int = 0,
) -> DonationPage:
    """Donations the actor may see matching the filters, with per-state device counts."""
    query = donation_query(actor, filters)
    ids = query.with_only_columns(col(Donation.id)).order_by(None)
    matching = int(session.exec(select(func.count()).select_from(ids.subquery())).one())
    totals_query = (
        select(Device.status, func.count())
        .where(col(Device.donation_id).in_(ids))
        .group_by(col(Device.status))
    )
    totals = {str(state): int(n) for state, n in session.exec(totals_query).all()}
    page = query.order_by(col(Donation.received_on).desc(), col(Donation.id).desc())
    if limit is not None:
        page = page.limit(limit).offset(offset)
    rows = session.exec(page).all()
    counts = _per_donation_counts(session, [d.id for d, _name in rows if d.id is not None])
    return DonationPage(
        rows=[DonationSummary(d, name, counts.get(d.id or 0, {})) for d, name in rows],
        matching=matching,
        totals=totals,
    )


def _per_donation_counts(session: Session, ids: list[int]) -> dict[int, dict[str, int]]:
    counts: dict[int, dict[str, int]] = {i: {} for i in ids}
    if not ids:
        return counts
    query = (
        select(Device.donation_id, Device.status, func.count())
        .where(col(Device.donation_id).in_(ids))
        .group_by(col(Device.donation_id), col(Device.status))
    )
    for donation_id, state, n in session.exec(query).all():
        if donation_id is not None:
            counts[donation_id][str(state)] = int(n)
    return counts
