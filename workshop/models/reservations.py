"""Reservations: an association's hold on available devices, until handover or its end."""

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from workshop.models.base import utcnow


class ReservationStatus(StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    REFUSED = "refused"
    CANCELLED = "cancelled"
    EXPIRED = "expired"
    HANDED_OVER = "handed_over"


# A reservation in these states holds its devices.
OPEN_STATUSES = frozenset({ReservationStatus.PENDING, ReservationStatus.CONFIRMED})


class Reservation(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
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
