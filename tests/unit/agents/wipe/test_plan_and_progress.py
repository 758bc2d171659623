"""Which passes a disk gets, and what the live progress line says."""

from __future__ import annotations

from dataclasses import replace

from agents.inventory.disks import Disk
from agents.wipe.passes import Progress
from agents.wipe.patterns import ONES, ZEROS
from agents.wipe.progress import human_bytes, progress_line
from agents.wipe.purge import Decision
from agents.wipe.runner import clear_patterns

STICK = Disk(
    "sdc", "/dev/sdc", "Cruzer Blade", "4C530001", None, 16008609792, 512, 512, False, "usb", True
)


def test_usb_flash_gets_pattern_then_complement():
    zero = Decision("clear", "overwrite-zeros", "zeros")
    assert clear_patterns(STICK, zero) == [ZEROS, ONES]
    names = [p.name for p in clear_patterns(STICK, replace(zero, pattern="random"))]
    assert names == ["aes-256-ctr", "aes-256-ctr-complement"]


def test_usb_hard_disk_and_sata_get_one_pass():
    zero = Decision("clear", "overwrite-zeros", "zeros")
    assert clear_patterns(replace(STICK, rotational=True), zero) == [ZEROS]
    assert clear_patterns(replace(STICK, transport="sata", rotational=False), zero) == [ZEROS]


def test_progress_line_shows_bytes_rate_and_eta():
    progress = Progress()
    progress.begin("pass 1/1", 1000 * 10**6)
    progress.add(250 * 10**6)
    line = progress_line("sdb", progress, now=progress.started + 2.0)
    assert line.startswith("sdb") and "pass 1/1" in line
    assert "238.4 MiB / 953.7 MiB" in line
    assert "125.0 MB/s" in line and "ETA 0:00:06" in line


def test_human_bytes():
    assert human_bytes(512) == "512 B"
    assert human_bytes(500107862016) == "465.8 GiB"
