"""Fixtures for the labels unit tests: a label factory and the supported combinations."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from labels.catalogue import MEDIA, PROFILES, Media, MediaKind, PrinterProfile
from labels.data import LabelData, WipeStatus
from labels.encode import QrMode
from labels.errors import UnsupportedError

SAMPLE_URL = "https://atelier.example.org/d/K7QX-4M2P-R"


@pytest.fixture
def make_label() -> Callable[..., LabelData]:
    """Build a LabelData with realistic defaults; keyword arguments override fields."""

    def build(**overrides: Any) -> LabelData:
        fields: dict[str, Any] = {
            "tag": "K7QX-4M2P-R",
            "url": SAMPLE_URL,
            "specs": "i5-4590 · 8 Go · SSD 240 Go",
            "grade": "A",
            "wipe_status": WipeStatus.PASSED,
            "wipe_date": date(2026, 11, 12),
        }
        fields.update(overrides)
        return LabelData(**fields)

    return build


def supported_combinations() -> list[tuple[PrinterProfile, Media, QrMode]]:
    """Every (profile, media, QR mode) the catalogue says can be printed."""
    combos = []
    for profile in PROFILES.values():
        for media in MEDIA.values():
            try:
                profile.check_media(media)
            except UnsupportedError:
                continue
            modes = [QrMode.IMAGE]
            if profile.native_qr and media.kind is MediaKind.RECEIPT:
                modes.append(QrMode.NATIVE)
            combos.extend((profile, media, mode) for mode in modes)
    return combos


def _zbar_missing() -> str | None:
    try:
        from pyzbar import pyzbar  # noqa: F401
    except ImportError as exc:
        return f"zbar QR decoder unavailable ({exc}): apt-get install libzbar0"
    return None


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Skip, saying why, the tests of modules that read QR codes when zbar is missing."""
    module = getattr(item, "module", None)
    if module is not None and "read_qr" in vars(module):
        reason = _zbar_missing()
        if reason:
            pytest.skip(reason)
