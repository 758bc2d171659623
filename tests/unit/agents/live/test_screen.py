"""The console of a booted PC: French text, the disks and their fate, the verdict in large type,
and a text QR code that a real decoder (zbar) reads back."""

from __future__ import annotations

import pytest

from agents.live.bigtext import big
from agents.live.screen import DiskLine, ScreenState, qr_lines, render
from tests.helpers.text_qr import decode_text_qr


def _state(**changes):
    state = ScreenState(
        pc="LENOVO 20HRCTO1WW",
        serial="PF0QMY5N",
        disks=[
            DiskLine(
                "nvme0n1", "nvme", 256_060_514_304, "SAMSUNG MZVLB256", "S4DXNX0M", "à effacer"
            ),
            DiskLine(
                "sda", "usb", 15_376_000_000, "Cruzer", "4C53", "non touché : amovible ou USB"
            ),
        ],
        step="Inventaire du matériel",
        server="hors ligne",
        pending=1,
    )
    for key, value in changes.items():
        setattr(state, key, value)
    return state


def test_the_screen_says_what_the_pc_is_and_what_happens_to_each_disk():
    text = render(_state())
    assert "PC        LENOVO 20HRCTO1WW   n° de série PF0QMY5N" in text
    assert "Disques   nvme0n1   NVME    256,1 Go  SAMSUNG MZVLB256       S4DXNX0M" in text
    assert "→ à effacer" in text and "→ non touché : amovible ou USB" in text
    assert "serveur : hors ligne" in text
    assert "Enregistrements : 0 envoyé(s), 1 en attente\nConservés en mémoire vive\n" in text
    assert all(len(line) <= 80 for line in text.splitlines())


def test_the_verdict_is_in_large_type():
    text = render(_state(verdict="ÉCHEC", detail=["sda : erreur d'écriture au secteur 2048"]))
    assert "\n".join(big("ÉCHEC")) in text
    assert "erreur d'écriture au secteur 2048" in text
    assert big("RÉUSSI")[1].startswith("████  █████")
    with pytest.raises(KeyError):
        big("?")


def test_the_text_qr_code_decodes_to_the_device_url():
    pytest.importorskip("pyzbar.pyzbar")
    url = "https://atelier.example/d/089VSVY57"
    lines = qr_lines(url)
    text = render(_state(asset_tag="089V-SVY5-7", qr=lines))
    assert "Étiquette : 089V-SVY5-7" in text and lines[3] in text
    assert decode_text_qr(lines) == [url]
