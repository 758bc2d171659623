"""Verify the event log: the hash chain, the Merkle tree against the signed checkpoints, and
the wipe records against their events.

Sealed events are streamed in seq order (a server-side cursor on PostgreSQL): each hash is
recomputed, each link checked, and the hashes are folded into the Merkle frontier; whenever the
tree reaches the size of a checkpoint, its root must be the one that checkpoint signed. So:

- a checkpoint larger than the log means events were deleted (truncated, or emptied);
- a root that differs means events were rewritten, even with every hash recomputed;
- a wipe record whose digest differs from its "wipe.recorded" event was changed afterwards.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, col, select

from workshop.db import DEFERRED_BEGIN_OPTION
from workshop.models import Event, EventChainHead, WipeRecord
from workshop.models.events import GENESIS_HASH
from workshop.services.checkpoints import Checkpoint, CheckpointFile, CheckpointInvalid
from workshop.services.events import chain_text_of
from workshop.services.merkle import EMPTY_ROOT, Frontier
from workshop.services.sealing import HeadInvalid, seal
from workshop.services.wipe_digest import wipe_record_digest

EVENT = SQLModel.metadata.tables["event"]
STREAM_ROWS = 5000


@dataclass(frozen=True)
class ChainReport:
    """Outcome of a chain verification: ok, or the first problem and why."""

    ok: bool
    checked: int
    bad_event_id: int | None = None
    bad_seq: int | None = None
    reason: str = ""
    root_hash: str = EMPTY_ROOT
    # The largest checkpoint the events matched, or the one they contradict.
    checkpoint: Checkpoint | None = None
    # wipe_record id → (seq of its "wipe.recorded" event, the digest it holds or None).
    wipe_events: dict[int, tuple[int, str | None]] = field(default_factory=dict)


class _Broken(Exception):
    def __init__(self, reason: str, row: Any = None, checkpoint: Checkpoint | None = None):
        super().__init__(reason)
        self.reason, self.row, self.checkpoint = reason, row, checkpoint


STREAM_SQL = (
    "SELECT id, seq, kind, device_id, donation_id, data, actor, bench_id, created_at, "
    "prev_hash, hash FROM event WHERE seq IS NOT NULL ORDER BY seq"
)


def _stream(session: Session) -> Iterator[Any]:
    """The sealed events in seq order as plain driver rows (no type processing: speed)."""
    conn = session.connection().execution_options(stream_results=True, yield_per=STREAM_ROWS)
    yield from conn.exec_driver_sql(STREAM_SQL)


def _time_text(dialect: str) -> Callable[[Any], str]:
    """created_at as the sealer hashed it (aware UTC, ISO, microseconds) from a driver value."""

    def from_sqlite(value: str) -> str:
        # SQLAlchemy stores "YYYY-MM-DD HH:MM:SS.ffffff" (UTC); anything else is parsed.
        if len(value) == 26 and value[10] == " ":
            return f"{value[:10]}T{value[11:]}+00:00"
        parsed = datetime.fromisoformat(value)
        aware = parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
        return aware.astimezone(UTC).isoformat(timespec="microseconds")

    def from_datetime(value: datetime) -> str:
        aware = value if value.tzinfo else value.replace(tzinfo=UTC)
        return aware.astimezone(UTC).isoformat(timespec="microseconds")

    return from_sqlite if dialect == "sqlite" else from_datetime


class _Walk:
    """The state of one pass over the sealed events."""

    def __init__(self, checkpoints: list[Checkpoint]) -> None:
        self.frontier = Frontier()
        self.pending = sorted(checkpoints, key=lambda c: c.tree_size)
        self.matched: Checkpoint | None = None
        self.wipe_events: dict[int, tuple[int, str | None]] = {}
        self.last_hash = GENESIS_HASH

    def run(self, rows: Iterator[Any], time_text: Callable[[Any], str]) -> None:
        """Check every row; raises _Broken at the first problem."""
        sha256, fromhex, text_of = hashlib.sha256, bytes.fromhex, chain_text_of
        nodes, size = self.frontier.nodes, self.frontier.size
        expected_prev = GENESIS_HASH
        next_size = self.pending[0].tree_size if self.pending else -1
        for row in rows:
            _id, seq, kind, device_id, donation_id, data, actor, bench_id, at, prev, digest = row
            if seq != size + 1:
                raise _Broken(f"sequence jumps from {size} to {seq}: events were deleted", row)
            if prev != expected_prev:
                raise _Broken("its previous-hash link does not match the event before it "
                              "(deleted or reordered)", row)  # fmt: skip
            text = text_of(seq, kind, device_id, donation_id, data, actor, bench_id,
                           time_text(at), prev)  # fmt: skip
            if sha256(text.encode()).hexdigest() != digest:
                raise _Broken("its content does not match its hash: the event was altered", row)
            # Frontier.append, inlined (the loop's other hot spot).
            node, rest = sha256(b"\x00" + fromhex(digest)).digest(), size
            while rest & 1:
                node = sha256(b"\x01" + nodes.pop() + node).digest()
                rest >>= 1
            nodes.append(node)
            size = self.frontier.size = seq
            if seq == next_size:
                self.check_checkpoints()
                next_size = self.pending[0].tree_size if self.pending else -1
            if kind == "wipe.recorded":
                self._note_wipe(seq, data)
            expected_prev = digest
        self.last_hash = expected_prev

    def check_checkpoints(self) -> None:
        size = self.frontier.size
        while self.pending and self.pending[0].tree_size == size:
            checkpoint = self.pending.pop(0)
            if checkpoint.root_hash != self.frontier.root_hex():
                raise _Broken(
                    f"the first {size} events do not give the Merkle root signed in the "
                    f"checkpoint of {checkpoint.timestamp}: events were rewritten "
                    "(even their hashes recomputed)",
                    checkpoint=checkpoint,
                )
            self.matched = checkpoint

    def _note_wipe(self, seq: int, data: str) -> None:
        facts = json.loads(data)
        record_id = facts.get("wipe_record_id")
        if isinstance(record_id, int):
            self.wipe_events[record_id] = (seq, facts.get("record_digest"))

    def beyond_log(self) -> Checkpoint | None:
        """The largest checkpoint covering more events than the log holds."""
        return self.pending[-1] if self.pending else None


def verify_chain(session: Session, checkpoints: list[Checkpoint] | None = None) -> ChainReport:
    """Recompute the chain and the Merkle tree by seq; compare with the head and checkpoints."""
    walk = _Walk(checkpoints or [])
    try:
        walk.check_checkpoints()  # a checkpoint of the empty tree
        walk.run(_stream(session), _time_text(session.get_bind().dialect.name))
        _check_head(session, walk)
    except _Broken as broken:
        row = broken.row
        return ChainReport(
            False,
            walk.frontier.size,
            bad_event_id=row.id if row is not None else None,
            bad_seq=row.seq if row is not None else None,
            reason=broken.reason,
            checkpoint=broken.checkpoint,
        )
    size, root = walk.frontier.size, walk.frontier.root_hex()
    beyond = walk.beyond_log()
    if beyond is not None:
        what = "emptied" if size == 0 else "truncated"
        reason = (
            f"the log was {what}: the checkpoint of {beyond.timestamp} covers "
            f"{beyond.tree_size} events, the database holds {size} "
            "(events were deleted and the chain head rewound)"
        )
        return ChainReport(False, size, reason=reason, root_hash=root, checkpoint=beyond)
    return ChainReport(True, size, root_hash=root, checkpoint=walk.matched,
                       wipe_events=walk.wipe_events)  # fmt: skip


def _check_head(session: Session, walk: _Walk) -> None:
    head = session.get(EventChainHead, 1)
    if head is None:
        raise _Broken("the chain head row is missing")
    size = walk.frontier.size
    if head.seq > size:
        raise _Broken(
            f"the chain head expects {head.seq} events ending with {head.last_hash[:12]}…, "
            f"the table has {size}: the newest events were deleted"
        )
    if head.seq < size or head.last_hash != walk.last_hash:
        raise _Broken(f"the chain head ({head.seq} events) does not match the {size} sealed events")
    if head.frontier != walk.frontier.to_json():
        raise _Broken("the chain head's Merkle frontier does not match the sealed events")


@dataclass(frozen=True)
class WipeCheck:
    """Wipe records against their "wipe.recorded" events."""

    matched: int = 0
    without_digest: int = 0
    problems: list[str] = field(default_factory=list)


def check_wipe_records(
    session: Session, wipe_events: dict[int, tuple[int, str | None]]
) -> WipeCheck:
    """Each wipe record must match the digest its event holds; each event's record must exist."""
    events = dict(wipe_events)
    events.update(_unsealed_wipe_events(session))
    matched, without_digest, problems = 0, 0, []
    query = select(WipeRecord).order_by(col(WipeRecord.id)).execution_options(yield_per=1000)
    seen: set[int] = set()
    for row in session.exec(query):
        assert row.id is not None
        seen.add(row.id)
        found = events.get(row.id)
        if found is None:
            problems.append(f"wipe record #{row.id} has no wipe.recorded event (added by SQL)")
        elif found[1] is None:
            without_digest += 1  # recorded before digests existed
        elif found[1] != wipe_record_digest(row):
            where = f"event #{found[0]}" if found[0] else "its unsealed event"
            problems.append(
                f"wipe record #{row.id} no longer matches {where}: it was changed after it was "
                "recorded"
            )
        else:
            matched += 1
    for record_id, (seq, _digest) in sorted(events.items()):
        if record_id not in seen:
            problems.append(f"wipe record #{record_id} named by event #{seq} was deleted")
    return WipeCheck(matched, without_digest, problems)


