"""The live session's decisions: who confirms a wipe (the PC's keyboard or the bench board), which
disks the board may wipe, and the verdict (a wipe passed with reservations is not a failure, nor a
plain pass)."""

from __future__ import annotations

import os
import threading
import time

import pytest

from agents.live import board as board_module
from agents.live import flow
from agents.live.board import BoardLink, BoardTask
from agents.live.bootparams import LiveParams
from agents.live.screen import DiskLine, Screen, render
from atelier_protocol.reasons import say


def _targets() -> list[DiskLine]:
    return [
        DiskLine("nvme0n1", "nvme", 256 << 30, "PM981", "S4DX", flow._ROLE_WIPE),
        DiskLine("sda", "sata", 500 << 30, "WD5000", "WCAS", flow._ROLE_WIPE),
    ]


@pytest.fixture
def keyboard(tmp_path, monkeypatch):
    """A FIFO standing for the PC's keyboard (tty1): lines written to it are typed answers."""
    path = tmp_path / "tty1"
    os.mkfifo(path)
    monkeypatch.setattr(flow, "KEYBOARD", str(path))
    writer: list[int] = []

    def type_line(text: str) -> None:
        if not writer:
            writer.append(os.open(path, os.O_WRONLY))
        os.write(writer[0], text.encode() + b"\n")

    yield type_line
    for fd in writer:
        os.close(fd)


class _FakeWorker:
    """What the flow reads of the board's task worker."""

    def __init__(self) -> None:
        self.tasks: dict[str, BoardTask] = {}
        self.lock = threading.Lock()
        self.changed = threading.Event()

    def snapshot(self) -> dict[str, BoardTask]:
        with self.lock:
            return dict(self.tasks)

    def progress_of(self, uid: str) -> str | None:
        return "pass 1/1 40 %"


def _board(tmp_path, worker=None) -> BoardLink:
    link = BoardLink(
        tmp_path / "bench.json",
        tmp_path / "outbox.sqlite3",
        {"nvme0n1", "sda"},
        threading.Event(),
        lambda line: None,
        lambda: "K7QX4M2PH",
    )
    link.worker = worker  # type: ignore[assignment]
    return link


def _in_thread(target, *args):
    out: list = []
    thread = threading.Thread(target=lambda: out.append(target(*args)), daemon=True)
    thread.start()
    return thread, out


def test_oui_typed_on_the_pc_confirms_every_target(keyboard, tmp_path):
    screen, targets = Screen(None), _targets()
    thread, out = _in_thread(
        flow.wait_for_confirmation, LiveParams(wipe="ask"), screen, targets, None
    )
    time.sleep(0.2)
    assert "Tapez OUI" in screen.state.step and "tableau des postes" not in screen.state.step
    keyboard("oui")  # case does not matter
    thread.join(10)
    assert [d.name for d in out[0]] == ["nvme0n1", "sda"]


def test_any_other_answer_wipes_nothing(keyboard):
    thread, out = _in_thread(
        flow.wait_for_confirmation, LiveParams(wipe="ask"), Screen(None), _targets(), None
    )
    keyboard("non")
    thread.join(10)
    assert out == [[]]


def test_no_confirmation_asked_when_the_boot_entry_decides(keyboard):
    targets = _targets()
    assert flow.wait_for_confirmation(LiveParams(wipe="yes"), Screen(None), targets, None) == (
        targets
    )
    assert flow.wait_for_confirmation(LiveParams(wipe="no"), Screen(None), targets, None) == []


def test_the_board_confirming_every_disk_ends_the_wait_with_nothing_left_here(keyboard, tmp_path):
    worker = _FakeWorker()
    link = _board(tmp_path, worker)
    screen, targets = Screen(None), _targets()
    screen.state.disks = targets
    thread, out = _in_thread(
        flow.wait_for_confirmation, LiveParams(wipe="ask"), screen, targets, link
    )
    time.sleep(0.2)
    assert "ou confirmez sur le tableau des postes" in screen.state.step
    worker.tasks["u1"] = BoardTask("wipe", "nvme0n1")
    time.sleep(1.5)
    assert thread.is_alive()  # sda is not asked for yet
    assert targets[0].role == "en cours (confirmé sur le tableau des postes) : pass 1/1 40 %"
    worker.tasks["u2"] = BoardTask("wipe", "sda", "passed")
    thread.join(10)
    assert out == [[]]
    assert targets[1].role == "effacé et vérifié (tableau des postes)"


