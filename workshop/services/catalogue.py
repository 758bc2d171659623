"""The catalogue: available devices with a spec card each, and filters on those specs.

Specs come from the device's active components (see services/components.py): the CPU model,
the memory modules' total, the disks (kind from the inventory's transport/rotation or the
recorded kind) and the battery's wear.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from workshop.models import Component, ComponentKind, Device, DeviceStatus, DeviceType, Grade, Role
from workshop.services.actors import Actor, require_roles

GB = 1000**3
GIB = 1024**3


@dataclass(frozen=True)
class Disk:
    """One storage device of a spec card."""

    capacity_bytes: int
    kind: str  # ssd, hdd, emmc or unknown


@dataclass(frozen=True)
class SpecCard:
    """What an association needs to know to choose a device."""

    device: Device
    cpu: str | None = None
    ram_bytes: int = 0
    disks: tuple[Disk, ...] = ()
    battery_wear_percent: float | None = None

    @property
    def ram_gb(self) -> float:
        return round(self.ram_bytes / GIB, 1)

    @property
    def storage_gb(self) -> int:
        return round(sum(d.capacity_bytes for d in self.disks) / GB)

    @property
    def storage_kinds(self) -> list[str]:
        return sorted({d.kind for d in self.disks})


@dataclass(frozen=True)
class CatalogueFilters:
    """What an association may narrow the catalogue to."""

    type: DeviceType | None = None
    min_ram_gb: float | None = None
    min_storage_gb: int | None = None
    storage_kind: str | None = None
    cpu: str = ""
    grade: Grade | None = None
    max_battery_wear: float | None = None
    tags: tuple[str, ...] = field(default_factory=tuple)


def _disk_kind(details: dict[str, object]) -> str:
    kind = details.get("kind")
    if isinstance(kind, str) and kind:
        return kind.lower()
    if details.get("transport") == "nvme" or details.get("rotational") is False:
        return "ssd"
    if details.get("rotational") is True:
        return "hdd"
    return "unknown"


def spec_cards(session: Session, devices: list[Device]) -> list[SpecCard]:
    """A spec card per device, from its active components (one query)."""
    ids = [d.id for d in devices]
    parts: dict[int, list[Component]] = defaultdict(list)
    if ids:
        query = select(Component).where(
            col(Component.device_id).in_(ids), col(Component.removed_at).is_(None)
        )
        for component in session.exec(query.order_by(col(Component.id))):
            parts[component.device_id].append(component)
    return [_card(device, parts[device.id or 0]) for device in devices]


def _card(device: Device, components: list[Component]) -> SpecCard:
    cpu, ram, disks, wear = None, 0, [], None
    for c in components:
        details = json.loads(c.details or "{}")
        if c.kind == ComponentKind.CPU and cpu is None:
            cpu = c.model
        elif c.kind == ComponentKind.MEMORY:
            ram += c.capacity_bytes or 0
        elif c.kind == ComponentKind.DISK and c.capacity_bytes:
            disks.append(Disk(c.capacity_bytes, _disk_kind(details)))
        elif c.kind == ComponentKind.BATTERY and details.get("wear_percent") is not None:
            wear = float(details["wear_percent"])
    return SpecCard(device, cpu, ram, tuple(disks), wear)


def _matches(card: SpecCard, f: CatalogueFilters) -> bool:
    if f.min_ram_gb is not None and card.ram_gb < f.min_ram_gb:
        return False
    if f.min_storage_gb is not None and card.storage_gb < f.min_storage_gb:
        return False
    if f.storage_kind and f.storage_kind not in card.storage_kinds:
        return False
    if f.cpu and f.cpu.lower() not in (card.cpu or "").lower():
        return False
    if f.max_battery_wear is not None:
        # A device without a battery has nothing worn; a laptop with unknown wear is left out.
        if card.device.type == DeviceType.LAPTOP and card.battery_wear_percent is None:
            return False
        if (card.battery_wear_percent or 0) > f.max_battery_wear:
            return False
    return True


def browse_catalogue(
    session: Session, actor: Actor, filters: CatalogueFilters, *, limit: int = 500
) -> list[SpecCard]:
    """Available devices matching the filters, oldest first (they have waited longest)."""
    require_roles(actor, Role.COORDINATOR, Role.TECHNICIAN, Role.ASSOCIATION)
    query = select(Device).where(Device.status == DeviceStatus.AVAILABLE)
    if filters.type:
        query = query.where(Device.type == filters.type)
    if filters.grade:
        query = query.where(Device.grade == filters.grade)
    if filters.tags:
        query = query.where(col(Device.asset_tag).in_(filters.tags))
    devices = list(session.exec(query.order_by(col(Device.id)).limit(limit)))
    return [card for card in spec_cards(session, devices) if _matches(card, filters)]
