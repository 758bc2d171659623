"""Label printers (attached to a bench, or on the network) and the print queue."""

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from workshop.models.base import utcnow


class LabelJobStatus(StrEnum):
    QUEUED = "queued"
    PRINTED = "printed"
    FAILED = "failed"
    CANCELLED = "cancelled"


class Printer(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100, unique=True)
    # A bench's agent prints on it; without a bench the server sends the job itself.
    bench_id: int | None = Field(default=None, foreign_key="bench.id", index=True)
    uri: str = Field(max_length=300)
    profile: str = Field(max_length=50)
    media: str = Field(max_length=20)
    qr_mode: str | None = Field(default=None, max_length=10)
    active: bool = Field(default=True)
    created_at: datetime = Field(default_factory=utcnow)


class LabelJob(SQLModel, table=True):
    """One label to print: the ESC/POS bytes are rendered when queued and kept for retries."""

    __tablename__ = "label_job"

    id: int | None = Field(default=None, primary_key=True)
    device_id: int = Field(foreign_key="device.id", index=True)
    printer_id: int = Field(foreign_key="printer.id", index=True)
    status: LabelJobStatus = Field(default=LabelJobStatus.QUEUED, sa_type=sa.String(12), index=True)
    data: bytes = Field(sa_type=sa.LargeBinary)
    attempts: int = Field(default=0)
    last_error: str | None = Field(default=None, max_length=500)
    requested_by: str = Field(max_length=40)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    printed_at: datetime | None = None
