"""Detection of placeholder identities (fake serials, UUIDs, vendor names).

Cheap machines often ship with SMBIOS strings left at the firmware vendor's
template value ("To be filled by O.E.M.", "Default string", "0123456789"...).
Matching two devices on such a value would merge them, so the agent flags
them and the server falls back to the asset tag. Kept free of heavy imports:
the agent's inventory imports it at start-up.
"""

from __future__ import annotations

import re

# Compared after lower-casing and collapsing inner whitespace.
_PLACEHOLDERS: frozenset[str] = frozenset(
    {
        "to be filled by o.e.m.",
        "to be filled by oem",
        "to be filled by o.e.m",
        "o.e.m.",
        "oem",
        "default string",
        "default",
        "system serial number",
        "system manufacturer",
        "system product name",
        "system version",
        "chassis serial number",
        "chassis manufacturer",
        "chassis manufacture",
        "base board serial number",
        "baseboard serial number",
        "board serial number",
        "serial number",
        "serial",
        "not specified",
        "not applicable",
        "not available",
        "not present",
        "not provided",
        "not set",
        "no asset tag",
        "none",
        "null",
        "n/a",
        "na",
        "unknown",
        "invalid",
        "empty",
        "<out of spec>",
        "<bad index>",
        "0123456789",
        "1234567890",
        "123456789",
        "12345678",
        "9876543210",
        "asset-1234567890",
        # The UUID many AMI-based boards share (bytes 0..9 counted up).
        "03000200-0400-0500-0006-000700080009",
    }
)

# "SerNum00", "SerNum01"...: per-slot template serials of some DIMM SPD tools.
_TEMPLATE_PATTERNS: tuple[re.Pattern[str], ...] = (re.compile(r"sernum\d*"),)

_SEPARATORS = re.compile(r"[\s\-:._]")


def is_placeholder(value: str | None) -> bool:
    """Tell whether an identity string is empty, a firmware template or otherwise not unique."""
    if value is None:
        return True
    text = " ".join(value.split()).lower()
    if not text or text in _PLACEHOLDERS:
        return True
    if any(pattern.fullmatch(text) for pattern in _TEMPLATE_PATTERNS):
        return True
    compact = _SEPARATORS.sub("", text)
    # All zeros, all "F", "xxxx", "$$$$", "----" (separators only): one repeated character.
    return len(set(compact)) <= 1
