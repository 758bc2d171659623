"""The names people read for a wipe technique (the agent's code, e.g. ``overwrite-zeros``).

Pages show them in the reader's language; documents, which are French, through the French
catalogue directly (`in_french`), so the words are written once. A code this server does not
know (a newer agent) is shown as it is.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from babel.support import NullTranslations, Translations
from flask_babel import gettext


def N_(text: str) -> str:
    """Mark a name for extraction into the catalogue."""
    return text


TECHNIQUES: dict[str, str] = {
    "overwrite-zeros": N_("overwrite with zeros"),
    "overwrite-aes-256-ctr": N_("overwrite with a random stream (AES-256-CTR)"),
    "ata-sanitize-crypto-scramble": N_("ATA SANITIZE, cryptographic scramble"),
    "ata-sanitize-block-erase": N_("ATA SANITIZE, block erase"),
    "ata-sanitize-overwrite": N_("ATA SANITIZE, overwrite"),
    "ata-security-erase-normal": N_("ATA SECURITY ERASE UNIT, normal mode"),
    "ata-security-erase-enhanced": N_("ATA SECURITY ERASE UNIT, enhanced mode"),
    "nvme-sanitize-crypto-erase": N_("NVMe Sanitize, cryptographic erase"),
    "nvme-sanitize-block-erase": N_("NVMe Sanitize, block erase"),
    "nvme-sanitize-overwrite": N_("NVMe Sanitize, overwrite"),
    "nvme-format-crypto-erase": N_("NVMe Format, cryptographic erase"),
    "nvme-format-user-data-erase": N_("NVMe Format, user data erase"),
}
THEN = N_("%(first)s, then %(then)s")


def _named(code: str, say: Callable[[str], str]) -> str:
    parts = [say(TECHNIQUES[p]) if p in TECHNIQUES else p for p in code.split("+")]
    words = parts[0]
    for part in parts[1:]:
        words = say(THEN) % {"first": words, "then": part}
    return words


def technique(code: str) -> str:
    """A technique's name in the language of the request (a Purge followed by a Clear: both)."""
    return _named(code or "", gettext)


@lru_cache(maxsize=1)
def _french() -> NullTranslations:
    return Translations.load(str(Path(__file__).parent / "translations"), ["fr"])


def in_french(code: str) -> str:
    """A technique's name in French, for the documents."""
    return _named(code or "", _french().gettext)
