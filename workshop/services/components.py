"""Reconcile a device's components with a new inventory snapshot.

Each component gets a stable key (serial when usable, else what identifies it in the
machine); a key that appears is an added component, a key that disappears a removed one.
Removed components are kept with their removal date: the history stays complete.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from atelier_protocol.identity import is_placeholder
from atelier_protocol.snapshot import InventorySnapshot
from workshop.models import Component, ComponentKind, Device
from workshop.models.base import utcnow
from workshop.services.actors import Actor
from workshop.services.events import append_event


@dataclass(frozen=True)
class Seen:
    """A component as the snapshot shows it."""

    key: str
    kind: ComponentKind
    vendor: str | None
    model: str | None
    serial: str | None
    capacity_bytes: int | None
    details: dict[str, Any]


def _serial(identifier: Any) -> str | None:
    value = (identifier.value or "").strip() if identifier is not None else ""
    return None if not value or identifier.placeholder or is_placeholder(value) else value


def seen_components(snapshot: InventorySnapshot) -> list[Seen]:
    """Every component of the snapshot with its key."""
    items: list[Seen] = []
    cpu = snapshot.cpu
    if cpu.model:
        items.append(
            Seen(
                f"cpu:{cpu.model}",
                ComponentKind.CPU,
                cpu.vendor,
                cpu.model,
                None,
                None,
                {"cores": cpu.cores, "threads": cpu.threads, "max_mhz": cpu.max_mhz},
            )
        )
    for m in snapshot.memory.modules or []:
        serial = _serial(m.serial)
        key = f"mem:sn:{serial}" if serial else f"mem:{m.locator}:{m.size_bytes}:{m.part_number}"
        items.append(
            Seen(
                key,
                ComponentKind.MEMORY,
                m.manufacturer,
                m.part_number,
                serial,
                m.size_bytes,
                {"type": m.type, "speed_mts": m.speed_mts, "locator": m.locator},
            )
        )
    for d in snapshot.disks:
        serial = _serial(d.serial)
        key = (
            f"disk:sn:{serial}"
            if serial
            else f"disk:wwn:{d.wwn}"
            if d.wwn
            else f"disk:{d.model}:{d.size_bytes}"
        )
        items.append(
            Seen(
                key,
                ComponentKind.DISK,
                d.vendor,
                d.model,
                serial,
                d.size_bytes,
                {
                    "transport": d.transport,
                    "rotational": d.rotational,
                    "wwn": d.wwn,
                    "removable": d.removable,
                },
            )
        )
    for b in snapshot.batteries:
        serial = _serial(b.serial)
        items.append(
            Seen(
                f"bat:sn:{serial}" if serial else f"bat:{b.name}:{b.model}",
                ComponentKind.BATTERY,
                b.manufacturer,
                b.model,
                serial,
                None,
                {
                    "wear_percent": b.wear_percent,
                    "cycles": b.cycle_count,
                    "design_capacity": b.design_capacity,
                    "unit": b.capacity_unit,
                },
            )
        )
    for g in snapshot.gpus:
        items.append(
            Seen(
                f"gpu:{g.pci_address}:{g.vendor_id}:{g.device_id}",
                ComponentKind.GPU,
                g.vendor_name,
                g.device_name,
                None,
                None,
                {"pci_id": f"{g.vendor_id}:{g.device_id}"},
            )
        )
    for n in snapshot.network:
        items.append(
            Seen(
                f"net:{n.mac or n.name}",
                ComponentKind.NETWORK,
                None,
                n.driver,
                None,
                None,
                {"mac": n.mac, "kind": n.kind},
            )
        )
    return items


def active_components(session: Session, device: Device) -> list[Component]:
    """Components currently in the device."""
    query = select(Component).where(
        Component.device_id == device.id, col(Component.removed_at).is_(None)
    )
    return list(session.exec(query.order_by(col(Component.id))))


def _key(component: Component) -> str:
    return str(json.loads(component.details).get("key", f"legacy:{component.id}"))


def reconcile_components(
    session: Session, actor: Actor, device: Device, snapshot: InventorySnapshot
) -> tuple[int, int]:
    """Add what is new, retire what is gone; returns (added, removed) counts."""
    assert device.id is not None
    current = {_key(c): c for c in active_components(session, device)}
    first_inventory = not current
    seen = {s.key: s for s in seen_components(snapshot)}
    for key in seen.keys() - current.keys():
        item = seen[key]
        session.add(
            Component(
                device_id=device.id,
                kind=item.kind,
                vendor=item.vendor,
                model=item.model,
                serial=item.serial,
                capacity_bytes=item.capacity_bytes,
                details=json.dumps({"key": key, **item.details}),
            )
        )
        if not first_inventory:
            _component_event(session, actor, device, "component.added", item)
    for key in current.keys() - seen.keys():
        gone = current[key]
        gone.removed_at = utcnow()
        session.add(gone)
        _component_event(session, actor, device, "component.removed", gone)
    session.flush()
    return len(seen.keys() - current.keys()), len(current.keys() - seen.keys())


def _component_event(
    session: Session, actor: Actor, device: Device, kind: str, item: Seen | Component
) -> None:
    append_event(
        session,
        actor,
        kind,
        device_id=device.id,
        data={"component": str(item.kind), "model": item.model, "serial": item.serial},
    )
