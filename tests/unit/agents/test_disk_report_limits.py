"""The disks a bench reports stay within what PUT /bench/disks takes, and say what they cut."""

from __future__ import annotations

from agents.daemon.service import MAX_REASON_CHARS, MAX_REASONS, with_protection
from atelier_protocol.reasons import REASONS, say
from workshop.api.schemas import BenchDiskIn

DISK = {"name": "sda", "path": "/dev/sda"}


def test_many_long_reasons_are_counted_not_dropped():
    reasons = [
        say("disk.mounted", dev=f"sda{i}", mountpoint=f"/srv/{'x' * 400}") for i in range(30)
    ]
    sent = with_protection(DISK, reasons)
    assert len(sent["protected"]) == len(sent["protected_reasons"]) == MAX_REASONS
    assert all(len(text) <= MAX_REASON_CHARS for text in sent["protected"])
    assert sent["protected"][0].startswith("mounted: sda0 at /srv/")
    assert sent["protected"][0].endswith("…")
    assert sent["protected"][-1] == f"and {30 - MAX_REASONS + 1} more reasons"
    last = sent["protected_reasons"][-1]
    assert last == {"code": "reasons.more", "params": {"count": 30 - MAX_REASONS + 1}}
    assert "reasons.more" in REASONS
    # Exactly what the server's model of a disk takes.
    field = BenchDiskIn.model_fields["protected"]
    assert field.metadata[0].max_length == MAX_REASONS
    assert field.annotation.__args__[0].__metadata__[0].max_length == MAX_REASON_CHARS
    assert BenchDiskIn.model_fields["protected_reasons"].metadata[0].max_length == MAX_REASONS


def test_few_short_reasons_are_sent_as_they_are():
    sent = with_protection(DISK, [say("disk.read_only", dev="sda")])
    assert sent["protected"] == ["sda is read-only"]
    assert sent["protected_reasons"] == [{"code": "disk.read_only", "params": {"dev": "sda"}}]
    assert with_protection(DISK, [])["protected"] == []
