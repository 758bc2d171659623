"""What an attacker with write access to the database (and the project's code) can do."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlmodel import Session, col, select

from workshop.models import Event
from workshop.services.events import event_hash
from workshop.services.merkle import Frontier


def rewrite_chain(engine: Any) -> None:
    """What an attacker with database access can do: recompute every hash with the project's
    own event_hash and rewrite the head row (seq, last hash and Merkle frontier) to match."""
    with Session(engine) as session:
        events = list(session.exec(select(Event).order_by(col(Event.seq))))
        session.expunge_all()  # keep them loaded: the rewrite goes through raw SQL
    prev, frontier = "0" * 64, Frontier()
    with engine.begin() as conn:
        for event in events:
            event.prev_hash = prev
            event.hash = event_hash(event)
            conn.execute(
                text("UPDATE event SET prev_hash = :p, hash = :h WHERE id = :id"),
                {"p": event.prev_hash, "h": event.hash, "id": event.id},
            )
            frontier.append(bytes.fromhex(event.hash))
            prev = event.hash
        conn.execute(
            text("UPDATE event_chain_head SET seq = :s, last_hash = :h, frontier = :f"),
            {"s": len(events), "h": prev, "f": frontier.to_json()},
        )
