"""Inventory snapshot: the versioned wire format the bench agent sends to the server.

Defined once with pydantic v2 and validated on both sides: by the agent before
printing or sending, by the server on receipt. Unknown fields are tolerated
(kept, so a newer agent's additions survive an older server); malformed input
is refused with `SnapshotError`, whose message names the offending field.

`schema_version` is "MAJOR.MINOR": a minor bump only adds optional fields; a
receiver refuses a major version it does not know.

Every identity string that could serve to match a device (system, board and
chassis serials, product UUID, disk, battery and memory serials) travels as
`{"value": <raw string>, "placeholder": <bool>}`: the raw value is kept, and
`placeholder: true` tells the server never to merge two devices on it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, ValidationError, field_validator

from atelier_protocol import INVENTORY_SCHEMA_VERSION, check_schema_version
from atelier_protocol.errors import SnapshotError

__all__ = ["SCHEMA_VERSION", "InventorySnapshot", "SnapshotError", "parse_snapshot"]

SCHEMA_VERSION = INVENTORY_SCHEMA_VERSION
SUPPORTED_MAJOR = int(SCHEMA_VERSION.split(".")[0])


class _Model(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)


class Identifier(_Model):
    """An identity string kept raw, with the agent's placeholder judgement."""

    value: str | None
    placeholder: StrictBool


class Board(_Model):
    vendor: str | None = None
    product: str | None = None
    version: str | None = None
    serial: Identifier


class Chassis(_Model):
    vendor: str | None = None
    type: str | None = None
    serial: Identifier
    asset_tag: str | None = None


class Bios(_Model):
    vendor: str | None = None
    version: str | None = None
    date: str | None = None


class System(_Model):
    vendor: str | None = None
    product: str | None = None
    version: str | None = None
    family: str | None = None
    sku: str | None = None
    serial: Identifier
    uuid: Identifier
    board: Board
    chassis: Chassis
    bios: Bios


class Cpu(_Model):
    model: str | None = None
    vendor: str | None = None
    architecture: str | None = None
    sockets: int | None = Field(default=None, ge=1)
    cores: int | None = Field(default=None, ge=1)
    threads: int | None = Field(default=None, ge=1)
    max_mhz: int | None = Field(default=None, ge=0)
    current_mhz: int | None = Field(default=None, ge=0)


class MemoryModule(_Model):
    locator: str | None = None
    bank: str | None = None
    size_bytes: int = Field(gt=0)
    type: str | None = None
    form_factor: str | None = None
    speed_mts: int | None = Field(default=None, ge=0)
    configured_speed_mts: int | None = Field(default=None, ge=0)
    manufacturer: str | None = None
    part_number: str | None = None
    serial: Identifier


class Memory(_Model):
    total_bytes: int = Field(gt=0)
    modules: list[MemoryModule] | None = None  # None: dmidecode unavailable, not "no modules"


Transport = Literal["sata", "sas", "scsi", "nvme", "usb", "virtio", "mmc", "loop", "unknown"]


class DiskInfo(_Model):
    name: str = Field(min_length=1)
    path: str = Field(min_length=1)
    model: str | None = None
    vendor: str | None = None
    firmware: str | None = None
    serial: Identifier
    wwn: str | None = None
    size_bytes: int = Field(gt=0)
    logical_sector_size: int = Field(ge=512)
    physical_sector_size: int = Field(ge=512)
    rotational: StrictBool | None = None
    transport: Transport
    removable: StrictBool
    sources: dict[str, str] = Field(default_factory=dict)


class Battery(_Model):
    name: str
    manufacturer: str | None = None
    model: str | None = None
    serial: Identifier
    technology: str | None = None
    design_capacity: int | None = Field(default=None, ge=0)
    full_capacity: int | None = Field(default=None, ge=0)
    capacity_unit: Literal["mWh", "mAh"] | None = None
    wear_percent: float | None = Field(default=None, ge=0, le=100)
    cycle_count: int | None = Field(default=None, ge=0)


class NetworkInterface(_Model):
    name: str
    mac: str | None = Field(default=None, pattern=r"^[0-9a-f]{2}(:[0-9a-f]{2}){5,19}$")
    kind: Literal["wired", "wireless"]
    driver: str | None = None
    speed_mbps: int | None = None


class Gpu(_Model):
    pci_address: str
    class_id: str
    vendor_id: str = Field(pattern=r"^[0-9a-f]{4}$")
    device_id: str = Field(pattern=r"^[0-9a-f]{4}$")
    vendor_name: str | None = None
    device_name: str | None = None


class InventorySnapshot(_Model):
    """What the bench agent found on one machine, at one moment."""

    # The pattern is for the JSON Schema the agent checks with; the validator below says why.
    schema_version: str = Field(json_schema_extra={"pattern": rf"^{SUPPORTED_MAJOR}\.[0-9]+$"})
    kind: Literal["inventory"] = "inventory"
    collected_at: datetime
    agent_version: str
    hostname: str | None = None
    system: System | None = None  # None: the machine exposes no SMBIOS tables
    cpu: Cpu
    memory: Memory
    disks: list[DiskInfo]
    batteries: list[Battery]
    network: list[NetworkInterface]
    gpus: list[Gpu]
    notes: list[str] = Field(default_factory=list)

    @field_validator("schema_version")
    @classmethod
    def _known_major(cls, value: str) -> str:
        return check_schema_version(value, SUPPORTED_MAJOR)


def _describe(error: ValidationError) -> str:
    parts = []
    for item in error.errors()[:5]:
        field = ".".join(str(part) for part in item["loc"]) or "<root>"
        parts.append(f"field '{field}': {item['msg']}")
    more = error.error_count() - len(parts)
    return "; ".join(parts) + (f" (and {more} more)" if more > 0 else "")


def parse_snapshot(data: dict[str, Any] | str | bytes) -> InventorySnapshot:
    """Validate a snapshot given as a dict or JSON text; raise SnapshotError naming the field."""
    try:
        if isinstance(data, dict):
            return InventorySnapshot.model_validate(data)
        return InventorySnapshot.model_validate_json(data)
    except ValidationError as error:
        raise SnapshotError(
            f"invalid inventory snapshot: {_describe(error)}",
            {"errors": error.error_count()},
        ) from error
