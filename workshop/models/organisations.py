"""Organisations: donor collectivités, recipient associations, the workshop itself."""

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from workshop.models.base import utcnow


class OrganisationKind(StrEnum):
    COLLECTIVITE = "collectivite"
    ASSOCIATION = "association"
    WORKSHOP = "workshop"


class Organisation(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    kind: OrganisationKind = Field(sa_type=sa.String(20), index=True)
    name: str = Field(max_length=200, unique=True)
    siren: str | None = Field(default=None, max_length=9)
    address: str | None = Field(default=None, max_length=300)
    postal_code: str | None = Field(default=None, max_length=10)
    city: str | None = Field(default=None, max_length=100)
    email: str | None = Field(default=None, max_length=254)
    phone: str | None = Field(default=None, max_length=30)
    # A donor's name appears on public device pages only when it agreed to it.
    public_name_allowed: bool = Field(default=False)
    created_at: datetime = Field(default_factory=utcnow)
