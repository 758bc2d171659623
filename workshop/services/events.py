"""Append events to the hash-chained history and verify the chain.

Each event's hash is SHA-256 over the canonical JSON of its content and the
previous event's hash. The single ``event_chain_head`` row holds the last
sequence number and hash; appending first updates that row, which takes the
row lock (PostgreSQL) or the write lock (SQLite), so concurrent appends cannot
fork the chain. Deleting the newest events is caught because the head no
longer matches the last row.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, select

from workshop.models import Event, EventChainHead
from workshop.models.base import utcnow
from workshop.models.events import GENESIS_HASH
from workshop.services.actors import Actor
from workshop.services.canonical import canonical_json


def event_hash(event: Event) -> str:
    """The hash of one event's content chained to the previous event's hash."""
    content = canonical_json(
        {
            "seq": event.seq,
            "kind": event.kind,
            "device_id": event.device_id,
            "donation_id": event.donation_id,
            "data": event.data,
            "actor": event.actor,
            "bench_id": event.bench_id,
            "created_at": event.created_at.isoformat(timespec="microseconds"),
            "prev_hash": event.prev_hash,
        }
    )
    return hashlib.sha256(content.encode()).hexdigest()


def append_event(
    session: Session,
    actor: Actor,
    kind: str,
    *,
    device_id: int | None = None,
    donation_id: int | None = None,
    data: dict[str, Any] | None = None,
) -> Event:
    """Append one event to the chain (flushes; the caller's transaction commits)."""
    row = session.execute(
        update(EventChainHead)
        .where(col(EventChainHead.id) == 1)
        .values(seq=EventChainHead.seq + 1)
        .returning(col(EventChainHead.seq), col(EventChainHead.last_hash))
    ).one()
    seq, prev_hash = int(row[0]), str(row[1])
    event = Event(
        seq=seq,
        kind=kind,
        device_id=device_id,
        donation_id=donation_id,
        data=canonical_json(data or {}),
        actor=actor.label,
        bench_id=actor.bench.id if actor.bench is not None else None,
        created_at=utcnow(),
        prev_hash=prev_hash,
        hash="",
    )
    event.hash = event_hash(event)
    session.add(event)
    session.execute(
        update(EventChainHead).where(col(EventChainHead.id) == 1).values(last_hash=event.hash)
    )
    session.flush()
    return event


def event_data(event: Event) -> dict[str, Any]:
    """The decoded facts of an event."""
    value: dict[str, Any] = json.loads(event.data)
    return value


@dataclass(frozen=True)
class ChainReport:
    """Outcome of a verification: ok, or the first bad event and why."""

    ok: bool
    checked: int
    bad_event_id: int | None = None
    bad_seq: int | None = None
    reason: str = ""


def _iter_events(session: Session, batch: int = 2000) -> Iterator[Event]:
    last_seq = 0
    while True:
        rows = session.exec(
            select(Event).where(Event.seq > last_seq).order_by(col(Event.seq)).limit(batch)
        ).all()
        if not rows:
            return
        yield from rows
        last_seq = rows[-1].seq


def verify_chain(session: Session) -> ChainReport:
    """Recompute every hash in order; report the first event that does not fit."""
    expected_prev, expected_seq, checked = GENESIS_HASH, 1, 0
    for event in _iter_events(session):
        problem = _check_event(event, expected_seq, expected_prev)
        if problem:
            return ChainReport(False, checked, event.id, event.seq, problem)
        expected_prev, expected_seq, checked = event.hash, expected_seq + 1, checked + 1
    head = session.get(EventChainHead, 1)
    if head is None:
        return ChainReport(False, checked, reason="the chain head row is missing")
    if head.seq != checked or head.last_hash != expected_prev:
        return ChainReport(
            False,
            checked,
            bad_seq=head.seq,
            reason=f"the chain head expects {head.seq} events ending with "
            f"{head.last_hash[:12]}…, the table has {checked}: the newest events were deleted",
        )
    return ChainReport(True, checked)


def _check_event(event: Event, expected_seq: int, expected_prev: str) -> str:
    if event.seq != expected_seq:
        return f"sequence jumps from {expected_seq - 1} to {event.seq}: events were deleted"
    if event.prev_hash != expected_prev:
        return "its previous-hash link does not match the event before it (deleted or reordered)"
    recomputed = event_hash(event)
    if recomputed != event.hash:
        return "its content does not match its hash: the event was altered"
    return ""
