"""Fixtures for reservations: available devices with components, association members."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from workshop.models import Component, ComponentKind


@pytest.fixture
def available(db, make_device) -> Callable[..., Any]:
    """An available device with specs: available(type, ram_gb, disk_gb, disk_kind, wear, grade)."""

    def make(
        type: str = "laptop",
        ram_gb: int = 8,
        disk_gb: int = 256,
        disk_kind: str = "ssd",
        wear: float | None = 20.0,
        cpu: str = "Intel Core i5-6300U",
        grade: str = "A",
    ) -> Any:
        device = make_device("available", type=type)
        device.grade = grade
        device.serial = f"SN-{device.asset_tag}"
        db.add(device)
        parts = [
            Component(device_id=device.id, kind=ComponentKind.CPU, model=cpu),
            Component(
                device_id=device.id, kind=ComponentKind.MEMORY, capacity_bytes=ram_gb * 1024**3
            ),
            Component(
                device_id=device.id,
                kind=ComponentKind.DISK,
                capacity_bytes=disk_gb * 1000**3,
                details=json.dumps(
                    {"transport": "sata", "rotational": disk_kind == "hdd"}
                    if disk_kind in ("ssd", "hdd")
                    else {"kind": disk_kind}
                ),
            ),
        ]
        if wear is not None:
            parts.append(
                Component(
                    device_id=device.id,
                    kind=ComponentKind.BATTERY,
                    details=json.dumps({"wear_percent": wear}),
                )
            )
        db.add_all(parts)
        db.commit()
        return device

    return make


@pytest.fixture
def member(make_org, make_user) -> Callable[..., Any]:
    """An association member (of a new association unless one is given)."""

    def make(org: Any = None) -> Any:
        return make_user("association", org=org or make_org("association"))

    return make


@pytest.fixture
def token_for(db) -> Callable[[Any], str]:
    """An API token for a user."""
    from workshop.services.accounts import issue_token

    def make(user: Any) -> str:
        token = issue_token(db, user=user)
        db.commit()
        return token

    return make
