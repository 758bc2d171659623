"""Placeholder identity detection, on values seen in real SMBIOS tables."""

from __future__ import annotations

import pytest

from atelier_protocol.identity import is_placeholder


@pytest.mark.parametrize(
    "value",
    [
        "To be filled by O.E.M.",
        "To Be Filled By O.E.M.",
        "Default string",
        "System Serial Number",
        "Chassis Serial Number",
        "Base Board Serial Number",
        "0123456789",
        "SerNum00",
        "SerNum03",
        "00000000",
        "0000000000",
        "FFFFFFFF",
        "00000000-0000-0000-0000-000000000000",
        "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF",
        "03000200-0400-0500-0006-000700080009",
        "",
        "   ",
        None,
        "Not Specified",
        "None",
        "  default   STRING ",
        "$$$$$$$$",
    ],
)
def test_template_and_degenerate_values_are_placeholders(value):
    assert is_placeholder(value) is True


@pytest.mark.parametrize(
    "value",
    [
        "CZC0408YPV",  # HP Compaq 8100 Elite, system serial
        "PF0QMY5N",  # ThinkPad X1 Carbon 5th
        "LUSEA0D010038879A01601",  # Acer Aspire One
        # Toshiba prefixes board serials with "$$": the rest is a real serial.
        "$$T02XB1K9",
        "0000065D",  # a real SODIMM serial that starts with zeros
        "S14CNEAD233615F",
        "4C4C4544-0037-3010-8033-B7C04F4B4D31",
    ],
)
def test_real_serials_are_not_placeholders(value):
    assert is_placeholder(value) is False
