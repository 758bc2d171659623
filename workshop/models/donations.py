"""Donations (lots) received from collectivités; their items are devices."""

from datetime import date, datetime

from sqlmodel import Field, SQLModel

from workshop.models.base import utcnow


class Donation(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(max_length=20, unique=True)
    donor_id: int = Field(foreign_key="organisation.id", index=True)
    received_on: date
    place: str = Field(max_length=200)
    notes: str = Field(default="", max_length=2000)
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)
