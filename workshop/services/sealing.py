"""The sealer: chain committed events, extend the Merkle tree, write a signed checkpoint.

Writers only insert unsealed events. After a session that inserted events commits (and has
given its connection back), the sealer runs in a transaction of its own: it locks the head row
(``SELECT … FOR UPDATE`` on PostgreSQL; SQLite's write lock), gives the committed unsealed
events, in id order, the next sequence numbers, chains their hashes, extends the Merkle
frontier kept in the head row, commits, then appends a checkpoint to the instance's checkpoint
file. Within one process a single sealer runs at a time: commits made meanwhile only tell it
to go round once more, so a burst of writers costs a few seals, not one each.

On PostgreSQL an event with a lower id may commit after a higher one was sealed: it is
simply sealed later, with a later seq (the chain's order is the sealing order; verify by seq).

    $ workshop seal-log
    sealed 12 events; tree size 253, checkpoint written (root 5c1e0a9b3f2d…)
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event as sa_event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, SessionTransaction
from sqlmodel import SQLModel

import workshop.models  # noqa: F401 - registers the event tables
from workshop.db import DEFERRED_BEGIN_OPTION
from workshop.services.checkpoints import Checkpoint, CheckpointFile, CheckpointInvalid
from workshop.services.events import UNSEALED_IDS, chain_text
from workshop.services.merkle import Frontier

log = logging.getLogger(__name__)

SEAL_BATCH = 1000
SEAL_DUE = "atelier_seal_due"
EVENT = SQLModel.metadata.tables["event"]
HEAD = SQLModel.metadata.tables["event_chain_head"]

# Where each database's checkpoints go, by database URL (see install()).
_ANCHORS: dict[str, CheckpointFile] = {}


class HeadInvalid(RuntimeError):
    """The head row is missing or its frontier does not fit its size."""


@dataclass(frozen=True)
class SealReport:
    """What one sealing run did."""

    sealed: int
    tree_size: int
    root_hash: str
    checkpoint: Checkpoint | None


def _url_key(bind: Any) -> str:
    return str(bind.url.render_as_string(hide_password=False))


def install(engine: Engine, checkpoints: CheckpointFile) -> None:
    """Seal after every commit of a session on this engine that inserted events."""
    _ANCHORS[_url_key(engine)] = checkpoints


def checkpoints_for(bind: Any) -> CheckpointFile | None:
    """The checkpoint file installed for this engine (or session bind), if any."""
    return _ANCHORS.get(_url_key(bind)) if bind is not None else None


def seal(
    bind: Engine, checkpoints: CheckpointFile | None, *, batch: int = SEAL_BATCH
) -> SealReport:
    """Seal every committed unsealed event, then write a checkpoint if the tree grew."""
    engine = bind.execution_options(**{DEFERRED_BEGIN_OPTION: False})
    sealed = 0
    while True:
        with engine.begin() as conn:
            count, size, root = _seal_batch(conn, batch)
        sealed += count
        if count < batch:
            break
    written = checkpoints.append_if_newer(size, root) if checkpoints is not None else None
    return SealReport(sealed, size, root, written)


def _seal_batch(conn: sa.Connection, batch: int) -> tuple[int, int, str]:
    """Seal up to `batch` events in the caller's transaction: (sealed, tree size, root)."""
    head = conn.execute(
        sa.select(HEAD.c.seq, HEAD.c.last_hash, HEAD.c.frontier)
        .where(HEAD.c.id == 1)
        .with_for_update()
    ).one_or_none()
    if head is None:
        raise HeadInvalid("the event_chain_head row is missing")
    try:
        frontier = Frontier.from_json(int(head.seq), str(head.frontier))
    except ValueError as exc:
        raise HeadInvalid(f"the head row's Merkle frontier is invalid: {exc}") from exc
    rows = conn.execute(
        sa.select(
            EVENT.c.id,
            EVENT.c.kind,
            EVENT.c.device_id,
            EVENT.c.donation_id,
            EVENT.c.data,
            EVENT.c.actor,
            EVENT.c.bench_id,
            EVENT.c.created_at,
        )
        .where(EVENT.c.seq.is_(None))
        .order_by(EVENT.c.id)
        .limit(batch)
    ).all()
    seq, prev = int(head.seq), str(head.last_hash)
    updates = []
    for row in rows:
        seq += 1
        text = chain_text(
            seq=seq,
            kind=row.kind,
            device_id=row.device_id,
            donation_id=row.donation_id,
            data=row.data,
            actor=row.actor,
            bench_id=row.bench_id,
            created_at=row.created_at,
            prev_hash=prev,
        )
        digest = hashlib.sha256(text.encode()).hexdigest()
        frontier.append(bytes.fromhex(digest))
        updates.append({"b_id": row.id, "b_seq": seq, "b_prev": prev, "b_hash": digest})
        prev = digest
    if updates:
        conn.execute(
            sa.update(EVENT)
            .where(EVENT.c.id == sa.bindparam("b_id"))
            .values(seq=sa.bindparam("b_seq"), prev_hash=sa.bindparam("b_prev"))
            .values(hash=sa.bindparam("b_hash")),
            updates,
        )
        conn.execute(
            sa.update(HEAD)
            .where(HEAD.c.id == 1)
            .values(seq=seq, last_hash=prev, frontier=frontier.to_json())
        )
    return len(rows), seq, frontier.root_hex()


class _Gate:
    """One sealer at a time per process and database; commits meanwhile only raise a flag.

    The running sealer loops while the flag is up, so a burst of commits is sealed in a few
    batches (one checkpoint each) instead of every writer queueing on the head row."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.due = False

    def run(self, seal_once: Callable[[], object]) -> None:
        self.due = True  # after our commit: whichever sealer sees it starts after that commit
        while self.due:
            if not self.lock.acquire(blocking=False):
                return  # the sealer at work sees the flag and seals our events too
            try:
                while self.due:
                    self.due = False
                    seal_once()
            finally:
                self.lock.release()


_GATES: dict[str, _Gate] = {}


@sa_event.listens_for(Session, "after_commit")
def _note_commit(session: Session) -> None:
    ids = session.info.pop(UNSEALED_IDS, None)
    if ids:
        session.info.setdefault(SEAL_DUE, []).extend(ids)


@sa_event.listens_for(Session, "after_rollback")
def _forget_rolled_back(session: Session) -> None:
    session.info.pop(UNSEALED_IDS, None)


@sa_event.listens_for(Session, "after_transaction_end")
def _seal_after_commit(session: Session, transaction: SessionTransaction) -> None:
    # Runs once the committed transaction gave its connection back to the pool, so a sealer
    # never holds two connections; an error here must not undo a commit that succeeded.
    if transaction.parent is not None or SEAL_DUE not in session.info:
        return
    ids = session.info.pop(SEAL_DUE)
    bind = session.bind
    checkpoints = checkpoints_for(bind)
    if checkpoints is None or not isinstance(bind, Engine):
        return
    gate = _GATES.setdefault(_url_key(bind), _Gate())
    try:
        gate.run(lambda: seal(bind, checkpoints))
    except (SQLAlchemyError, OSError, HeadInvalid, CheckpointInvalid) as exc:
        log.warning("events %s stay unsealed until the next seal: %s", ids[:5], exc)
