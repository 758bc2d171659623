"""The append-only, hash-chained history of devices and donations."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from workshop.models.base import utcnow

GENESIS_HASH = "0" * 64


class Event(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    seq: int = Field(unique=True)
    kind: str = Field(max_length=50, index=True)
    device_id: int | None = Field(default=None, foreign_key="device.id", index=True)
    donation_id: int | None = Field(default=None, foreign_key="donation.id", index=True)
    # Canonical JSON of the event's facts (what changed).
    data: str = Field(default="{}")
    # A user's pseudonym, "bench:<id>" or "system": never a name.
    actor: str = Field(max_length=40)
    bench_id: int | None = Field(default=None, foreign_key="bench.id")
    created_at: datetime = Field(default_factory=utcnow)
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)


class EventChainHead(SQLModel, table=True):
    """One row: the last sequence number and hash; locking it serialises appends."""

    __tablename__ = "event_chain_head"

    id: int = Field(default=1, primary_key=True)
    seq: int = Field(default=0)
    last_hash: str = Field(default=GENESIS_HASH, max_length=64)
