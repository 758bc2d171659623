"""A bench's console speaks French without the server's catalogue: atelier_protocol carries the
French of every reason code (reasons_fr.json), written from the same tables as the catalogue."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

from atelier_protocol.reasons import REASONS, french, say

ROOT = Path(__file__).resolve().parents[2]


def _catalogue_script():
    spec = importlib.util.spec_from_file_location("fr_catalogue", ROOT / "scripts/fr_catalogue.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_file_is_in_step_with_the_french_tables():
    on_disk = json.loads((ROOT / "atelier_protocol/reasons_fr.json").read_text(encoding="utf-8"))
    assert on_disk == _catalogue_script().reasons_french(), "run scripts/fr_catalogue.py"
    assert set(on_disk) == set(REASONS)  # every code has its French


def test_reasons_render_in_french_with_their_values_and_nested_reasons():
    mounted = say("disk.mounted", dev="sdb1", mountpoint="/run/live/medium")
    assert mounted.french() == "monté : sdb1 sur /run/live/medium"
    nested = say("live.not_internal", disk="sdc")
    assert french([mounted, nested]) == (
        "monté : sdb1 sur /run/live/medium ; sdc n'est pas un disque interne de ce PC "
        "(clé de démarrage, USB ou amovible)"
    )
    assert say("reasons.more", count=3).french().startswith("et 3 ")
