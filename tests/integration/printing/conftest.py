"""Fixtures of the print queue tests: a recording network printer, a dead port, a device."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.helpers.printers import RecordingPrinter, dead_port


@pytest.fixture
def recording_printer() -> Iterator[RecordingPrinter]:
    printer = RecordingPrinter()
    yield printer
    printer.close()


@pytest.fixture
def free_port() -> int:
    """A port where nothing listens (bound then released)."""
    return dead_port()


@pytest.fixture
def inventoried_device(db, make_bench, make_device, snapshot) -> Any:
    """A device with components from a real snapshot (so the label has a specs line)."""
    from workshop.services.actors import Actor
    from workshop.services.bench_records import receive_record

    bench, _ = make_bench()
    device = make_device("received")
    receive_record(
        db,
        Actor(bench=bench),
        key="key-label-01",
        kind="inventory.snapshot",
        payload=snapshot(),
        extra={"asset_tag": device.asset_tag},
    )
    db.commit()
    return device
