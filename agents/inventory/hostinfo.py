"""Processor and memory: psutil and /proc/cpuinfo, memory modules from dmidecode type 17."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from agents.inventory.dmi import DmiRecord
from atelier_protocol.identity import is_placeholder

_UNITS = {"B": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3, "TB": 1024**4}
# Type 17 entries that describe firmware chips, not RAM (e.g. HP's "SYSTEM ROM").
_NON_RAM_TYPES = frozenset({"Flash", "ROM", "EPROM", "EEPROM", "FEPROM"})


def parse_cpuinfo(text: str) -> dict[str, Any]:
    """Read the processor model, vendor and socket count from /proc/cpuinfo text."""
    model = vendor = None
    sockets: set[str] = set()
    for line in text.splitlines():
        key, _, value = line.partition(":")
        key, value = key.strip(), value.strip()
        if key in ("model name", "Model", "cpu model") and model is None:
            model = value or None
        elif key == "vendor_id" and vendor is None:
            vendor = value or None
        elif key == "physical id":
            sockets.add(value)
    return {"model": model, "vendor": vendor, "sockets": len(sockets) or None}


def read_cpu(proc_root: str | Path = "/proc") -> dict[str, Any]:
    """Describe the processor: model, vendor, sockets, cores, threads and frequencies (MHz)."""
    import psutil  # noqa: PLC0415 - keep `bench-agent --help` fast

    try:
        info = parse_cpuinfo((Path(proc_root) / "cpuinfo").read_text(errors="replace"))
    except OSError:
        info = {"model": None, "vendor": None, "sockets": None}
    freq = None
    try:
        freq = psutil.cpu_freq()
    except (OSError, NotImplementedError, RuntimeError):
        freq = None
    info.update(
        cores=psutil.cpu_count(logical=False),
        threads=psutil.cpu_count(logical=True) or os.cpu_count(),
        max_mhz=round(freq.max) if freq and freq.max else None,
        current_mhz=round(freq.current) if freq and freq.current else None,
        architecture=os.uname().machine,
    )
    return info


def parse_size(text: str | None) -> int | None:
    """Convert a dmidecode size such as "8192 MB" or "8 GB" to bytes; None if not a size."""
    if not text:
        return None
    match = re.fullmatch(r"(\d+)\s*([kKMGT]?B)", text.strip())
    if not match:
        return None
    return int(match.group(1)) * _UNITS[match.group(2).upper()]


def _speed(text: str | None) -> int | None:
    match = re.match(r"(\d+)\s*(MT/s|MHz)", text or "")
    return int(match.group(1)) if match else None


def _clean(text: str | None) -> str | None:
    if text is None:
        return None
    text = text.strip()
    return None if text in ("", "Not Specified", "Unknown", "None") else text


def memory_modules(records: list[DmiRecord]) -> list[dict[str, Any]]:
    """List installed RAM modules from dmidecode records (empty slots and ROM chips skipped)."""
    modules = []
    for record in records:
        if record.type != 17:
            continue
        fields = record.fields
        size = parse_size(fields.get("Size"))
        if size is None or fields.get("Type") in _NON_RAM_TYPES:
            continue
        if "Non-Volatile" in fields.get("Type Detail", ""):
            continue
        serial = _clean(fields.get("Serial Number"))
        modules.append(
            {
                "locator": _clean(fields.get("Locator")),
                "bank": _clean(fields.get("Bank Locator")),
                "size_bytes": size,
                "type": _clean(fields.get("Type")),
                "form_factor": _clean(fields.get("Form Factor")),
                "speed_mts": _speed(fields.get("Speed")),
                "configured_speed_mts": _speed(fields.get("Configured Memory Speed")),
                "manufacturer": _clean(fields.get("Manufacturer")),
                "part_number": _clean(fields.get("Part Number")),
                "serial": {"value": serial, "placeholder": is_placeholder(serial)},
            }
        )
    return modules


def memory_total() -> int:
    """Return the RAM the kernel manages, in bytes (psutil)."""
    import psutil  # noqa: PLC0415

    return int(psutil.virtual_memory().total)
