"""Append events to the history; the sealer chains them after commit (see sealing.py).

A writer's transaction only inserts its events, unsealed (no seq, prev_hash or hash): writers
never wait on one another for the log. After the commit, the sealer gives the committed
unsealed events, in id order, the next sequence numbers and chains them: each event's hash is
SHA-256 over the canonical JSON of its content and the previous event's hash, and the hashes
are the leaves of a Merkle tree whose signed heads (checkpoints) live outside the database.
An unsealed event is data like any other: it is only not yet covered by a checkpoint.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from json.encoder import encode_basestring as _quote
from typing import TYPE_CHECKING, Any

from sqlmodel import Session

from workshop.models import Event
from workshop.models.base import utcnow
from workshop.services.actors import Actor
from workshop.services.canonical import canonical_json

if TYPE_CHECKING:
    from workshop.services.checkpoints import Checkpoint
    from workshop.services.log_verification import ChainReport

# Session.info key: ids of the events this session inserted and the sealer has not seen.
UNSEALED_IDS = "atelier_unsealed_event_ids"


def chain_text(
    *,
    seq: int,
    kind: str,
    device_id: int | None,
    donation_id: int | None,
    data: str,
    actor: str,
    bench_id: int | None,
    created_at: datetime,
    prev_hash: str,
) -> str:
    """The canonical JSON an event's hash covers (keys in sorted order, as canonical_json)."""
    at = created_at.astimezone(UTC).isoformat(timespec="microseconds")
    return chain_text_of(seq, kind, device_id, donation_id, data, actor, bench_id, at, prev_hash)


def chain_text_of(
    seq: int,
    kind: str,
    device_id: int | None,
    donation_id: int | None,
    data: str,
    actor: str,
    bench_id: int | None,
    created_at: str,
    prev_hash: str,
) -> str:
    """chain_text with the time already as ISO text, built by hand.

    Verification runs this a million times: it skips canonical_json's sort and float scan
    (every value is a str, an int or None) but escapes strings with the same encoder;
    a unit test pins the output to canonical_json."""
    return (
        f'{{"actor":{_quote(actor)},"bench_id":{_number(bench_id)},'
        f'"created_at":{_quote(created_at)},"data":{_quote(data)},'
        f'"device_id":{_number(device_id)},"donation_id":{_number(donation_id)},'
        f'"kind":{_quote(kind)},"prev_hash":{_quote(prev_hash)},"seq":{_number(seq)}}}'
    )


def _number(value: int | None) -> str:
    return "null" if value is None else str(int(value))


def event_hash(event: Event) -> str:
    """The hash of one sealed event's content chained to the previous event's hash."""
    if event.seq is None or event.prev_hash is None:
        raise ValueError(f"event {event.id} is not sealed yet")
    text = chain_text(
        seq=event.seq,
        kind=event.kind,
        device_id=event.device_id,
        donation_id=event.donation_id,
        data=event.data,
        actor=event.actor,
        bench_id=event.bench_id,
        created_at=event.created_at,
        prev_hash=event.prev_hash,
    )
    return hashlib.sha256(text.encode()).hexdigest()


def append_event(
    session: Session,
    actor: Actor,
    kind: str,
    *,
    device_id: int | None = None,
    donation_id: int | None = None,
    data: dict[str, Any] | None = None,
) -> Event:
    """Record one event, unsealed (flushes; the caller's transaction commits, then it is sealed)."""
    event = Event(
        kind=kind,
        device_id=device_id,
        donation_id=donation_id,
        data=canonical_json(data or {}),
        actor=actor.label,
        bench_id=actor.bench.id if actor.bench is not None else None,
        created_at=utcnow(),
    )
    session.add(event)
    session.flush()
    session.info.setdefault(UNSEALED_IDS, []).append(event.id)
    return event


def event_data(event: Event) -> dict[str, Any]:
    """The decoded facts of an event."""
    value: dict[str, Any] = json.loads(event.data)
    return value


def verify_chain(session: Session, checkpoints: list[Checkpoint] | None = None) -> ChainReport:
    """Recompute the chain and Merkle tree of the sealed events (see log_verification)."""
    from workshop.services.log_verification import verify_chain as verify  # noqa: PLC0415

    return verify(session, checkpoints)


def actor_names(session: Session, actor: Actor, labels: list[str]) -> dict[str, str]:
    """Who did what, for the workshop's staff: each event actor label (a user's pseudonym,
    "bench:<id>", "system") with the name to show. Anyone else gets nothing: outside the
    workshop, in public and in exports, events keep naming the pseudonym only."""
    if not actor.is_staff:
        return {}
    from sqlmodel import col, select  # noqa: PLC0415

    from workshop.i18n import _  # noqa: PLC0415
    from workshop.models import Bench, User  # noqa: PLC0415

    wanted = set(labels)
    names = {"system": str(_("the system"))}
    bench_ids = {
        int(label[6:]) for label in wanted if label[:6] == "bench:" and label[6:].isdigit()
    }
    if bench_ids:
        for bench_id, bench_name in session.exec(
            select(Bench.id, Bench.name).where(col(Bench.id).in_(bench_ids))
        ):
            names[f"bench:{bench_id}"] = str(_("bench %(name)s", name=bench_name))
    people = wanted - names.keys()
    if people:
        for pseudonym, full_name in session.exec(
            select(User.pseudonym, User.full_name).where(col(User.pseudonym).in_(people))
        ):
            names[pseudonym] = full_name
    return {label: names[label] for label in wanted if label in names}
