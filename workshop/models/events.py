"""The append-only history of devices and donations, hash-chained and Merkle-tree anchored."""

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from workshop.models.base import utcnow

GENESIS_HASH = "0" * 64


class Event(SQLModel, table=True):
    """One fact; seq, prev_hash and hash stay empty until the sealer chains it after commit."""

    id: int | None = Field(default=None, primary_key=True)
    seq: int | None = Field(default=None, unique=True)
    kind: str = Field(max_length=50, index=True)
    device_id: int | None = Field(default=None, foreign_key="device.id", index=True)
    donation_id: int | None = Field(default=None, foreign_key="donation.id", index=True)
    # Canonical JSON of the event's facts (what changed).
    data: str = Field(default="{}")
    # A user's pseudonym, "bench:<id>" or "system": never a name.
    actor: str = Field(max_length=40)
    bench_id: int | None = Field(default=None, foreign_key="bench.id")
    created_at: datetime = Field(default_factory=utcnow)
    prev_hash: str | None = Field(default=None, max_length=64)
    hash: str | None = Field(default=None, max_length=64)


class EventChainHead(SQLModel, table=True):
    """One row, locked by the sealer only: the sealed size, last hash and Merkle frontier."""

    __tablename__ = "event_chain_head"

    id: int = Field(default=1, primary_key=True)
    seq: int = Field(default=0)
    last_hash: str = Field(default=GENESIS_HASH, max_length=64)
    # JSON list of the hex roots of the perfect subtrees on the tree's right edge (merkle.py).
    frontier: str = Field(default="[]", sa_type=sa.Text, sa_column_kwargs={"server_default": "[]"})
