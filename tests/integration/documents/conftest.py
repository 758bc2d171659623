"""Fixtures for documents: wipe records as a bench sends them, PDF text and rendering."""

from __future__ import annotations

import io
import subprocess
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from tests.helpers.records import build_wipe

__all__ = ["build_wipe"]


@pytest.fixture
def send_wipe(db) -> Callable[..., Any]:
    """Deliver a wipe record as bench `bench` would: send_wipe(bench, device=None, **record)."""
    from workshop.services.actors import Actor
    from workshop.services.bench_records import receive_record
    from workshop.services.wipes import HANDLERS  # noqa: F401  (registers wipe.record)

    def send(bench: Any, device: Any = None, **fields: Any) -> dict[str, Any]:
        db.commit()
        extra = {"asset_tag": device.asset_tag} if device is not None else {}
        outcome = receive_record(
            db,
            Actor(bench=bench),
            key=uuid.uuid4().hex,
            kind="wipe.record",
            payload=build_wipe(**fields),
            extra=extra,
        )
        db.commit()
        return outcome.result

    return send


def pdf_text(data: bytes) -> str:
    """All the text of a PDF, pages joined, whitespace (table cells wrap) folded to one space."""
    pages = (page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
    return " ".join(" ".join(pages).split())


def pdf_lines(data: bytes) -> list[str]:
    """The text lines of a PDF as extracted (a table row may span several)."""
    reader = PdfReader(io.BytesIO(data))
    return [line for page in reader.pages for line in (page.extract_text() or "").splitlines()]


def render_page_one(data: bytes, target: Path) -> Path:
    """Page 1 as PNG through poppler's pdftoppm (a real renderer)."""
    pdf = target.with_suffix(".pdf")
    pdf.write_bytes(data)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(pdf),
            str(target),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    png = target.with_suffix(".png")
    assert png.stat().st_size > 2000
    return png


@pytest.fixture
def tested_devices(db, make_donation) -> Callable[..., list[Any]]:
    """tested_devices(donor=None, count=2): a donation's devices walked to "tested"."""
    from workshop.demo import PATHS
    from workshop.models import DeviceStatus
    from workshop.services.actors import SYSTEM
    from workshop.services.devices import transition_device
    from workshop.services.donations import donation_devices

    def make(donor: Any = None, count: int = 2) -> list[Any]:
        donation = make_donation(donor=donor, count=count)
        devices = donation_devices(db, donation)
        for device in devices:
            for step in PATHS[DeviceStatus.TESTED]:
                transition_device(db, SYSTEM, device, step)
        db.commit()
        return devices

    return make
