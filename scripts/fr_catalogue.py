"""Maintain the French catalogue: `python scripts/fr_catalogue.py` re-extracts the messages and
writes workshop/translations/fr/LC_MESSAGES/messages.po from the French tables, and
atelier_protocol/reasons_fr.json (the French of every reason code, for a bench's own console,
which has no catalogue: a test checks it is in step).

French wording lives in scripts/translations/fr_<feature>.py (each defines FRENCH); a msgid
missing from them fails the script (and the test that runs it), so no English string reaches a
French page unnoticed.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
POT = ROOT / "workshop/translations/messages.pot"
PO = ROOT / "workshop/translations/fr/LC_MESSAGES/messages.po"

TABLES = sorted((ROOT / "scripts" / "translations").glob("fr_*.py"))


def load_french() -> dict[str, str]:
    """Merge the FRENCH tables of scripts/translations/fr_*.py; a msgid twice is an error."""
    merged: dict[str, str] = {}
    for path in TABLES:
        namespace: dict[str, object] = {}
        exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), namespace)  # noqa: S102
        table = namespace["FRENCH"]
        assert isinstance(table, dict)
        clash = merged.keys() & table.keys()
        if clash:
            raise SystemExit(f"{path.name}: msgids already translated elsewhere: {sorted(clash)}")
        merged.update(table)
    return merged


FRENCH = load_french()


def untranslated() -> list[str]:
    """Extract the messages; return those missing from FRENCH."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "-q",
            "extract",
            "-F",
            str(ROOT / "babel.cfg"),
            "-k",
            "_l",
            "-k",
            "N_",
            "--no-location",
            "-o",
            str(POT),
            str(ROOT),
        ],
        check=True,
        cwd=ROOT,
    )
    with POT.open("rb") as handle:
        template = read_po(handle)
    return [str(m.id) for m in template if m.id and m.id not in FRENCH]


REASONS_FR = ROOT / "atelier_protocol/reasons_fr.json"


def reasons_french() -> dict[str, str]:
    """Reason code -> French template, for the bench's own console (it has no catalogue)."""
    from atelier_protocol.reasons import REASONS  # noqa: PLC0415

    return {code: FRENCH[text] for code, text in sorted(REASONS.items()) if text in FRENCH}


def write_reasons_french() -> None:
    """atelier_protocol/reasons_fr.json from the same French tables as the catalogue."""
    text = json.dumps(reasons_french(), ensure_ascii=False, indent=1, sort_keys=True)
    REASONS_FR.write_text(text + "\n", encoding="utf-8")


def main() -> int:
    """Extract, write the French catalogue; exit 1 naming untranslated messages."""
    missing = untranslated()
    write_reasons_french()
    catalog = Catalog(locale="fr", project="Atelier", fuzzy=False)
    for msgid, text in FRENCH.items():
        catalog.add(msgid, text)
    PO.parent.mkdir(parents=True, exist_ok=True)
    with PO.open("wb") as handle:
        write_po(handle, catalog, omit_header=False, sort_output=True)
    if missing:
        print("untranslated:", *missing, sep="\n  ", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
