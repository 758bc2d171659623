"""Devices (one per donated item) and their components."""

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from workshop.models.base import utcnow
from workshop.models.lifecycle import DeviceStatus


class DeviceType(StrEnum):
    LAPTOP = "laptop"
    DESKTOP = "desktop"
    ALL_IN_ONE = "all_in_one"
    SERVER = "server"
    TABLET = "tablet"
    SMARTPHONE = "smartphone"
    SCREEN = "screen"
    PRINTER = "printer"
    DISK = "disk"
    PERIPHERAL = "peripheral"
    OTHER = "other"


# Types that carry user data: they must be wiped (or recycled) before grading.
DATA_BEARING_TYPES = frozenset(
    {
        DeviceType.LAPTOP,
        DeviceType.DESKTOP,
        DeviceType.ALL_IN_ONE,
        DeviceType.SERVER,
        DeviceType.TABLET,
        DeviceType.SMARTPHONE,
        DeviceType.DISK,
        DeviceType.OTHER,
    }
)


class Grade(StrEnum):
    A = "A"
    B = "B"
    C = "C"


class ComponentKind(StrEnum):
    CPU = "cpu"
    MEMORY = "memory"
    DISK = "disk"
    BATTERY = "battery"
    GPU = "gpu"
    NETWORK = "network"


class Device(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    asset_tag: str = Field(max_length=9, unique=True)
    type: DeviceType = Field(sa_type=sa.String(20), index=True)
    vendor: str | None = Field(default=None, max_length=100)
    model: str | None = Field(default=None, max_length=200)
    serial: str | None = Field(default=None, max_length=100, index=True)
    # Placeholder serials ("To be filled by O.E.M.") are kept but never used to match.
    serial_placeholder: bool = Field(default=False)
    product_uuid: str | None = Field(default=None, max_length=36, index=True)
    grade: Grade | None = Field(default=None, sa_type=sa.String(1))
    status: DeviceStatus = Field(default=DeviceStatus.RECEIVED, sa_type=sa.String(20), index=True)
    weight_kg: float | None = Field(default=None, ge=0, le=1000)
    weight_measured: bool = Field(default=False)
    donation_id: int | None = Field(default=None, foreign_key="donation.id", index=True)
    recipient_id: int | None = Field(default=None, foreign_key="organisation.id", index=True)
    notes: str = Field(default="", max_length=2000)
    # Drives a person counted in the case (at intake or when opening it); None: not counted.
    # The device is wiped only once at least that many drives are erased or destroyed.
    drives_declared: int | None = Field(default=None, ge=0, le=32)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class Component(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    device_id: int = Field(foreign_key="device.id", index=True)
    kind: ComponentKind = Field(sa_type=sa.String(20))
    vendor: str | None = Field(default=None, max_length=100)
    model: str | None = Field(default=None, max_length=200)
    serial: str | None = Field(default=None, max_length=100)
    capacity_bytes: int | None = Field(default=None, sa_type=sa.BigInteger)
    details: str = Field(default="{}", max_length=4000)
    added_at: datetime = Field(default_factory=utcnow)
    removed_at: datetime | None = None
