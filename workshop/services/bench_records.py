"""Records sent by benches, made idempotent by their key: a replay returns the stored result."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from workshop.errors import Conflict, Forbidden, NotFound, ValidationFailed
from workshop.i18n import _
from workshop.models import BenchRecord
from workshop.services.actors import Actor

# kind -> handler(session, actor, record, payload, extra) returning the result dict.
Handler = Callable[[Session, Actor, BenchRecord, dict[str, Any], dict[str, Any]], dict[str, Any]]
HANDLERS: dict[str, Handler] = {}
# kind -> binder(session, actor, record, device) attaching a record that waited for an asset
# tag (no device matched it on arrival) to the device a technician names.
Binder = Callable[[Session, Actor, BenchRecord, Any], dict[str, Any]]
BINDERS: dict[str, Binder] = {}


class IdempotencyConflict(Conflict):
    code = "idempotency_conflict"


@dataclass(frozen=True)
class Outcome:
    """What the bench is told: created or duplicate, and the result."""

    duplicate: bool
    record: BenchRecord
    result: dict[str, Any]


def payload_hash(payload: dict[str, Any], extra: dict[str, Any]) -> str:
    """Hash of what was sent, to tell a true replay from a reused key."""
    text = json.dumps({"payload": payload, "extra": extra}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _existing(session: Session, bench_id: int, key: str) -> BenchRecord | None:
    query = select(BenchRecord).where(
        BenchRecord.bench_id == bench_id, BenchRecord.idempotency_key == key
    )
    return session.exec(query).first()


def _replay(record: BenchRecord, digest: str) -> Outcome:
    if record.payload_hash != digest:
        raise IdempotencyConflict(
            _("This idempotency key was already used for a different record."),
            field="idempotency_key",
        )
    return Outcome(True, record, json.loads(record.result))


def receive_record(
    session: Session,
    actor: Actor,
    *,
    key: str,
    kind: str,
    payload: dict[str, Any],
    extra: dict[str, Any],
) -> Outcome:
    """Store and apply a bench record once; the same key again returns the first result."""
    if actor.bench is None or actor.bench.id is None:
        raise Forbidden(_("Only a bench sends records."))
    handler = HANDLERS.get(kind)
    if handler is None:
        raise ValidationFailed(_("Unknown record kind %(kind)s.", kind=kind), field="kind")
    digest = payload_hash(payload, extra)
    bench_id = actor.bench.id
    found = _existing(session, bench_id, key)
    if found is not None:
        return _replay(found, digest)
    record = BenchRecord(
        bench_id=bench_id,
        idempotency_key=key,
        kind=kind,
        payload_hash=digest,
        payload=json.dumps(payload, ensure_ascii=False),
    )
    try:
        # A concurrent request with the same key waits on the unique index, then lands here.
        with session.begin_nested():
            session.add(record)
            session.flush()
    except IntegrityError:
        found = _existing(session, bench_id, key)
        assert found is not None
        return _replay(found, digest)
    result = handler(session, actor, record, payload, extra)
    record.result = json.dumps(result, ensure_ascii=False)
    session.add(record)
    session.flush()
    return Outcome(False, record, result)


def bind_record(
    session: Session, actor: Actor, record_id: int, tag: str
) -> tuple[BenchRecord, dict[str, Any]]:
    """A technician binds a waiting record (inventory, diagnostic) to the device of a tag."""
    from workshop.services.actors import require_staff  # noqa: PLC0415
    from workshop.services.devices import device_for_tag  # noqa: PLC0415

    require_staff(actor)
    record = session.get(BenchRecord, record_id)
    if record is None or record.kind not in BINDERS or not record.needs_binding:
        raise NotFound(
            _("No record waiting for an asset tag with id %(id)s.", id=record_id),
            field="record_id",
        )
    device = device_for_tag(session, tag)
    result = BINDERS[record.kind](session, actor, record, device)
    record.needs_binding = False
    record.result = json.dumps(result)
    session.add(record)
    return record, result
