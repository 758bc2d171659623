"""Whole numbers typed in query strings (?page=, ?donor=): ASCII digits within a bound, or nothing.

`str.isdigit()` alone lets through "²" (which int() refuses) and numbers beyond what the database
holds; both were server errors.
"""

from __future__ import annotations

MAX_ID = 2**31 - 1  # INTEGER columns
MAX_PAGE = 1_000_000  # far beyond any list; keeps OFFSET within 64 bits


def whole_number(text: str, *, maximum: int = MAX_ID) -> int | None:
    """`text` as a whole number from 0 to `maximum`, or None when it is anything else."""
    text = text.strip()
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(maximum)):
        return None
    value = int(text)
    return value if value <= maximum else None


def page_number(text: str) -> int:
    """The page asked for (?page=), 1 when it is missing, zero or not a page number."""
    return whole_number(text, maximum=MAX_PAGE) or 1
