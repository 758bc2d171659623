"""Per-disk truth: has every drive a device is known to hold been erased (or destroyed)?

The drives of a device are its disk components still fitted (from the inventory; external
media — removable or on USB — are not part of the device) and every disk named in one of its
wipe records, and as many more as a person counted in the case (``drives_declared``) beyond
those. A drive is identified by its serial, else its WWN, else model and size. Its
outcome is decided by its latest wipe record (a failed attempt followed by a pass is erased),
except that a recorded physical destruction settles it for good. A pass with reservations
counts as erased only when the workshop's policy accepts each of its reservations
(``WORKSHOP_WIPE_RESERVATIONS_ACCEPTED``, none by default).

    >>> state = erasure_state(session, device)
    >>> state.complete, [d.outcome for d in state.drives]
    (False, ['erased', 'failed'])
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlmodel import Session, col, select

from atelier_protocol.identity import is_placeholder
from workshop.models import Component, ComponentKind, Device, WipeRecord, WipeResult

Outcome = Literal[
    "erased",  # latest record passed
    "erased_with_reservations",  # passed with reservations the policy accepts
    "reserved",  # passed with reservations the policy does not accept: not erased for us
    "destroyed",  # physically destroyed, witnessed
    "failed",  # latest record failed
    "interrupted",  # latest record interrupted
    "not_wiped",  # known drive, no wipe record
]
ACCEPTED: frozenset[str] = frozenset({"erased", "erased_with_reservations", "destroyed"})


def drive_key(serial: str | None, wwn: str | None, model: str | None, size: int | None) -> str:
    """How one drive is told apart from the others of the same device."""
    if serial and serial.strip() and not is_placeholder(serial):
        return "sn:" + serial.strip().lower()
    if wwn and wwn.strip():
        return "wwn:" + wwn.strip().lower()
    return f"ms:{(model or '').strip().lower()}:{size or 0}"


def record_key(row: WipeRecord) -> str:
    """The drive a wipe record is about."""
    return drive_key(row.disk_serial, row.disk_wwn, row.disk_model, row.disk_size_bytes)


def reservations(row: WipeRecord) -> list[str]:
    """The reservations a record names ([] for anything but a pass with reservations)."""
    try:
        names = json.loads(row.reservations or "[]")
    except ValueError:
        names = ["unreadable"]  # never read as "no reservation"
    return [str(n) for n in names] if isinstance(names, list) else ["unreadable"]


@dataclass(frozen=True)
class DriveState:
    """One drive of the device and what happened to it."""

    key: str
    model: str
    serial: str
    size_bytes: int
    outcome: Outcome
    record: WipeRecord | None = None  # the record that decides (latest, or the destruction)
    reservations: tuple[str, ...] = ()
    from_inventory: bool = False
    declared: bool = False  # counted by a person, not seen by a bench yet (no identity)

    @property
    def accepted(self) -> bool:
        """Whether this drive no longer holds donor data, by the workshop's standard."""
        return self.outcome in ACCEPTED


@dataclass(frozen=True)
class ErasureState:
    """Every known drive of one device."""

    drives: list[DriveState] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        """At least one drive known and every one erased or destroyed."""
        return bool(self.drives) and all(d.accepted for d in self.drives)

    @property
    def failed(self) -> list[DriveState]:
        """Drives whose latest wipe failed and which were not destroyed."""
        return [d for d in self.drives if d.outcome == "failed"]

    @property
    def pending(self) -> list[DriveState]:
        """Drives not (yet) accepted as erased."""
        return [d for d in self.drives if not d.accepted]

    def summary(self) -> list[dict[str, Any]]:
        """The drives as event data: key, serial and outcome."""
        return [{"serial": d.serial, "model": d.model, "outcome": d.outcome} for d in self.drives]


def _outcome(row: WipeRecord, accepted: frozenset[str]) -> tuple[Outcome, tuple[str, ...]]:
    if row.result == WipeResult.PASSED:
        return "erased", ()
    if row.result == WipeResult.PASSED_WITH_RESERVATIONS:
        names = tuple(reservations(row)) or ("unreadable",)
        return ("erased_with_reservations" if set(names) <= accepted else "reserved"), names
    if row.result == WipeResult.FAILED:
        return "failed", ()
    return "interrupted", ()


def _inventory(session: Session, device: Device) -> list[tuple[str, Component]]:
    """The disks fitted in the device, each with its drive key (external media left out)."""
    query = select(Component).where(
        Component.device_id == device.id,
        Component.kind == ComponentKind.DISK,
        col(Component.removed_at).is_(None),
    )
    fitted = []
    for component in session.exec(query.order_by(col(Component.id))):
        try:
            details = json.loads(component.details or "{}")
        except ValueError:
            details = {}
        if details.get("removable") or details.get("transport") == "usb":
            continue  # a stick or an external disk plugged in at the bench
        key = drive_key(
            component.serial, details.get("wwn"), component.model, component.capacity_bytes
        )
        fitted.append((key, component))
    return fitted


def erasure_state(
    session: Session, device: Device, accepted: frozenset[str] | None = None
) -> ErasureState:
    """The drives of `device` and what happened to each (see the module docstring)."""
    if accepted is None:
        from workshop.settings import accepted_wipe_reservations  # noqa: PLC0415

        accepted = accepted_wipe_reservations()
    rows = session.exec(select(WipeRecord).where(WipeRecord.device_id == device.id)).all()
    by_drive: dict[str, list[WipeRecord]] = {}
    for row in sorted(rows, key=lambda r: (r.started_at, r.id or 0)):
        by_drive.setdefault(record_key(row), []).append(row)
    drives: list[DriveState] = []
    seen: set[str] = set()
    for key, component in _inventory(session, device):
        if key in seen:
            continue
        seen.add(key)
        drives.append(_drive(key, by_drive.get(key, []), accepted, component=component))
    for key, records in by_drive.items():
        if key not in seen:
            seen.add(key)
            drives.append(_drive(key, records, accepted))
    # Drives a person counted in the case that no bench has seen: each one still to be wiped.
    for number in range(len(drives) + 1, (device.drives_declared or 0) + 1):
        drives.append(DriveState(f"declared:{number}", "", "", 0, "not_wiped", declared=True))
    return ErasureState(drives)


def _drive(
    key: str,
    records: list[WipeRecord],
    accepted: frozenset[str],
    component: Component | None = None,
) -> DriveState:
    model = (component.model if component else None) or ""
    serial = (component.serial if component else None) or ""
    size = (component.capacity_bytes if component else None) or 0
    if not records:
        return DriveState(key, model, serial, size, "not_wiped", from_inventory=True)
    latest = records[-1]
    model, serial = model or latest.disk_model or "", serial or latest.disk_serial or ""
    size = size or latest.disk_size_bytes
    destroyed = next((r for r in reversed(records) if r.destroyed_at is not None), None)
    if destroyed is not None:
        return DriveState(
            key, model, serial, size, "destroyed", destroyed, from_inventory=component is not None
        )
    outcome, names = _outcome(latest, accepted)
    return DriveState(
        key, model, serial, size, outcome, latest, names, from_inventory=component is not None
    )
