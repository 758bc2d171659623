"""Wipe records from benches: store them, move the device, validate, record destruction.

The agent sends one record per disk and attempt (atelier_protocol/wipe.py) as a bench record of
kind "wipe.record"; ``extra.asset_tag`` names the host device when the bench knows it, otherwise
the host's SMBIOS serial or the disk's serial (a known component) finds it. A record that matches
no device is kept unattached (a bare disk) rather than guessed.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from atelier_protocol.identity import is_placeholder
from atelier_protocol.wipe import WipeRecord as WireRecord
from atelier_protocol.wipe import WipeRecordInvalid, parse_wipe_record
from workshop.errors import Conflict, NotFound, ValidationFailed
from workshop.i18n import _
from workshop.models import (
    Bench,
    BenchRecord,
    Component,
    ComponentKind,
    Device,
    DeviceStatus,
    WipeRecord,
    WipeResult,
)
from workshop.models.base import utcnow
from workshop.models.lifecycle import UNWIPED
from workshop.services import asset_tags
from workshop.services.actors import Actor, require_coordinator, require_staff
from workshop.services.bench_records import HANDLERS
from workshop.services.devices import device_by_serial, device_for_tag, transition_device
from workshop.services.erasure_state import DriveState, erasure_state
from workshop.services.events import append_event
from workshop.services.wipe_digest import wipe_record_digest


def parse(payload: dict[str, Any]) -> WireRecord:
    """Validate a wipe record payload; the error names the field."""
    try:
        return parse_wipe_record(payload)
    except WipeRecordInvalid as exc:
        raise ValidationFailed(f"payload: {exc}", field="payload") from exc


def _by_disk(session: Session, serial: str | None) -> Device | None:
    if not serial or is_placeholder(serial):
        return None
    query = select(Component.device_id).where(
        Component.kind == ComponentKind.DISK,
        func.lower(Component.serial) == serial.lower(),
        col(Component.removed_at).is_(None),
    )
    ids = set(session.exec(query).all())
    return session.get(Device, ids.pop()) if len(ids) == 1 else None


def find_host(session: Session, wire: WireRecord, tag: str | None) -> Device | None:
    """The device the wiped disk belongs to: typed tag, host serial, then known disk serial."""
    if tag:
        return device_for_tag(session, tag)
    return device_by_serial(session, wire.host.system_serial) or _by_disk(session, wire.disk.serial)


def purge_summary(wire: WireRecord) -> str:
    """What the drive was seen doing during a Purge, as compact JSON ("" without Purge)."""
    purge = getattr(wire, "purge", None)
    if purge is None:
        return ""
    keys = ("utility", "result", "states_seen", "sectors_sampled", "sectors_unchanged")
    facts = {key: getattr(purge, key) for key in keys} | {"cleared": purge.followed_by_clear}
    text = json.dumps(facts, ensure_ascii=False, separators=(",", ":"))
    return text if len(text) <= 500 else json.dumps({**facts, "states_seen": []})


def _row(wire: WireRecord, device: Device | None, bench_id: int | None) -> WipeRecord:
    hidden = wire.hidden_area
    return WipeRecord(
        wipe_uid=wire.wipe_id[:100],
        device_id=device.id if device else None,
        bench_id=bench_id,
        result=WipeResult(wire.status),
        reservations=json.dumps(wire.reservations),
        disk_model=(wire.disk.model or "")[:200] or None,
        disk_serial=(wire.disk.serial or "")[:100] or None,
        disk_wwn=(wire.disk.wwn or "")[:100] or None,
        disk_size_bytes=wire.disk.size_bytes,
        disk_transport=wire.disk.transport[:40],
        method=wire.method,
        technique=wire.technique[:100],
        fallback_reason=(wire.fallback_reason or "")[:500] or None,
        fallback_reasons=json.dumps([m.model_dump(mode="json") for m in wire.fallback]),
        tool=wire.tool.name[:100],
        tool_version=wire.tool.version[:50],
        passes=len(wire.passes),
        verification_mode=wire.verification.mode,
        verification_result=wire.verification.result,
        bytes_written=wire.bytes_written,
        bytes_verified=wire.bytes_verified,
        hidden_bytes_not_erased=wire.hidden_bytes_not_erased,
        hidden_area=(hidden.note or ("detected" if hidden.detected else ""))[:500]
        if hidden
        else "",
        errors=json.dumps([e.model_dump() for e in wire.errors], ensure_ascii=False),
        purge_summary=purge_summary(wire),
        started_at=wire.started_at,
        ended_at=wire.ended_at,
        technician=(wire.technician or "")[:100] or None,
    )


def ingest_wipe(
    session: Session,
    actor: Actor,
    record: BenchRecord,
    payload: dict[str, Any],
    extra: dict[str, Any],
) -> dict[str, Any]:
    """Handler of "wipe.record" bench records (see bench_records)."""
    wire = parse(payload)
    tag = extra.get("asset_tag")
    device = find_host(session, wire, str(tag) if tag else None)
    bench_id = actor.bench.id if actor.bench else None
    row = _row(wire, device, bench_id)
    row.bench_record_id = record.id
    session.add(row)
    session.flush()
    record.device_id = device.id if device else None
    append_event(
        session,
        actor,
        "wipe.recorded",
        device_id=device.id if device else None,
        data={
            "wipe_record_id": row.id,
            "result": wire.status,
            "reservations": wire.reservations,
            "method": wire.method,
            "technique": wire.technique,
            "disk_serial": row.disk_serial,
            "record_digest": wipe_record_digest(row),
        },
    )
    if device is not None:
        _advance(session, actor, device)
    return {
        "wipe_record_id": row.id,
        "result": wire.status,
        "asset_tag": asset_tags.display(device.asset_tag) if device else None,
    }


def _advance(session: Session, actor: Actor, device: Device) -> None:
    """Move the device by the state of all its drives, never by one record alone."""
    state = erasure_state(session, device)
    status = DeviceStatus(device.status)
    if state.complete and status in (DeviceStatus.TESTED, DeviceStatus.WIPE_FAILED):
        target, reason = DeviceStatus.WIPED, "every drive erased or destroyed"
    elif state.failed and status in (DeviceStatus.TESTED, DeviceStatus.WIPED):
        target, reason = DeviceStatus.WIPE_FAILED, _reason("wipe failed", state.failed)
    elif state.pending and status == DeviceStatus.WIPED:
        # A drive the inventory did not show (or a new attempt) is not erased after all.
        target, reason = DeviceStatus.WIPE_FAILED, _reason("not erased", state.pending)
    else:
        if state.pending and status not in UNWIPED | {DeviceStatus.WIPE_FAILED}:
            # Past grading already: the history says it; a person decides what to do.
            append_event(
                session,
                actor,
                "device.erasure_incomplete",
                device_id=device.id,
                data={"status": status.value, "drives": state.summary()},
            )
        return
    transition_device(session, actor, device, target, reason=reason)
    # The label now says "Effacé le ..." (or the failure): print it on the bench's printer.
    from workshop.services.printing import queue_bench_label  # noqa: PLC0415

    queue_bench_label(session, actor, device)


def _reason(what: str, drives: list[DriveState]) -> str:
    """E.g. "not erased: S3Z1, WD-2; drives counted in the case, not seen by a bench: 1" (each
    piece a template of workshop/bench_text.py, so the history reads it in French)."""
    named = [d.serial or d.model or d.key for d in drives if not d.declared]
    unseen = sum(1 for d in drives if d.declared)
    pieces = [f"{what}: {', '.join(named)}"] if named else []
    if unseen:
        pieces.append(f"drives counted in the case, not seen by a bench: {unseen}")
    return "; ".join(pieces) or what


def get_wipe(session: Session, wipe_id: int) -> WipeRecord:
    """A wipe record by id."""
    row = session.get(WipeRecord, wipe_id)
    if row is None:
        raise NotFound(_("No wipe record %(id)s.", id=wipe_id), field="wipe_id")
    return row


def validate_wipe(session: Session, actor: Actor, wipe_id: int) -> WipeRecord:
    """A coordinator verifies a wipe record (NIST 800-88: the person verifying, and when)."""
    require_coordinator(actor)
    row = get_wipe(session, wipe_id)
    if row.validated_at is not None:
        raise Conflict(_("This wipe record was already validated."), field="wipe_id")
    assert actor.user is not None or actor.system
    row.validated_by = actor.user.full_name if actor.user else "system"
    row.validated_at = utcnow()
    session.add(row)
    append_event(
        session, actor, "wipe.validated", device_id=row.device_id, data={"wipe_record_id": row.id}
    )
    return row


def record_destruction(session: Session, actor: Actor, wipe_id: int, *, witness: str) -> WipeRecord:
    """A drive that was not erased was physically destroyed, in front of a named witness."""
    require_staff(actor)
    row = get_wipe(session, wipe_id)
    witness = witness.strip()
    if not witness:
        raise ValidationFailed(_("Name who witnessed the destruction."), field="witness")
    if row.result == WipeResult.PASSED:
        raise Conflict(
            _("This drive was erased: there is no destruction to record."), field="wipe_id"
        )
    if row.destroyed_at is not None:
        raise Conflict(_("The destruction of this drive is already recorded."), field="wipe_id")
    row.destroyed_at, row.destruction_witness = utcnow(), witness[:200]
    session.add(row)
    append_event(
        session,
        actor,
        "disk.destroyed",
        device_id=row.device_id,
        data={"wipe_record_id": row.id, "disk_serial": row.disk_serial, "witness": witness[:200]},
    )
    device = session.get(Device, row.device_id) if row.device_id is not None else None
    if device is not None:
        session.flush()
        _advance(session, actor, device)  # the destroyed drive may have been the last one
    return row


def declare_drives(session: Session, actor: Actor, device: Device, count: int) -> Device:
    """A person counted the drives in the case: the device is wiped only once that many (at
    least) are erased or destroyed; the count is an event and the device moves by it."""
    require_staff(actor)
    if isinstance(count, bool) or not isinstance(count, int) or not 0 <= count <= 32:
        raise ValidationFailed(
            _("The number of drives must be a whole number from 0 to 32."), field="count"
        )
    previous, device.drives_declared = device.drives_declared, count
    session.add(device)
    append_event(
        session,
        actor,
        "device.drives_declared",
        device_id=device.id,
        data={"count": count, "previous": previous},
    )
    session.flush()
    _advance(session, actor, device)
    return device


def device_wipes(session: Session, device: Device) -> list[WipeRecord]:
    """Every wipe attempt on the device's disks, newest first."""
    query = select(WipeRecord).where(WipeRecord.device_id == device.id)
    return list(session.exec(query.order_by(col(WipeRecord.started_at).desc())))


def bench_names(session: Session, ids: set[int]) -> dict[int, str]:
    """Bench names by id."""
    if not ids:
        return {}
    rows = session.exec(select(Bench).where(col(Bench.id).in_(ids))).all()
    return {b.id: b.name for b in rows if b.id is not None}


HANDLERS["wipe.record"] = ingest_wipe
