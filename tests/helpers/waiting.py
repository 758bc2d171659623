"""Waiting for something a separate process does (a server, a bench daemon)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")
HANG_GUARD = 60.0  # seconds before a wait is declared stuck (never a performance check)


def wait_for(predicate: Callable[[], T], what: str, deadline: float = HANG_GUARD) -> T:
    """The first truthy value of `predicate()`, polled; fails naming `what` after `deadline` s."""
    end = time.monotonic() + deadline
    while True:
        value = predicate()
        if value:
            return value
        assert time.monotonic() < end, f"{what}: not within {deadline} s"
        time.sleep(0.05)
