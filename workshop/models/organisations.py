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


class PublicInterest(StrEnum):
    """An association's public-interest standing (CGPPP L.3212-2, décret 2022-1413): only RUP
    and RIG associations may resell devices given by collectivités, at capped prices."""

    NONE = "none"
    RUP = "rup"  # reconnue d'utilité publique (décret en Conseil d'État)
    RIG = "rig"  # d'intérêt général (CGI art. 200 and 238 bis: may issue tax receipts)


class Organisation(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    kind: OrganisationKind = Field(sa_type=sa.String(20), index=True)
    name: str = Field(max_length=200, unique=True)
    siren: str | None = Field(default=None, max_length=9)
    # The workshop's establishment number on its documents (its first 9 digits are the SIREN).
    siret: str | None = Field(default=None, max_length=14)
    # An association's number in the Répertoire national des associations (W + 9 digits).
    rna: str | None = Field(default=None, max_length=10)
    public_interest: PublicInterest = Field(
        default=PublicInterest.NONE,
        sa_type=sa.String(10),
        sa_column_kwargs={"server_default": PublicInterest.NONE.value},
    )
    contact_name: str | None = Field(default=None, max_length=200)
    address: str | None = Field(default=None, max_length=300)
    postal_code: str | None = Field(default=None, max_length=10)
    city: str | None = Field(default=None, max_length=100)
    email: str | None = Field(default=None, max_length=254)
    phone: str | None = Field(default=None, max_length=30)
    # A donor's name appears on public device pages only when it agreed to it.
    public_name_allowed: bool = Field(default=False)
    created_at: datetime = Field(default_factory=utcnow)


class OrganisationLogo(SQLModel, table=True):
    """The image an organisation prints on its documents (the workshop's own, today)."""

    __tablename__ = "organisation_logo"

    organisation_id: int = Field(foreign_key="organisation.id", primary_key=True)
    content_type: str = Field(max_length=20)
    data: bytes = Field(sa_type=sa.LargeBinary)
    updated_at: datetime = Field(default_factory=utcnow)
