"""Captured smartctl outputs of real drives (tests/fixtures/hardware/smartctl, see its README)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

SMARTCTL = Path(__file__).resolve().parents[3] / "fixtures" / "hardware" / "smartctl"


@pytest.fixture
def smart_report() -> Callable[[str], dict[str, Any]]:
    """Factory: smart_report(file name) -> the parsed smartctl JSON document."""

    def load(name: str) -> dict[str, Any]:
        return json.loads((SMARTCTL / name).read_text(encoding="utf-8"))

    return load
