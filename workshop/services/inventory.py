"""Inventory snapshots from benches: match the device, update its identity, reconcile components.

Matching follows DESIGN.md: a PC by SMBIOS serial (with vendor) or product UUID, never on a
placeholder value. A snapshot bound to an asset tag (typed or scanned at the bench) goes to that
device. A snapshot with no usable identity, or matching several devices, is kept and waits for a
technician to bind it: nothing is merged on a guess, nothing is lost.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import ValidationError
from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from atelier_protocol.identity import is_placeholder
from atelier_protocol.snapshot import InventorySnapshot
from workshop.errors import ValidationFailed
from workshop.models import BenchRecord, Device, DeviceStatus, DeviceType
from workshop.models.base import utcnow
from workshop.services import asset_tags
from workshop.services.actors import Actor
from workshop.services.bench_records import BINDERS, HANDLERS
from workshop.services.components import reconcile_components
from workshop.services.devices import create_device, device_for_tag, transition_device
from workshop.services.events import append_event

CHASSIS_TYPES = {
    "laptop": DeviceType.LAPTOP,
    "notebook": DeviceType.LAPTOP,
    "portable": DeviceType.LAPTOP,
    "convertible": DeviceType.LAPTOP,
    "sub notebook": DeviceType.LAPTOP,
    "tablet": DeviceType.TABLET,
    "all in one": DeviceType.ALL_IN_ONE,
    "server": DeviceType.SERVER,
    "rack mount chassis": DeviceType.SERVER,
}


def parse(payload: dict[str, Any]) -> InventorySnapshot:
    """Validate a snapshot payload; the error names the field (payload.<path>)."""
    try:
        return InventorySnapshot.model_validate(payload)
    except ValidationError as exc:
        first = exc.errors()[0]
        path = ".".join(str(p) for p in first["loc"])
        field = f"payload.{path}" if path else "payload"
        raise ValidationFailed(f"{field}: {first['msg']}", field=field) from exc


def _usable(identifier: Any) -> str | None:
    value = (identifier.value or "").strip() if identifier is not None else ""
    if not value or identifier.placeholder or is_placeholder(value):
        return None
    return value


def identity(snapshot: InventorySnapshot) -> tuple[str | None, str | None]:
    """The (serial, product UUID) that may be used to match, placeholders removed."""
    if snapshot.system is None:
        return None, None
    return _usable(snapshot.system.serial), _usable(snapshot.system.uuid)


def candidates(session: Session, snapshot: InventorySnapshot) -> list[Device]:
    """Devices whose identity matches the snapshot's usable identity."""
    serial, uuid = identity(snapshot)
    clauses: list[Any] = []
    if serial:
        vendor = (snapshot.system.vendor or "").strip().lower() if snapshot.system else ""
        by_serial = col(Device.serial) == serial
        if vendor:
            by_serial &= or_(col(Device.vendor).is_(None), func.lower(Device.vendor) == vendor)
        clauses.append(by_serial & ~col(Device.serial_placeholder))
    if uuid:
        clauses.append(func.lower(Device.product_uuid) == uuid.lower())
    if not clauses:
        return []
    return list(session.exec(select(Device).where(or_(*clauses)).order_by(col(Device.id))))


def _device_type(snapshot: InventorySnapshot) -> DeviceType:
    chassis = (snapshot.system.chassis.type or "").lower() if snapshot.system else ""
    return CHASSIS_TYPES.get(chassis, DeviceType.DESKTOP)


def _update_identity(device: Device, snapshot: InventorySnapshot) -> None:
    system = snapshot.system
    if system is None:
        return
    device.vendor = device.vendor or system.vendor
    device.model = device.model or system.product
    serial_raw = (system.serial.value or "").strip()
    if serial_raw and not device.serial:
        device.serial = serial_raw[:100]
        device.serial_placeholder = _usable(system.serial) is None
    uuid = _usable(system.uuid)
    if uuid and not device.product_uuid:
        device.product_uuid = uuid[:36]
    device.updated_at = utcnow()


def ingest_snapshot(
    session: Session,
    actor: Actor,
    record: BenchRecord,
    payload: dict[str, Any],
    extra: dict[str, Any],
) -> dict[str, Any]:
    """Handler of "inventory.snapshot" records (see bench_records)."""
    snapshot = parse(payload)
    tag = extra.get("asset_tag")
    if tag:
        device = device_for_tag(session, str(tag))
        return apply_snapshot(session, actor, record, device, snapshot, "bound")
    found = candidates(session, snapshot)
    if len(found) == 1:
        return apply_snapshot(session, actor, record, found[0], snapshot, "existing")
    if not found and any(identity(snapshot)):
        device = create_device(session, actor, type=_device_type(snapshot))
        result = apply_snapshot(session, actor, record, device, snapshot, "created")
        # A device first seen at a bench gets its label there (deferred render: no request).
        from workshop.services.printing import queue_bench_label

        job = queue_bench_label(session, actor, device)
        return {**result, "label_job": job.id} if job else result
    record.needs_binding = True
    return {
        "match": "ambiguous" if found else "unidentified",
        "candidates": [asset_tags.display(d.asset_tag) for d in found],
        "message": "bind this snapshot to an asset tag on the bench page",
    }


def apply_snapshot(
    session: Session,
    actor: Actor,
    record: BenchRecord,
    device: Device,
    snapshot: InventorySnapshot,
    match: str,
) -> dict[str, Any]:
    """Attach a snapshot to a device: identity, components, events, first inventory step."""
    assert device.id is not None
    _update_identity(device, snapshot)
    added, removed = reconcile_components(session, actor, device, snapshot)
    record.device_id, record.needs_binding = device.id, False
    append_event(
        session,
        actor,
        "device.inventoried",
        device_id=device.id,
        data={
            "record_id": record.id,
            "match": match,
            "added": added,
            "removed": removed,
            "disks": len(snapshot.disks),
            "memory_bytes": snapshot.memory.total_bytes,
        },
    )
    if device.status == DeviceStatus.RECEIVED:
        transition_device(session, actor, device, DeviceStatus.INVENTORIED, reason="inventory")
    return {
        "match": match,
        "asset_tag": device.asset_tag,
        "label": asset_tags.display(device.asset_tag),
    }


def bind_snapshot(
    session: Session, actor: Actor, record: BenchRecord, device: Device
) -> dict[str, Any]:
    """Attach a snapshot that waited for a tag (bench_records.bind_record)."""
    return apply_snapshot(
        session, actor, record, device, parse(json.loads(record.payload)), "bound"
    )


HANDLERS["inventory.snapshot"] = ingest_snapshot
BINDERS["inventory.snapshot"] = bind_snapshot
