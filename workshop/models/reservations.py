"""Reservations: an association's hold on available devices, until handover or its end."""

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from workshop.models.base import utcnow


class ReservationStatus(StrEnum):
    # Devices held for an association's need, awaiting its answer.
    OFFERED = "offered"
    DECLINED = "declined"
    PENDING = "pending"
    CONFIRMED = "confirmed"
    REFUSED = "refused"
    CANCELLED = "cancelled"
    EXPIRED = "expired"
    HANDED_OVER = "handed_over"


# A reservation in these states holds its devices.
OPEN_STATUSES = frozenset(
    {ReservationStatus.OFFERED, ReservationStatus.PENDING, ReservationStatus.CONFIRMED}
)


class NeedStatus(StrEnum):
    OPEN = "open"
    FULFILLED = "fulfilled"
    CLOSED = "closed"


class Need(SQLModel, table=True):
    """What an association asks for, e.g. 5 laptops with at least 8 GB of RAM and an SSD."""

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
    device_type: str = Field(max_length=20)
    quantity: int = Field(ge=1, le=100)
    min_ram_gb: int | None = Field(default=None, ge=0, le=4096)
    min_storage_gb: int | None = Field(default=None, ge=0, le=100_000)
    ssd_only: bool = Field(default=False)
    note: str = Field(default="", max_length=500)
    status: NeedStatus = Field(default=NeedStatus.OPEN, sa_type=sa.String(12), index=True)
    created_at: datetime = Field(default_factory=utcnow, index=True)


class Reservation(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    # Set when the workshop offered these devices for one of the association's needs.
    need_id: int | None = Field(default=None, foreign_key="need.id", index=True)
    requested_by_id: int | None = Field(default=None, foreign_key="user.id")
    status: ReservationStatus = Field(
        default=ReservationStatus.PENDING, sa_type=sa.String(12), index=True
    )
    note: str = Field(default="", max_length=500)
    # The hold ends at this time unless the devices were handed over.
    expires_at: datetime = Field(index=True)
    decided_at: datetime | None = None
    decided_by_id: int | None = Field(default=None, foreign_key="user.id")
    decision_reason: str = Field(default="", max_length=500)
    handed_over_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)


class ReservationItem(SQLModel, table=True):
    """One device of a reservation; `released_at` is set when the hold ends without handover."""

    __tablename__ = "reservation_item"

    id: int | None = Field(default=None, primary_key=True)
    reservation_id: int = Field(foreign_key="reservation.id", index=True)
    device_id: int = Field(foreign_key="device.id", index=True)
    released_at: datetime | None = None


class Notification(SQLModel, table=True):
    """A message to an association, shown in the UI and sent by email (outbox: sent_at)."""

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    reservation_id: int | None = Field(default=None, foreign_key="reservation.id")
    subject: str = Field(max_length=200)
    body: str = Field(max_length=4000)
    created_at: datetime = Field(default_factory=utcnow, index=True)
    sent_at: datetime | None = Field(default=None, index=True)
    attempts: int = Field(default=0)
    last_error: str | None = Field(default=None, max_length=500)
