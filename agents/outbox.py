"""Durable outbox: every record for the server is written here first, then sent.

One SQLite file (WAL, synchronous=FULL: a record acknowledged by `enqueue` survives
a power cut). Each item carries a fresh idempotency key (uuid4) and the exact JSON
body that will be POSTed, so a resend is byte-for-byte the same request and the
server deduplicates it. States::

    ready --claim--> in_flight --ack--> acked
      ^                 |  \\--reject--> rejected   (permanent 4xx: kept and shown)
      +---retry_later---+   (transient failure: exponential backoff with jitter)

An item left `in_flight` by a process that died (its pid is gone, or its lease
ran out) is claimable again: it is resent, and the server answers "duplicate" if
the first attempt had in fact arrived.
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from agents.errors import AgentError

SCHEMA = """
CREATE TABLE IF NOT EXISTS item (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    body BLOB NOT NULL,
    created_at TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('ready', 'in_flight', 'acked', 'rejected')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at REAL NOT NULL DEFAULT 0,
    claimed_by INTEGER,
    lease_until REAL,
    last_error TEXT,
    result TEXT,
    done_at TEXT
);
CREATE INDEX IF NOT EXISTS item_by_state ON item (state, next_attempt_at, id);
"""
PENDING = ("ready", "in_flight")
DEFAULT_LEASE = 120.0  # seconds an in-flight claim stays valid without news


class OutboxError(AgentError):
    """The outbox database cannot be opened or written."""


@dataclass(frozen=True)
class Item:
    """One record waiting for (or done with) the server."""

    id: int
    key: str
    kind: str
    body: bytes
    created_at: str
    state: str
    attempts: int
    next_attempt_at: float
    last_error: str | None


def backoff_delay(attempts: int, *, base: float = 2.0, cap: float = 300.0) -> float:
    """Seconds to wait after `attempts` failures: exponential, capped, with jitter."""
    ceiling = min(cap, base * 2 ** max(0, attempts - 1))
    # Jitter in [ceiling/2, ceiling]: benches that lost the server together do not return together.
    return ceiling * (0.5 + random.random() / 2)


def utc_now_iso() -> str:
    """The current UTC time as ISO-8601 with offset."""
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _item(row: sqlite3.Row) -> Item:
    return Item(
        id=row["id"],
        key=row["key"],
        kind=row["kind"],
        body=bytes(row["body"]),
        created_at=row["created_at"],
        state=row["state"],
        attempts=row["attempts"],
        next_attempt_at=row["next_attempt_at"],
        last_error=row["last_error"],
    )


class Outbox:
    """The outbox file; safe to share between processes (each opens its own)."""

    def __init__(self, path: Path, *, lease: float = DEFAULT_LEASE) -> None:
        self.path = Path(path)
        self.lease = lease
        self._lock = threading.RLock()  # one connection, shared by the daemon's threads
        try:
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            self._db = sqlite3.connect(
                self.path, timeout=30.0, isolation_level=None, check_same_thread=False
            )
            self._db.row_factory = sqlite3.Row
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.executescript(SCHEMA)
        except (OSError, sqlite3.Error) as error:
            raise OutboxError(f"cannot open the outbox {self.path}: {error}") from error

    def close(self) -> None:
        """Close the database connection."""
        self._db.close()

    def _read(self, sql: str, params: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        try:
            with self._lock:
                return self._db.execute(sql, params).fetchall()
        except sqlite3.Error as error:
            raise OutboxError(f"outbox {self.path}: {error}") from error

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        # BEGIN IMMEDIATE takes the write lock first: two senders never claim one item.
        try:
            with self._lock:
                self._db.execute("BEGIN IMMEDIATE")
                try:
                    yield self._db
                except BaseException:
                    self._db.execute("ROLLBACK")
                    raise
                self._db.execute("COMMIT")
        except sqlite3.Error as error:
            raise OutboxError(f"outbox {self.path}: {error}") from error

    def enqueue(self, kind: str, payload: dict[str, Any], *, asset_tag: str | None = None) -> Item:
        """Store a record durably with a new idempotency key; return it."""
        key, created_at = str(uuid.uuid4()), utc_now_iso()
        body: dict[str, Any] = {
            "idempotency_key": key,
            "kind": kind,
            "payload": payload,
            "created_at": created_at,
        }
        if asset_tag:
            body["asset_tag"] = asset_tag
        raw = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()
        with self._write() as db:
            cursor = db.execute(
                "INSERT INTO item (key, kind, body, created_at, state) "
                "VALUES (?, ?, ?, ?, 'ready')",
                (key, kind, raw, created_at),
            )
        return self.get(int(cursor.lastrowid or 0))

    def get(self, item_id: int) -> Item:
        """One item by id."""
        rows = self._read("SELECT * FROM item WHERE id = ?", (item_id,))
        if not rows:
            raise OutboxError(f"no outbox item {item_id}")
        return _item(rows[0])

    def result(self, item_id: int) -> Any:
        """The server's answer to an acknowledged item (None until then)."""
        rows = self._read("SELECT result FROM item WHERE id = ? AND state = 'acked'", (item_id,))
        return json.loads(rows[0]["result"]) if rows and rows[0]["result"] else None

    def _release_orphans(self, db: sqlite3.Connection, now: float) -> None:
        rows = db.execute(
            "SELECT id, claimed_by, lease_until FROM item WHERE state = 'in_flight'"
        ).fetchall()
        for row in rows:
            dead = row["claimed_by"] != os.getpid() and not _pid_alive(row["claimed_by"] or 0)
            if dead or (row["lease_until"] or 0) < now:
                db.execute(
                    "UPDATE item SET state = 'ready', claimed_by = NULL, next_attempt_at = 0 "
                    "WHERE id = ?",
                    (row["id"],),
                )

    def claim(self, *, ignore_schedule: bool = False) -> Item | None:
        """Take the oldest item due for sending (or any ready one) and mark it in flight."""
        now = time.time()
        due = float("inf") if ignore_schedule else now
        with self._write() as db:
            self._release_orphans(db, now)
            row = db.execute(
                "SELECT id FROM item WHERE state = 'ready' AND next_attempt_at <= ? "
                "ORDER BY id LIMIT 1",
                (due,),
            ).fetchone()
            if row is None:
                return None
            db.execute(
                "UPDATE item SET state = 'in_flight', attempts = attempts + 1, claimed_by = ?, "
                "lease_until = ? WHERE id = ?",
                (os.getpid(), now + self.lease, row["id"]),
            )
        return self.get(row["id"])

    def _finish(self, item: Item, state: str, error: str | None, result: Any) -> None:
        with self._write() as db:
            db.execute(
                "UPDATE item SET state = ?, last_error = ?, result = ?, done_at = ?, "
                "claimed_by = NULL, lease_until = NULL WHERE id = ?",
                (state, error, json.dumps(result), utc_now_iso(), item.id),
            )

    def ack(self, item: Item, result: Any) -> None:
        """The server has the record (created or duplicate): done."""
        self._finish(item, "acked", None, result)

    def reject(self, item: Item, error: str) -> None:
        """The server refused the record for good: keep it, with the reason, for a human."""
        self._finish(item, "rejected", error, None)

    def retry_later(self, item: Item, error: str, delay: float) -> None:
        """Put the item back in line, not before `delay` seconds."""
        with self._write() as db:
            db.execute(
                "UPDATE item SET state = 'ready', last_error = ?, next_attempt_at = ?, "
                "claimed_by = NULL, lease_until = NULL WHERE id = ?",
                (error, time.time() + delay, item.id),
            )

    def counts(self) -> dict[str, int]:
        """Number of items per state (every state present, zero included)."""
        counts = dict.fromkeys(("ready", "in_flight", "acked", "rejected"), 0)
        for row in self._read("SELECT state, COUNT(*) AS n FROM item GROUP BY state"):
            counts[row["state"]] = row["n"]
        return counts

    def pending_count(self) -> int:
        """Items not yet acknowledged nor rejected."""
        counts = self.counts()
        return sum(counts[state] for state in PENDING)

    def oldest_pending(self) -> Item | None:
        """The oldest item still waiting for the server, if any."""
        rows = self._read(
            "SELECT * FROM item WHERE state IN ('ready', 'in_flight') ORDER BY id LIMIT 1"
        )
        return _item(rows[0]) if rows else None

    def rejected(self, limit: int = 20) -> list[Item]:
        """The most recently rejected items, newest first."""
        rows = self._read(
            "SELECT * FROM item WHERE state = 'rejected' ORDER BY id DESC LIMIT ?", (limit,)
        )
        return [_item(row) for row in rows]

    def next_due(self) -> float | None:
        """Epoch time when the next ready item becomes due, if any."""
        rows = self._read("SELECT MIN(next_attempt_at) AS due FROM item WHERE state = 'ready'")
        return None if rows[0]["due"] is None else float(rows[0]["due"])

    def prune_acked(self, older_than_days: float = 30.0) -> int:
        """Forget acknowledged items older than the given age; return how many."""
        cutoff = datetime.fromtimestamp(time.time() - older_than_days * 86400, UTC)
        with self._write() as db:
            cursor = db.execute(
                "DELETE FROM item WHERE state = 'acked' AND done_at < ?",
                (cutoff.isoformat(timespec="milliseconds"),),
            )
        return cursor.rowcount
