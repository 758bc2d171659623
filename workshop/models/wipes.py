"""Wipe records received from benches: one row per disk and wipe attempt (the erasure proof)."""

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from workshop.models.base import utcnow


class WipeResult(StrEnum):
    PASSED = "passed"
    # Written and read back, but hidden sectors were left or the read-back was a sample: the
    # record names its reservations; the workshop's policy says whether the drive counts as erased.
    PASSED_WITH_RESERVATIONS = "passed_with_reservations"
    FAILED = "failed"
    INTERRUPTED = "interrupted"


class WipeRecord(SQLModel, table=True):
    """What the bench did to one disk, as its agent reported it, plus who validated it."""

    __tablename__ = "wipe_record"

    id: int | None = Field(default=None, primary_key=True)
    wipe_uid: str = Field(max_length=100)
    device_id: int | None = Field(default=None, foreign_key="device.id", index=True)
    bench_record_id: int | None = Field(default=None, foreign_key="bench_record.id")
    bench_id: int | None = Field(default=None, foreign_key="bench.id", index=True)
    result: WipeResult = Field(sa_type=sa.String(32), index=True)
    disk_model: str | None = Field(default=None, max_length=200)
    disk_serial: str | None = Field(default=None, max_length=100)
    disk_wwn: str | None = Field(default=None, max_length=100)
    disk_size_bytes: int = Field(default=0, sa_type=sa.BigInteger)
    disk_transport: str = Field(default="", max_length=40)
    method: str = Field(max_length=10)
    technique: str = Field(max_length=100)
    fallback_reason: str | None = Field(default=None, max_length=500)
    # Its reason codes (JSON list of atelier_protocol.reasons.Message), for display only: the
    # English fallback_reason is the fact the digest covers.
    fallback_reasons: str = Field(
        default="[]", sa_type=sa.Text, sa_column_kwargs={"server_default": "[]"}
    )
    tool: str = Field(max_length=100)
    tool_version: str = Field(max_length=50)
    passes: int = Field(default=0)
    verification_mode: str = Field(max_length=10)
    verification_result: str = Field(max_length=10)
    bytes_written: int = Field(default=0, sa_type=sa.BigInteger)
    bytes_verified: int = Field(default=0, sa_type=sa.BigInteger)
    hidden_bytes_not_erased: int = Field(default=0, sa_type=sa.BigInteger)
    hidden_area: str = Field(default="", max_length=500)
    # What the drive was seen doing during a Purge (command, outcome, states, sectors checked).
    purge_summary: str = Field(default="", max_length=500, sa_column_kwargs={"server_default": ""})
    errors: str = Field(default="[]", sa_type=sa.Text)
    # The record's reservations (JSON list of atelier_protocol/wipe.py Reservation); [] otherwise.
    reservations: str = Field(
        default="[]", max_length=200, sa_column_kwargs={"server_default": "[]"}
    )
    started_at: datetime
    ended_at: datetime | None = None
    technician: str | None = Field(default=None, max_length=100)
    received_at: datetime = Field(default_factory=utcnow)
    validated_by: str | None = Field(default=None, max_length=200)
    validated_at: datetime | None = None
    # Physical destruction of a drive whose wipe failed, and who witnessed it.
    destroyed_at: datetime | None = None
    destruction_witness: str | None = Field(default=None, max_length=200)
