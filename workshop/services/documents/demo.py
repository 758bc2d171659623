"""Demo rows for documents: wipe records for demo devices (sent as their bench would send them),
validated by the coordinator, failed drives destroyed before a witness, recycling exits; each at
its moment of the device's story (workshop/demo.py)."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

from sqlmodel import Session, select

from workshop.models import (
    Component,
    ComponentKind,
    Device,
    DeviceStatus,
    WipeRecord,
)
from workshop.models.base import utcnow
from workshop.models.devices import DATA_BEARING_TYPES
from workshop.services.actors import Actor
from workshop.services.bench_records import receive_record
from workshop.services.waste import ExitInput, record_exit
from workshop.services.wipes import record_destruction, validate_wipe

S = DeviceStatus


def _wire(device: Device, disk: Component | None, passed: bool) -> dict[str, Any]:
    digest = hashlib.sha256(device.asset_tag.encode()).hexdigest()
    size = disk.capacity_bytes if disk and disk.capacity_bytes else 256_060_514_304
    return {
        "schema_version": 1,
        "wipe_id": f"demo-{digest[:24]}",
        "status": "passed" if passed else "failed",
        "disk": {
            "name": "sda",
            "path": "/dev/sda",
            "model": (disk.model if disk else None) or "SAMSUNG MZ7LN256HAJQ",
            "serial": (disk.serial if disk else None) or f"S3TA{digest[:8].upper()}",
            "size_bytes": size,
            "logical_sector_size": 512,
            "physical_sector_size": 4096,
            "sectors": size // 512,
            "transport": "sata",
        },
        "host": {"system_serial": device.serial},
        "requested_method": "auto",
        "method": "clear",
        "technique": "overwrite-aes-256-ctr",
        "tool": {"name": "atelier-wipe", "version": "0.1.0"},
        "passes": [
            {"number": 1, "pattern": "aes-256-ctr", "bytes_written": size, "complete": passed}
        ],
        "verification": {
            "mode": "full",
            "result": "passed" if passed else "not_run",
            "bytes_verified": size if passed else 0,
        },
        "bytes_written": size if passed else size // 4,
        "bytes_verified": size if passed else 0,
        "erased_bytes": size if passed else 0,
        "started_at": (utcnow() - timedelta(minutes=41)).isoformat(),
        "ended_at": utcnow().isoformat(),
        "errors": []
        if passed
        else [{"kind": "io", "message": "medium error on write", "lba": 1_048_576}],
        "technician": "Technicien démo",
    }


def send_demo_wipe(session: Session, bench: Actor, device: Device, *, passed: bool) -> None:
    """The wipe record of a demo device's disk, received as its bench would send it."""
    disk = session.exec(
        select(Component).where(
            Component.device_id == device.id, Component.kind == ComponentKind.DISK
        )
    ).first()
    session.flush()
    receive_record(
        session,
        bench,
        key=f"demo-wipe-{device.asset_tag}",
        kind="wipe.record",
        payload=_wire(device, disk, passed),
        extra={"asset_tag": device.asset_tag},
    )


def after_demo_wipe(session: Session, staff: Actor, device: Device, target: DeviceStatus) -> None:
    """What the coordinator does after a demo wipe, when a real workshop would: validate a wipe
    whose device is going back to reuse; destroy a failed drive and send the device away."""
    if device.type not in DATA_BEARING_TYPES:
        return
    row = session.exec(select(WipeRecord).where(WipeRecord.device_id == device.id)).one()
    assert row.id is not None
    if target in (S.AVAILABLE, S.RESERVED, S.HANDED_OVER):
        validate_wipe(session, staff, row.id)


def recycle_demo_device(session: Session, staff: Actor, device: Device) -> None:
    """A demo device leaves for recycling: its failed drive destroyed first, then the exit."""
    if device.type in DATA_BEARING_TYPES:
        row = session.exec(select(WipeRecord).where(WipeRecord.device_id == device.id)).one()
        assert row.id is not None
        record_destruction(session, staff, row.id, witness="Coordination de l'atelier")
    record_exit(
        session,
        staff,
        ExitInput(
            asset_tag=device.asset_tag,
            exited_on=utcnow().date(),
            consignee="Centre de tri DEEE, Ploufragan",
            transporter="Transports Armor Recyclage",
            eco_organisme="ecosystem",
        ),
    )
