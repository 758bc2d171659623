"""Wipe techniques are named for people: every code the agent can record, in French too."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from workshop.wipe_terms import TECHNIQUES, in_french

AGENT_WIPE = Path(__file__).resolve().parents[3] / "agents" / "wipe"


def _agent_codes() -> set[str]:
    """The technique codes the agent's own code writes into a record."""
    text = "\n".join(p.read_text() for p in AGENT_WIPE.glob("*.py"))
    codes = set(re.findall(r'"((?:overwrite|ata|nvme)-[a-z0-9-]+)"', text))
    for family, names in [
        ("ata-sanitize-", ("crypto-scramble", "block-erase", "overwrite")),
        ("ata-security-erase-", ("enhanced", "normal")),
        ("nvme-sanitize-", ("crypto-erase", "block-erase", "overwrite")),
        ("nvme-format-", ("crypto-erase", "user-data-erase")),
    ]:
        assert family in text, family  # built from a family prefix in agents/wipe/purge.py
        codes |= {family + name for name in names}
    return {c for c in codes if not c.endswith("-")}


def test_every_technique_the_agent_records_has_a_name_and_a_french_one():
    codes = _agent_codes()
    assert len(codes) >= 12
    assert codes <= set(TECHNIQUES), codes - set(TECHNIQUES)
    for code in codes:
        assert in_french(code) != TECHNIQUES[code], code  # translated, not the English name


@pytest.mark.parametrize(
    ("code", "french"),
    [
        ("overwrite-zeros", "écrasement par des zéros"),
        (
            "nvme-sanitize-crypto-erase+overwrite-zeros",
            "NVMe Sanitize, effacement cryptographique, puis écrasement par des zéros",
        ),
        ("some-future-technique", "some-future-technique"),
    ],
)
def test_names_in_french(code, french):
    assert in_french(code) == french
