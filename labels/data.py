"""What goes on a label (`LabelData`), its validation and its French text lines."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import Enum

from labels.errors import LabelDataError

TAG_MAX = 16
URL_MAX = 200
SPECS_MAX = 80
GRADE_MAX = 4
_TAG_RE = re.compile(r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*")
_URL_RE = re.compile(r"https?://[!-~]+")


class WipeStatus(Enum):
    """Outcome of the data wipe, as printed on the label."""

    PASSED = "passed"
    FAILED = "failed"
    NOT_WIPED = "not-wiped"

    def french(self, when: date | None) -> str:
        """The French label text, e.g. 'Effacé le 12/11/2026'."""
        words = {
            WipeStatus.PASSED: "Effacé",
            WipeStatus.FAILED: "Échec effacement",
            WipeStatus.NOT_WIPED: "Non effacé",
        }[self]
        if when is None or self is WipeStatus.NOT_WIPED:
            return words
        return f"{words} le {when:%d/%m/%Y}"


@dataclass(frozen=True)
class LabelData:
    """The facts printed on one device label; validated on creation."""

    tag: str
    url: str
    specs: str = ""
    grade: str = ""
    wipe_status: WipeStatus | None = None
    wipe_date: date | None = None

    def __post_init__(self) -> None:
        _check_tag(self.tag)
        _check_url(self.url)
        _check_free_text("specs", self.specs, SPECS_MAX)
        _check_free_text("grade", self.grade, GRADE_MAX)
        if self.wipe_date is not None and self.wipe_status is None:
            raise LabelDataError("wipe_date", "a wipe date needs a wipe status")

    def info_lines(self) -> list[str]:
        """The small-print lines under the tag: specs, then grade and wipe status."""
        lines = [self.specs] if self.specs else []
        grade = f"Grade {self.grade}" if self.grade else ""
        wipe = self.wipe_status.french(self.wipe_date) if self.wipe_status else ""
        lines.extend(part for part in (grade, wipe) if part)
        return lines


def _check_tag(tag: str) -> None:
    if not 1 <= len(tag) <= TAG_MAX:
        raise LabelDataError("tag", f"must be 1 to {TAG_MAX} characters, got {len(tag)}")
    if not _TAG_RE.fullmatch(tag):
        raise LabelDataError(
            "tag", f"{tag!r} may only hold letters A-Z, digits and single inner hyphens"
        )


def _check_url(url: str) -> None:
    if len(url) > URL_MAX:
        raise LabelDataError("url", f"must be at most {URL_MAX} characters, got {len(url)}")
    if not _URL_RE.fullmatch(url):
        raise LabelDataError(
            "url", f"{url!r} must start with http:// or https:// and hold no spaces"
        )


def _check_free_text(field: str, value: str, limit: int) -> None:
    if len(value) > limit:
        raise LabelDataError(field, f"must be at most {limit} characters, got {len(value)}")
    bad = [c for c in value if not c.isprintable()]
    if bad:
        raise LabelDataError(field, f"holds a control character {bad[0]!r}")


def parse_wipe_status(value: str) -> WipeStatus:
    """Parse a wipe status name given on the command line."""
    try:
        return WipeStatus(value.lower())
    except ValueError:
        known = ", ".join(s.value for s in WipeStatus)
        raise LabelDataError("wipe_status", f"{value!r} is not one of {known}") from None


def parse_date(value: str) -> date:
    """Parse a date given as YYYY-MM-DD or DD/MM/YYYY."""
    for pattern in (r"(\d{4})-(\d{2})-(\d{2})", r"(\d{2})/(\d{2})/(\d{4})"):
        match = re.fullmatch(pattern, value)
        if match:
            parts = [int(p) for p in match.groups()]
            year, month, day = parts if pattern.startswith(r"(\d{4})") else parts[::-1]
            try:
                return date(year, month, day)
            except ValueError as exc:
                raise LabelDataError("wipe_date", f"{value!r}: {exc}") from None
    raise LabelDataError("wipe_date", f"{value!r} is not YYYY-MM-DD or DD/MM/YYYY")
