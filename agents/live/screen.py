"""The full-screen French console of a booted PC (tty1): what the PC is, its disks, what runs,
the result in large type, the asset tag and its QR code.

`render(state)` is pure (state -> text) so it is tested without a terminal; `Screen` writes
it to the console device, clearing it first. Sample (80 columns)::

    ATELIER — poste de réemploi                              serveur : en ligne
    PC        LENOVO ThinkPad T480   n° de série PF1ABCDE
    Disques   nvme0n1   NVME    256,1 Go  Samsung PM981          S4DXNX0M123456
                        → en cours : pass 1/1  12.4 GiB / 238.5 GiB  1.2 GB/s  ETA 0:03:10
    Étape : Effacement de nvme0n1 (ne pas éteindre le PC)
    Enregistrements : 3 envoyé(s), 0 en attente
    Conservés en mémoire vive (perdus si le PC est éteint avant l'envoi)
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from typing import Any

from agents.live.bigtext import big

CLEAR = "\033[H\033[2J\033[3J"


@dataclass
class DiskLine:
    """One disk as shown on screen."""

    name: str
    transport: str
    size_bytes: int
    model: str | None
    serial: str | None
    role: str  # "à effacer", "protégé : <why>", "effacé", "ÉCHEC : <why>"


@dataclass
class ScreenState:
    """Everything the console shows; the flow updates it, then redraws."""

    pc: str = "(identification en cours)"
    serial: str | None = None
    firmware: str | None = None  # "UEFI, Secure Boot actif", "BIOS (ancien mode)"
    disks: list[DiskLine] = field(default_factory=list)
    diagnostic: str | None = None  # one line: RAM, CPU, each disk's health, the grade
    step: str = "Démarrage"
    server: str = "pas encore contacté"
    sent: int = 0
    pending: int = 0
    storage: str = "en mémoire vive"
    asset_tag: str | None = None
    qr: list[str] = field(default_factory=list)
    verdict: str | None = None  # "RÉUSSI" / "ÉCHEC" in large type
    detail: list[str] = field(default_factory=list)


def _size(n: int) -> str:
    value = f"{n / 1e9:.1f}".replace(".", ",")
    return f"{value} Go"


def render(state: ScreenState, width: int = 80) -> str:
    """The whole screen as text (French)."""
    lines = [
        "ATELIER — poste de réemploi".ljust(width - 30) + f"serveur : {state.server}"[:30],
        "─" * width,
        f"PC        {state.pc}" + (f"   n° de série {state.serial}" if state.serial else ""),
    ]
    if state.firmware:
        lines.append(f"Amorçage  {state.firmware}")
    if not state.disks:
        lines.append("Disques   (aucun disque interne vu)")
    for i, disk in enumerate(state.disks):
        head = "Disques   " if i == 0 else "          "
        model = disk.model or "modèle inconnu"
        lines.append(
            f"{head}{disk.name:<9} {disk.transport.upper():<5} {_size(disk.size_bytes):>10}  "
            f"{model[:22]:<22} {disk.serial or '-'}"
        )
        lines.append(f"          {'':<9} → {disk.role}")
    if state.diagnostic:
        lines += _wrap(state.diagnostic, width)
    lines += [
        "",
        f"Étape : {state.step}",
        f"Enregistrements : {state.sent} envoyé(s), {state.pending} en attente",
        f"Conservés {state.storage}",
    ]
    if state.verdict:
        lines += ["", *big(state.verdict)]
    for line in state.detail:
        lines += _wrap(f"  {line}", width)
    if state.asset_tag:
        lines += ["", f"Étiquette : {state.asset_tag}"]
        lines += state.qr
    return "\n".join(line[:width] for line in lines) + "\n"


def _wrap(text: str, width: int) -> list[str]:
    """Words on lines of `width` at most, the next ones indented under the first's text."""
    import textwrap  # noqa: PLC0415

    return textwrap.wrap(text, width, subsequent_indent=" " * 10) or [""]


def qr_lines(url: str) -> list[str]:
    """The URL as a QR code in text (two modules per character with half blocks)."""
    try:
        import qrcode  # noqa: PLC0415
    except ImportError:
        return [f"(QR indisponible) {url}"]
    code = qrcode.QRCode(border=4, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(url)
    code.make(fit=True)
    matrix: list[list[Any]] = code.get_matrix()
    if len(matrix) % 2:
        matrix.append([False] * len(matrix[0]))
    chars = {(False, False): " ", (True, False): "▀", (False, True): "▄", (True, True): "█"}
    # The console draws characters light on a dark ground: the block characters are the light
    # modules (quiet zone included), the dark modules are the ground.
    return [
        "".join(chars[(not top, not bottom)] for top, bottom in zip(upper, lower, strict=True))
        for upper, lower in zip(matrix[0::2], matrix[1::2], strict=True)
    ]


class Screen:
    """Writes the state to the console device (tty1) and a short log line to stdout."""

    def __init__(self, device: str | None = "/dev/tty1") -> None:
        self.device = device
        self.state = ScreenState()
        self._lock = threading.Lock()

    def show(self, **changes: Any) -> None:
        """Update the state and redraw the whole screen."""
        with self._lock:
            for key, value in changes.items():
                setattr(self.state, key, value)
            if not self.device:
                return
            try:
                fd = os.open(self.device, os.O_WRONLY | os.O_NOCTTY | os.O_TRUNC)
            except OSError:
                return  # no console (a test, a headless run): the log on stdout remains
            try:
                os.write(fd, (CLEAR + render(self.state)).encode())
            finally:
                os.close(fd)
