"""Helpers shared by the table definitions."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime

# A stand-in for the wall clock, only ever set by the demo loader (workshop/demo.py) so that
# its made-up story has the times a real one would: never by a request or a bench.
_CLOCK: ContextVar[Callable[[], datetime] | None] = ContextVar("atelier_clock", default=None)


def utcnow() -> datetime:
    """Aware UTC now (SQLModel stores aware datetimes and returns them in UTC on both engines)."""
    clock = _CLOCK.get()
    return clock() if clock is not None else datetime.now(UTC)


@contextmanager
def story_clock(clock: Callable[[], datetime]) -> Iterator[None]:
    """Within the block, `utcnow()` asks `clock` (the demo's story), then the wall clock again."""
    token = _CLOCK.set(clock)
    try:
        yield
    finally:
        _CLOCK.reset(token)
