"""CSV exports that a spreadsheet opens as text, never as a formula.

Vendor, model and serial come from donated machines' SMBIOS, so anyone who donates a
computer writes into our exports. A cell starting with = + - @ TAB or CR is run as a
formula by Excel and LibreOffice (``=HYPERLINK(...)``, ``@SUM(...)``): every such text
cell gets a leading single quote (OWASP "CSV injection" rule). Numbers passed as int or
float stay numbers, a negative one included: only text is neutralised.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """The value as a spreadsheet should show it: text that could start a formula is quoted."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, int | float):
        text = str(value)
        return "'" + text if text.startswith(FORMULA_STARTS) else text
    return value


class SafeWriter:
    """A `csv.writer` (';', CRLF) whose every row goes through `safe_cell`."""

    def __init__(self, out: io.StringIO) -> None:
        self._writer = csv.writer(out, delimiter=";", lineterminator="\r\n")

    def writerow(self, row: Iterable[Any]) -> None:
        """Write one row, each cell neutralised."""
        self._writer.writerow([safe_cell(cell) for cell in row])


def writer(out: io.StringIO) -> SafeWriter:
    """The writer every CSV export of the workshop uses."""
    return SafeWriter(out)
