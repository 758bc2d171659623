"""Helpers shared by the table definitions."""

from datetime import UTC, datetime


def utcnow() -> datetime:
    """Aware UTC now (SQLModel stores aware datetimes and returns them in UTC on both engines)."""
    return datetime.now(UTC)
