"""Diagnostic results from benches, and the grade a technician confirms or overrides.

The bench's rules suggest a grade (agents/diagnostics/grading_rules.json); a person decides.
Both the suggestion and the decision are events in the device's history.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import ValidationError
from sqlmodel import Session, col, select

from atelier_protocol.diagnostic import DiagnosticResult
from atelier_protocol.reasons import Message
from workshop.errors import IllegalTransition, ValidationFailed
from workshop.i18n import _, status_name
from workshop.models import BenchRecord, Device, DeviceStatus, Event, Grade
from workshop.models.base import utcnow
from workshop.models.devices import DATA_BEARING_TYPES
from workshop.services.actors import Actor, require_staff
from workshop.services.bench_records import BINDERS, HANDLERS
from workshop.services.devices import device_by_serial, device_for_tag, transition_device
from workshop.services.events import append_event, event_data

# States in which the grade can still be set or changed.
GRADABLE = {
    DeviceStatus.WIPED,
    DeviceStatus.GRADED,
    DeviceStatus.REFURBISHED,
    DeviceStatus.AVAILABLE,
    DeviceStatus.TESTED,
}


def parse(payload: dict[str, Any]) -> DiagnosticResult:
    """Validate a diagnostic payload; the error names the field (payload.<path>)."""
    try:
        return DiagnosticResult.model_validate(payload)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = "payload." + ".".join(str(p) for p in first["loc"]) if first["loc"] else "payload"
        raise ValidationFailed(f"{field}: {first['msg']}", field=field) from exc


def _host(session: Session, result: DiagnosticResult, tag: str | None) -> Device | None:
    if tag:
        return device_for_tag(session, tag)
    return device_by_serial(session, result.host.system_serial)


def _said(message: Message | None) -> dict[str, Any] | None:
    return message.model_dump(mode="json") if message is not None else None


def summary(result: DiagnosticResult) -> dict[str, Any]:
    """What the history keeps of a diagnostic (integers and strings only: it is hashed)."""
    return {
        "diagnostic_id": result.diagnostic_id,
        "disks": [
            {
                "model": d.model,
                "serial": d.serial,
                "verdict": d.verdict,
                "action": d.action,
                "reasons": [r.message for r in d.health.reasons][:5],
                "said": [_said(r.said) for r in d.health.reasons][:5],
            }
            for d in result.disks
        ],
        "memory": result.memory.status,
        "cpu": result.cpu.status,
        "batteries": [
            {
                "name": b.name,
                "wear_percent": round(b.wear_percent) if b.wear_percent is not None else None,
            }
            for b in result.batteries
        ],
        "suggested_grade": result.grade.grade,
        "grade_reasons": result.grade.reasons[:8],
        "grade_said": [_said(m) for m in result.grade.said][:8],
        "rules_version": result.grade.rules_version,
    }


def ingest_diagnostic(
    session: Session,
    actor: Actor,
    record: BenchRecord,
    payload: dict[str, Any],
    extra: dict[str, Any],
) -> dict[str, Any]:
    """Handler of "diagnostic.result" bench records (see bench_records)."""
    result = parse(payload)
    tag = extra.get("asset_tag")
    device = _host(session, result, str(tag) if tag else None)
    if device is None:
        record.needs_binding = True  # waits on the bench page for a typed or scanned tag
        return {
            "attached": False,
            "suggested_grade": result.grade.grade,
            "message": "no device matched: bind it to an asset tag on the bench page",
        }
    return _attach(session, actor, record, device, result)


def _attach(
    session: Session, actor: Actor, record: BenchRecord, device: Device, result: DiagnosticResult
) -> dict[str, Any]:
    record.device_id = device.id
    append_event(session, actor, "device.diagnosed", device_id=device.id, data=summary(result))
    return {"attached": True, "asset_tag": device.asset_tag, "suggested_grade": result.grade.grade}


def bind_diagnostic(
    session: Session, actor: Actor, record: BenchRecord, device: Device
) -> dict[str, Any]:
    """Attach a diagnostic that waited for a tag (bench_records.bind_record)."""
    return _attach(session, actor, record, device, parse(json.loads(record.payload)))


def latest_diagnostic(session: Session, device: Device) -> dict[str, Any] | None:
    """The summary of the device's most recent diagnostic, if any."""
    event = session.exec(
        select(Event)
        .where(Event.device_id == device.id, Event.kind == "device.diagnosed")
        .order_by(col(Event.id).desc())
    ).first()
    return event_data(event) if event else None


def set_grade(
    session: Session, actor: Actor, device: Device, grade: Grade | str, *, reason: str = ""
) -> Event:
    """A person confirms or overrides the suggested grade; a wiped device becomes graded."""
    require_staff(actor)
    try:
        grade = Grade(grade)
    except ValueError as exc:
        raise ValidationFailed(_("The grade is A, B or C."), field="grade") from exc
    status = DeviceStatus(device.status)
    if status not in GRADABLE:
        raise IllegalTransition(
            _("A device that is %(status)s cannot be graded.", status=status_name(status)),
            field="grade",
        )
    latest = latest_diagnostic(session, device)
    suggested = latest.get("suggested_grade") if latest else None
    previous = device.grade
    device.grade, device.updated_at = grade, utcnow()
    session.add(device)
    event = append_event(
        session,
        actor,
        "device.graded",
        device_id=device.id,
        data={
            "grade": grade.value,
            "previous": previous,
            "suggested": suggested,
            "overridden": suggested is not None and suggested != grade.value,
            "reason": reason,
        },
    )
    wiped_or_clean = status == DeviceStatus.WIPED or (
        status == DeviceStatus.TESTED and device.type not in DATA_BEARING_TYPES
    )
    if wiped_or_clean:
        transition_device(session, actor, device, DeviceStatus.GRADED, reason=f"grade {grade}")
    return event


HANDLERS["diagnostic.result"] = ingest_diagnostic
BINDERS["diagnostic.result"] = bind_diagnostic