def _unsealed_wipe_events(session: Session) -> dict[int, tuple[int, str | None]]:
    # Committed while this verification ran, not sealed yet: still the record's own event.
    query = select(Event.data).where(col(Event.seq).is_(None), Event.kind == "wipe.recorded")
    found: dict[int, tuple[int, str | None]] = {}
    for data in session.exec(query):
        facts = json.loads(data)
        if isinstance(facts.get("wipe_record_id"), int):
            found[facts["wipe_record_id"]] = (0, facts.get("record_digest"))
    return found


@dataclass(frozen=True)
class LogReport:
    """What `workshop verify-log` found: everything checked, or the first problem."""

    ok: bool
    chain: ChainReport
    reason: str = ""
    wipes: WipeCheck = field(default_factory=WipeCheck)
    unsealed: int = 0
    notes: list[str] = field(default_factory=list)


def verify_log(engine: Engine, checkpoints: CheckpointFile) -> LogReport:
    """Seal what is pending, then verify the chain, the checkpoints and the wipe records."""
    notes = []
    if not checkpoints.exists():
        notes.append("no checkpoint existed before this run: the log was not anchored until now")
    empty = ChainReport(False, 0)
    try:
        seal(engine, checkpoints)
        every = checkpoints.read_all()
    except (HeadInvalid, CheckpointInvalid) as exc:
        return LogReport(False, empty, reason=str(exc), notes=notes)
    problem = every[-1].signature_problem(checkpoints.public_keys()) if every else ""
    if problem:
        return LogReport(False, empty, reason=f"the latest checkpoint does not verify: {problem}")
    with Session(_snapshot(engine)) as session:
        chain = verify_chain(session, every)
        if not chain.ok:
            return LogReport(False, chain, reason=_blame(chain, checkpoints), notes=notes)
        wipes = check_wipe_records(session, chain.wipe_events)
        unsealed = session.exec(
            select(sa.func.count()).select_from(Event).where(col(Event.seq).is_(None))
        ).one()
    if wipes.problems:
        return LogReport(False, chain, reason="; ".join(wipes.problems[:5]), wipes=wipes)
    return LogReport(True, chain, wipes=wipes, unsealed=int(unsealed), notes=notes)


def _snapshot(engine: Engine) -> Engine:
    """Read the events, the head and the wipe records as of one moment."""
    if engine.dialect.name == "postgresql":
        return engine.execution_options(isolation_level="REPEATABLE READ")
    return engine.execution_options(**{DEFERRED_BEGIN_OPTION: True})


def _blame(chain: ChainReport, checkpoints: CheckpointFile) -> str:
    # A contradicted checkpoint counts only if its own signature holds.
    contradicted = chain.checkpoint
    if contradicted is not None:
        problem = contradicted.signature_problem(checkpoints.public_keys())
        if problem:
            return (
                f"the checkpoint of {contradicted.timestamp} in {checkpoints.path} does not "
                f"verify ({problem}): the checkpoint file was altered"
            )
    return chain.reason
