"""Issued documents (signed PDFs for donors) and recycling exits (the waste register)."""

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from workshop.models.base import utcnow


class DocumentKind(StrEnum):
    ATTESTATION = "attestation"
    ERASURE = "erasure"
    DESTINATION = "destination"
    IMPACT = "impact"


class IssuedDocument(SQLModel, table=True):
    """One signed document as it was issued: what it says is in `payload`, signed by `key_id`."""

    __tablename__ = "issued_document"

    id: int | None = Field(default=None, primary_key=True)
    # Public, unguessable identifier printed in the verification URL.
    uid: str = Field(max_length=32, unique=True)
    kind: DocumentKind = Field(sa_type=sa.String(20), index=True)
    subject: str = Field(max_length=100, index=True)
    donation_id: int | None = Field(default=None, foreign_key="donation.id", index=True)
    organisation_id: int | None = Field(default=None, foreign_key="organisation.id", index=True)
    key_id: str = Field(max_length=16)
    payload: str = Field(sa_type=sa.Text)
    payload_hash: str = Field(max_length=64, index=True)
    signature: str = Field(max_length=100)
    issued_at: datetime = Field(default_factory=utcnow)
    issued_by: str = Field(max_length=40)
    revoked_at: datetime | None = None
    revoked_reason: str | None = Field(default=None, max_length=500)


class IssuedDocumentFile(SQLModel, table=True):
    """The PDF of an issued document, drawn and signed once: every download serves these bytes
    (its payload never changes), so a document downloaded twice is the same file."""

    __tablename__ = "issued_document_file"

    document_id: int = Field(foreign_key="issued_document.id", primary_key=True)
    pdf: bytes = Field(sa_type=sa.LargeBinary)
    sha256: str = Field(max_length=64)
    created_at: datetime = Field(default_factory=utcnow)


class RecyclingExit(SQLModel, table=True):
    """The waste-register line of a device (or its parts) sent to the WEEE channel."""

    __tablename__ = "recycling_exit"

    id: int | None = Field(default=None, primary_key=True)
    device_id: int = Field(foreign_key="device.id", unique=True)
    exited_on: date
    description: str = Field(max_length=200)
    waste_code: str = Field(default="16 02 14", max_length=20)
    quantity: int = Field(default=1, ge=1)
    weight_kg: float | None = Field(default=None, ge=0, le=10000)
    consignee: str = Field(max_length=200)
    transporter: str = Field(default="", max_length=200)
    treatment_code: str = Field(default="R4", max_length=10)
    eco_organisme: str = Field(default="", max_length=100)
    created_by: str = Field(max_length=40)
    created_at: datetime = Field(default_factory=utcnow)
