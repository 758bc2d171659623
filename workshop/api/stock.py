"""API: stock figures (devices per state × type, grades available) and donations' state counts."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import Field, StringConstraints
from sqlmodel import Session

from workshop.api import bp
from workshop.api.registry import operation
from workshop.api.schemas import Input, IsoDate, Output
from workshop.models import DeviceStatus
from workshop.services import stock as stock_service
from workshop.services.actors import Actor
from workshop.services.donations import DonationFilters


class StockCell(Output):
    status: str
    type: str
    count: int


class GradeCell(Output):
    type: str
    grade: str | None = Field(description="A, B, C or null when not graded yet")
    count: int


class StockOut(Output):
    total: int
    by_state: dict[str, int] = Field(description="every lifecycle state, zeros included")
    by_type: dict[str, int]
    cells: list[StockCell] = Field(description="(state, type) pairs with at least one device")
    available_by_grade: list[GradeCell]


class DonationCountsQuery(Input):
    donor_id: int | None = Field(default=None, ge=1, lt=2**31)
    received_from: IsoDate | None = None
    received_to: IsoDate | None = None
    q: Annotated[str, StringConstraints(max_length=100)] = Field(
        default="", description="part of the reference or of the donor's name"
    )
    status: DeviceStatus | None = Field(
        default=None, description="only donations with at least one device in this state"
    )
    limit: int = Field(default=100, ge=1, le=500)
    offset: int = Field(default=0, ge=0)


class DonationCounts(Output):
    id: int
    reference: str
    donor_id: int
    donor_name: str
    received_on: date
    place: str
    device_count: int
    counts: dict[str, int] = Field(description="devices per state (states with none omitted)")


class DonationCountsPage(Output):
    total: int = Field(description="donations matching the filters")
    devices: int = Field(description="their devices")
    totals: dict[str, int] = Field(description="their devices per state, zeros included")
    items: list[DonationCounts]


@operation(bp, "/stock", "GET", summary="Stock: devices per state and type", response=StockOut)
def stock(session: Session, actor: Actor) -> StockOut:
    """Devices per state × type and available devices per grade (workshop staff)."""
    counts = stock_service.stock_counts(session, actor)
    by_state = counts.by_state()
    return StockOut(
        total=counts.total,
        by_state={s.value: by_state.get(s.value, 0) for s in stock_service.STATES},
        by_type=counts.by_type(),
        cells=[StockCell(status=s, type=t, count=n) for (s, t), n in sorted(counts.cells.items())],
        available_by_grade=[
            GradeCell(type=t, grade=g, count=n)
            for (t, g), n in sorted(counts.available_grades.items(), key=lambda i: str(i[0]))
        ],
    )


@operation(
    bp,
    "/stock/donations",
    "GET",
    summary="Donations with their devices counted per state",
    query=DonationCountsQuery,
    response=DonationCountsPage,
)
def donation_counts(
    session: Session, actor: Actor, query: DonationCountsQuery
) -> DonationCountsPage:
    """Donations visible to the caller (a donor sees only its own), filtered, newest first."""
    filters = DonationFilters(
        donor_id=query.donor_id,
        received_from=query.received_from,
        received_to=query.received_to,
        search=query.q,
        status=query.status,
    )
    page = stock_service.donation_summaries(
        session, actor, filters, limit=query.limit, offset=query.offset
    )
    return DonationCountsPage(
        total=page.matching,
        devices=page.devices,
        totals={s.value: page.totals.get(s.value, 0) for s in stock_service.STATES},
        items=[
            DonationCounts(
                id=row.donation.id or 0,
                reference=row.donation.reference,
                donor_id=row.donation.donor_id,
                donor_name=row.donor_name,
                received_on=row.donation.received_on,
                place=row.donation.place,
                device_count=row.total,
                counts=row.counts,
            )
            for row in page.rows
        ],
    )
