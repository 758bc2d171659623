"""Reconditioning benches (each runs a bench agent)."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from workshop.models.base import utcnow


class Bench(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100, unique=True)
    location: str | None = Field(default=None, max_length=200)
    active: bool = Field(default=True)
    agent_version: str | None = Field(default=None, max_length=50)
    created_at: datetime = Field(default_factory=utcnow)
    last_seen_at: datetime | None = None
