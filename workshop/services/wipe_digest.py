"""The digest of a wipe record's certificate facts, written into its "wipe.recorded" event.

``workshop verify-log`` recomputes it from the row: a wipe record changed by SQL after it was
received (its result, serial, method…) no longer matches the sealed event, which the signed
checkpoints protect. Every column counts — the host device included: a record moved to another
device by SQL would lend that device its erasure — except those set later by their own events
(validation, destruction), the row's id and its arrival time.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlmodel import SQLModel

import workshop.models  # noqa: F401 - registers the wipe_record table
from workshop.services.canonical import canonical_json

NOT_COVERED = frozenset(
    {
        "id",
        "received_at",
        "destruction_witness",
        "validated_by",
        "validated_at",
        # The reason codes of fallback_reason, a display aid added after records were sealed:
        # covering it would break the digest of every earlier record. fallback_reason is covered.
        "fallback_reasons",
    }
)


def covered_columns() -> list[str]:
    """The wipe_record columns the digest covers (new columns are covered automatically)."""
    table = SQLModel.metadata.tables["wipe_record"]
    return [
        c.key
        for c in table.columns
        if c.key not in NOT_COVERED and not c.key.startswith(("validated_", "destroyed_"))
    ]


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=UTC)
        return aware.astimezone(UTC).isoformat(timespec="microseconds")
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, float | Decimal):
        return str(value)
    return value


def wipe_record_digest(row: Any) -> str:
    """SHA-256 of the canonical JSON of the row's certificate-relevant columns."""
    facts = {name: _plain(getattr(row, name)) for name in covered_columns()}
    return hashlib.sha256(canonical_json(facts).encode()).hexdigest()
