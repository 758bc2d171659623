"""The shipped udev rule: well-formed lines, and it grants what docs/labels.md promises."""

from __future__ import annotations

import re
from pathlib import Path

RULE = Path(__file__).resolve().parents[3] / "packaging/udev/60-atelier-label-printers.rules"
DOCS = Path(__file__).resolve().parents[3] / "docs/labels.md"
KEY = r"(?:[A-Z_]+(?:\{[A-Za-z_]+\})?)"
PAIR = re.compile(rf'{KEY}(?:==|!=|\+=|=|:=)"[^"]*"')


def rule_lines() -> list[str]:
    lines = RULE.read_text().splitlines()
    return [line for line in lines if line.strip() and not line.lstrip().startswith("#")]


def test_every_rule_line_is_comma_separated_key_operator_value_pairs():
    for line in rule_lines():
        pairs = [part.strip() for part in line.split(", ")]
        bad = [pair for pair in pairs if not PAIR.fullmatch(pair)]
        assert not bad, f"malformed udev pair {bad[0]!r} in {line!r}"


def test_gotos_land_on_a_label():
    text = "\n".join(rule_lines())
    targets = set(re.findall(r'GOTO="([^"]+)"', text))
    labels = set(re.findall(r'^LABEL="([^"]+)"$', text, re.MULTILINE))
    assert targets and targets <= labels


def test_printer_class_devices_become_group_lp_read_write():
    grants = [line for line in rule_lines() if "0701" in line]
    assert len(grants) == 1
    assert 'GROUP="lp"' in grants[0] and 'MODE="0660"' in grants[0]
    assert 'ENV{ID_USB_INTERFACES}=="*:0701??:*"' in grants[0]


def test_docs_explain_the_rule_and_the_group():
    docs = DOCS.read_text()
    assert RULE.name in docs and "adduser" in docs and " lp" in docs