def test_oui_after_the_board_took_one_disk_wipes_only_the_other_here(keyboard, tmp_path):
    worker = _FakeWorker()
    worker.tasks["u1"] = BoardTask("wipe", "nvme0n1")
    link = _board(tmp_path, worker)
    screen, targets = Screen(None), _targets()
    thread, out = _in_thread(
        flow.wait_for_confirmation, LiveParams(wipe="ask"), screen, targets, link
    )
    keyboard("OUI")
    thread.join(10)
    assert [d.name for d in out[0]] == ["sda"]
    # The board may no longer ask for the disk wiped here.
    assert say("live.wiping_here", disk="sda") in link.protection("sda")
    assert say("live.wiping_here", disk="nvme0n1") not in link.protection("nvme0n1")


def test_the_board_may_wipe_only_internal_disks(tmp_path, monkeypatch):
    monkeypatch.setattr(board_module, "protection_messages", lambda name: [])
    link = _board(tmp_path)
    assert link.protection("nvme0n1") == []
    assert link.protection("sdb") == [say("live.not_internal", disk="sdb")]
    mounted = say("disk.mounted", dev="sdc1", mountpoint="/run/live/medium")
    monkeypatch.setattr(board_module, "protection_messages", lambda name: [mounted])
    assert link.protection("sdc") == [mounted, say("live.not_internal", disk="sdc")]


def test_a_wipe_passed_with_reservations_is_neither_a_failure_nor_a_plain_pass():
    outcome = flow.Outcome(wiped=True)
    assert outcome.verdict == "RÉUSSI"
    outcome.reservations.append("sda : vérification par échantillons")
    assert outcome.verdict == "RÉSERVES"
    outcome.failures.append("effacement de nvme0n1 : ÉCHEC de l'effacement")
    assert outcome.verdict == "ÉCHEC"


def test_the_wipe_step_names_reservations_and_failures(monkeypatch):
    screen, targets = Screen(None), _targets()
    screen.state.disks = targets
    monkeypatch.setattr(
        flow,
        "run_wipe",
        lambda params, here, tag, screen: {
            "nvme0n1": ("passed_with_reservations", ["sampled_verification"]),
            "sda": ("failed", []),
        },
    )
    outcome = flow.Outcome()
    flow._wipe_step(LiveParams(wipe="yes"), screen, "K7QX4M2PH", None, outcome)
    assert targets[0].role == "effacé avec réserves : vérification par échantillons"
    assert targets[1].role == "ÉCHEC de l'effacement"
    assert outcome.reservations == ["nvme0n1 : vérification par échantillons"]
    assert outcome.failures == ["effacement de sda : ÉCHEC de l'effacement"]
    assert outcome.verdict == "ÉCHEC"


def test_a_board_task_outcome_gives_its_reservations_back():
    reasons = [say("wipe.sampled_verification"), say("note.text", text="x")]
    assert flow._reservations_of({"reasons": reasons}) == ["sampled_verification"]
    assert flow._reservations_of({}) == []


def test_the_console_shows_the_diagnostic_and_the_reservations_verdict():
    screen = Screen(None)
    screen.show(
        disks=_targets(),
        diagnostic="Diagnostic : mémoire réussi, processeur réussi, nvme0n1 bon, sda bon ; "
        "classement suggéré B",
        verdict="RÉSERVES",
        detail=["réserve : nvme0n1 : vérification par échantillons"],
    )
    text = render(screen.state)
    assert "Diagnostic : mémoire réussi, processeur réussi, nvme0n1 bon, sda bon ;" in text
    assert "          classement suggéré B" in text  # wrapped, never cut at 80 columns
    assert "  réserve : nvme0n1 : vérification par échantillons" in text
    assert all(len(line) <= 80 for line in text.splitlines())


def test_the_firmware_and_its_secure_boot_state_are_read_from_efivars(tmp_path):
    efivars = tmp_path / "efi" / "efivars"
    assert flow.firmware(efivars) == ("BIOS", "BIOS (ancien mode)")
    efivars.mkdir(parents=True)
    assert flow.firmware(efivars)[0] == "UEFI, Secure Boot unknown"
    variable = efivars / "SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c"
    variable.write_bytes(b"\x06\x00\x00\x00\x01")  # attributes, then the value
    assert flow.firmware(efivars) == ("UEFI, Secure Boot on", "UEFI, Secure Boot actif")
    variable.write_bytes(b"\x06\x00\x00\x00\x00")
    assert flow.firmware(efivars)[0] == "UEFI, Secure Boot off"
    screen = Screen(None)
    screen.show(firmware="UEFI, Secure Boot actif")
    assert "Amorçage  UEFI, Secure Boot actif" in render(screen.state)
