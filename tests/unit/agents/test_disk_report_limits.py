"""The disks a bench reports stay within what PUT /bench/disks takes, and say what they cut."""

from __future__ import annotations

from agents.daemon.service import MAX_REASON_CHARS, MAX_REASONS, _within_limits
from workshop.api.schemas import BenchDiskIn


def test_many_long_reasons_are_counted_not_dropped():
    reasons = [f"mounted: /dev/sda{i} at /srv/{'x' * 400}" for i in range(30)]
    sent = _within_limits(reasons)
    assert len(sent) == MAX_REASONS and all(len(r) <= MAX_REASON_CHARS for r in sent)
    assert sent[-1] == f"and {30 - MAX_REASONS + 1} more reasons"
    assert sent[0].endswith("…") and sent[0].startswith("mounted: /dev/sda0 at /srv/")
    field = BenchDiskIn.model_fields["protected"]
    assert (MAX_REASONS, MAX_REASON_CHARS) == (
        field.metadata[0].max_length,
        field.annotation.__args__[0].__metadata__[0].max_length,
    )


def test_few_short_reasons_are_sent_as_they_are():
    assert _within_limits(["sda is read-only"]) == ["sda is read-only"]
    assert _within_limits([]) == []
