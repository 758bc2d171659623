"""`bench-agent live`: what a PC booted from the bench image does, start to finish.

inventory -> sent (or queued offline) -> the asset tag and its QR code on screen -> diagnostics
(atelier.diagnose: SMART of the internal disks, RAM, CPU, batteries) -> wipe of the internal disks
once confirmed: by the boot entry (atelier.wipe=yes), or under atelier.wipe=ask by OUI typed on
the PC's keyboard or by a technician on the workshop's bench board (agents/live/board.py) ->
records sent -> the verdict in large type (RÉUSSI, RÉSERVES when a wipe passed with
reservations, ÉCHEC) -> power off (atelier.poweroff=yes) once nothing waits. Log lines go to
stdout (the journal and the serial console); the screen goes to tty1. Sample log (serial
console)::

    atelier-live: boot parameters: url=http://10.0.2.2:8080 wipe=ask method=zero diagnose=quick
    atelier-live: records kept in RAM (/run/atelier-bench)
    atelier-live: inventory: QEMU Standard PC (i440FX + PIIX, 1996) serial ATL-TEST-0001, 2 disk(s)
    atelier-live: enrolled as bench session 'Atelier test · Standard PC ATL-TEST-0001' (id 2)
    atelier-live: inventory sent: asset tag K7QX-4M2P-H (created)
    atelier-live: diagnostics: RAM passed, CPU passed, nvme0n1 pass, sda pass, grade B
    atelier-live: waiting for a confirmation of the wipe of nvme0n1, sda (OUI or the bench board)
    atelier-live: wiping nvme0n1, sda (method zero, verify full)
    atelier-live: wipe finished: nvme0n1 passed, sda passed
    atelier-live: all records sent
    atelier-live: verdict PASSED
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agents.live.board import BoardLink
from agents.live.bootparams import BootParamError, LiveParams, read_params
from agents.live.screen import DiskLine, Screen, qr_lines
from agents.live.storage import RAM_DIR, prepare_storage
from agents.live.uplink import Uplink, hostname_for

RESULT_WAIT = 60.0  # seconds the inventory's answer (the asset tag) is awaited when online
_ROLE_WIPE = "à effacer"
KEYBOARD = "/dev/tty1"  # the PC's own keyboard and screen
PASSED = ("passed", "passed_with_reservations")
_FRENCH_STATUS = {
    "passed": "effacé et vérifié",
    "passed_with_reservations": "effacé avec réserves",
    "failed": "ÉCHEC de l'effacement",
    "interrupted": "ÉCHEC : effacement interrompu",
    "refused": "refusé par le PC",
    "error": "ÉCHEC : l'outil d'effacement n'a rien rendu",
}
_FRENCH_RESERVATIONS = {
    "hidden_sectors_not_erased": "zone cachée du disque non effacée",
    "sampled_verification": "vérification par échantillons",
}


def log(message: str) -> None:
    """One line on stdout (journal, serial console)."""
    print(f"atelier-live: {message}", flush=True)


EFIVARS = Path("/sys/firmware/efi/efivars")
_SECURE_BOOT_VAR = "SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c"  # EFI global variable GUID


def firmware(efivars: Path = EFIVARS) -> tuple[str, str]:
    """How the PC booted, (log text, French console text): BIOS, or UEFI with Secure Boot on
    or off (the SecureBoot variable's data byte; its first 4 bytes are its attributes)."""
    if not efivars.parent.exists():
        return "BIOS", "BIOS (ancien mode)"
    try:
        data = (efivars / _SECURE_BOOT_VAR).read_bytes()
    except OSError:
        return "UEFI, Secure Boot unknown", "UEFI, Secure Boot inconnu"
    if data[4:5] == b"\x01":
        return "UEFI, Secure Boot on", "UEFI, Secure Boot actif"
    return "UEFI, Secure Boot off", "UEFI, Secure Boot désactivé"


def describe_pc(snapshot: dict[str, Any]) -> tuple[str, str | None]:
    """("vendor product", serial) of the snapshot's SMBIOS identity."""
    system = snapshot.get("system") or {}
    name = " ".join(v for v in (system.get("vendor"), system.get("product")) if v) or "PC inconnu"
    serial = (system.get("serial") or {}).get("value")
    return name, serial


def disk_lines() -> list[DiskLine]:
    """Every disk the PC has, with what will happen to it (the safety rules decide)."""
    from agents.inventory.disks import list_disks  # noqa: PLC0415
    from agents.safety import protection_messages  # noqa: PLC0415
    from atelier_protocol.reasons import french  # noqa: PLC0415

    lines = []
    for disk in list_disks():
        if disk.transport == "loop":
            continue  # the image itself (live-boot's squashfs), not one of the PC's disks
        reasons = protection_messages(disk.name)
        if disk.transport == "usb" or disk.removable:
            role = "non touché : amovible ou USB (pas un disque interne)"
        elif reasons:
            role = "protégé : " + french(reasons)
        else:
            role = _ROLE_WIPE
        lines.append(
            DiskLine(disk.name, disk.transport, disk.size_bytes, disk.model, disk.serial, role)
        )
    return lines


def _answers(devices: list[str]) -> Any:
    """A queue of the lines typed on these terminals (the PC's keyboard, a serial line)."""
    lines: queue.Queue[str] = queue.Queue()

    def read(device: str) -> None:
        try:
            with open(device, encoding="utf-8", errors="replace") as tty:
                for line in tty:
                    lines.put(line.strip())
        except OSError:
            return

    for device in dict.fromkeys(devices):
        threading.Thread(target=read, args=(device,), name=f"answer-{device}", daemon=True).start()
    return lines


def wait_for_confirmation(
    params: LiveParams, screen: Screen, targets: list[DiskLine], board: BoardLink | None
) -> list[DiskLine]:
    """The targets to wipe here: all under atelier.wipe=yes; under `ask`, those OUI was typed for
    on the PC (the keyboard, or the serial line the screen is on) once the board took none of
    them. Wipes the board confirms meanwhile run on their own (agents/live/board.py); this
    returns when every target is taken, or on any other answer typed (nothing more is wiped)."""
    if params.wipe == "yes":
        return targets
    if params.wipe == "no" or not targets:
        return []
    names = ", ".join(d.name for d in targets)
    where = "OUI or the bench board" if board is not None else "OUI"
    log(f"waiting for a confirmation of the wipe of {names} ({where})")
    ask = f"Effacer {names} ? Tapez OUI puis Entrée (autre chose : ne rien effacer)"
    if board is not None:
        ask += ", ou confirmez sur le tableau des postes"
    screen.show(step=ask)
    answers = _answers([KEYBOARD, screen.device or KEYBOARD])
    while True:
        try:
            answer = answers.get(timeout=1.0)
        except queue.Empty:
            answer = None
        if answer is not None:
            if answer.upper() != "OUI":
                log(f"wipe declined on the PC's screen ({answer[:20]!r})")
                return []
            if board is None:
                return targets
            taken = set(board.claim([d.name for d in targets]))
            return [d for d in targets if d.name in taken]
        if board is not None and _board_took_all(board, screen, targets):
            return []


def _board_took_all(board: BoardLink, screen: Screen, targets: list[DiskLine]) -> bool:
    """Show the board's wipes on screen; True once every target was asked for there."""
    worker = board.worker
    if worker is None:
        return False
    asked = {t.disk: (uid, t) for uid, t in worker.snapshot().items() if t.kind == "wipe"}
    for disk in targets:
        if disk.name in asked:
            uid, task = asked[disk.name]
            disk.role = _board_role(worker.progress_of(uid), task.state)
    screen.show(disks=screen.state.disks)
    return all(d.name in asked for d in targets)


def _board_role(progress: str | None, state: str) -> str:
    if state == "running":
        suffix = f" : {progress}" if progress else ""
        return "en cours (confirmé sur le tableau des postes)" + suffix
    return _FRENCH_STATUS.get(state, f"ÉCHEC ({state})") + " (tableau des postes)"


def run_wipe(
    params: LiveParams, targets: list[DiskLine], tag: str | None, screen: Screen
) -> dict[str, tuple[str, list[str]]]:
    """Wipe the targets with `bench-agent wipe` (it queues the records);
    {disk: (status, reservations)}.

    Its progress lines (one per disk every 5 s) are shown on the screen as they come.
    """
    argv = [sys.executable, "-m", "agents.cli", "wipe", "--yes", "--json"]
    argv += ["--method", params.method, "--verify", params.verify]
    argv += ["--asset-tag", tag] if tag else []
    argv += [f"/dev/{d.name}" for d in targets]
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    stdout, stderr = process.stdout, process.stderr
    assert stdout is not None and stderr is not None
    out: list[str] = []
    reader = threading.Thread(target=lambda: out.append(stdout.read()), daemon=True)
    reader.start()
    by_name = {d.name: d for d in targets}
    tail: list[str] = []
    for line in stderr:
        words = line.split()
        disk = by_name.get(words[0]) if words else None
        if disk is not None and len(words) > 1 and words[1] not in ("PASSED", "FAILED"):
            disk.role = "en cours : " + " ".join(words[1:])
            screen.show(disks=screen.state.disks)
        tail = [*tail[-19:], line.rstrip()]
    process.wait()
    reader.join()
    for line in tail:
        log(f"wipe: {line}")
    statuses: dict[str, tuple[str, list[str]]] = {d.name: ("error", []) for d in targets}
    try:
        records = json.loads("".join(out) or "{}").get("records", [])
    except ValueError:
        records = []
    for record in records:
        name = Path(record["disk"]["path"]).name
        statuses[name] = (record["status"], list(record.get("reservations") or []))
    return statuses


def _wait_for(uplink: Uplink, outbox_path: Path, item_id: int, timeout: float) -> Any:
    from agents.outbox import Outbox  # noqa: PLC0415

    outbox = Outbox(outbox_path)
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            result = outbox.result(item_id)
            offline = uplink.passes > 0 and not uplink.online
            if result is not None or offline or not uplink.is_alive():
                return result
            uplink.wake.set()
            time.sleep(1.0)
        return None
    finally:
        outbox.close()


def _pending(outbox_path: Path) -> int:
    from agents.outbox import Outbox  # noqa: PLC0415

    outbox = Outbox(outbox_path)
    try:
        return outbox.pending_count()
    finally:
        outbox.close()


def _inventory(screen: Screen, outbox_path: Path) -> tuple[dict[str, Any], int]:
    from agents.inventory.collect import collect  # noqa: PLC0415
    from agents.outbox import Outbox  # noqa: PLC0415

    screen.show(step="Inventaire du matériel")
    snapshot = collect()
    name, serial = describe_pc(snapshot)
    disks = disk_lines()
    booted, said = firmware()
    screen.show(pc=name, serial=serial, disks=disks, firmware=said)
    log(f"inventory: {name} serial {serial or '-'}, {len(disks)} disk(s)")
    log(f"firmware: {booted}")
    outbox = Outbox(outbox_path)
    try:
        item = outbox.enqueue("inventory.snapshot", snapshot)
    finally:
        outbox.close()
    return snapshot, item.id


def _show_tag(screen: Screen, base_url: str | None, result: Any) -> str | None:
    if not isinstance(result, dict) or not result.get("label"):
        message = (result or {}).get("message") if isinstance(result, dict) else None
        waiting = "no answer from the server (the inventory waits in the outbox)"
        log(f"no asset tag yet: {message or waiting}")
        return None
    tag, label = str(result.get("asset_tag") or result["label"]), str(result["label"])
    url = f"{(base_url or '').rstrip('/')}/d/{tag}"
    screen.show(asset_tag=label, qr=qr_lines(url))
    log(f"inventory sent: asset tag {label} ({result.get('match')})")
    return tag


@dataclass
class Outcome:
    """What the session did, for the verdict: failures and reservations in French."""

    wiped: bool = False
    failures: list[str] = field(default_factory=list)
    reservations: list[str] = field(default_factory=list)

    @property
    def verdict(self) -> str:
        """ÉCHEC, RÉSERVES or RÉUSSI (large type on the console)."""
        if self.failures:
            return "ÉCHEC"
        return "RÉSERVES" if self.reservations else "RÉUSSI"


def _diagnose_step(
    params: LiveParams, screen: Screen, tag: str | None, outbox_path: Path, outcome: Outcome
) -> None:
    """Diagnose the machine and its internal disks (read only); the record is queued."""
    if params.diagnose == "no":
        return
    from agents.diagnostics.command import failed  # noqa: PLC0415
    from agents.diagnostics.rules import load_rules  # noqa: PLC0415
    from agents.diagnostics.run import MiB, Options, diagnose  # noqa: PLC0415
    from agents.inventory.disks import list_disks  # noqa: PLC0415
    from agents.outbox import Outbox  # noqa: PLC0415
    from atelier_protocol.diagnostic import KIND  # noqa: PLC0415

    internal = {d.name for d in screen.state.disks if not d.role.startswith("non touché")}
    full = params.diagnose == "full"
    options = Options(
        self_test=full,
        surface=full,
        ram_bytes=(512 if full else 64) * MiB,
        ram_time_limit=120.0 if full else 30.0,
        cpu_seconds=30.0 if full else 3.0,
        say=lambda line: screen.show(step=f"Diagnostic : {line}"),
    )
    screen.show(step="Diagnostic du matériel (lecture seule)")
    result = diagnose([d for d in list_disks() if d.name in internal], options, load_rules())
    box = Outbox(outbox_path)
    try:
        box.enqueue(KIND, result.model_dump(mode="json"), asset_tag=tag)
    finally:
        box.close()
    health = {"pass": "bon", "suspect": "douteux", "fail": "défaillant", "unavailable": "inconnu"}
    check = {"passed": "réussi", "failed": "ÉCHEC", "skipped": "non fait"}
    parts = [
        f"mémoire {check.get(result.memory.status, result.memory.status)}",
        f"processeur {check.get(result.cpu.status, result.cpu.status)}",
        *(f"{d.name} {health.get(d.verdict, d.verdict)}" for d in result.disks),
    ]
    grade = result.grade.grade
    summary = "Diagnostic : " + ", ".join(parts) + f" ; classement suggéré {grade}"
    screen.show(diagnostic=summary)
    log(
        f"diagnostics: RAM {result.memory.status}, CPU {result.cpu.status}, "
        + ", ".join(f"{d.name} {d.verdict}" for d in result.disks)
        + f", grade {grade}"
    )
    if failed(result):
        outcome.failures.append("le diagnostic a trouvé une panne")


def _wipe_step(
    params: LiveParams,
    screen: Screen,
    tag: str | None,
    board: BoardLink | None,
    outcome: Outcome,
) -> None:
    """Wipe the internal disks once confirmed (here or on the board); wait for the board's."""
    disks = screen.state.disks
    targets = [d for d in disks if d.role == _ROLE_WIPE]
    here = wait_for_confirmation(params, screen, targets, board)
    statuses: dict[str, tuple[str, list[str]]] = {}
    if here:
        names = ", ".join(d.name for d in here)
        log(f"wiping {names} (method {params.method}, verify {params.verify})")
        screen.show(step=f"Effacement de {names} (ne pas éteindre le PC)")
        statuses.update(run_wipe(params, here, tag, screen))
    statuses.update(_board_wipes(board, screen, targets))
    if not statuses:
        why = "no internal disk" if not targets else f"atelier.wipe={params.wipe}"
        log(f"no wipe: {why}")
        return
    outcome.wiped = True
    for disk in targets:
        if disk.name not in statuses:
            continue
        status, reserved = statuses[disk.name]
        disk.role = _FRENCH_STATUS.get(status, f"ÉCHEC de l'effacement ({status})")
        if status not in PASSED:
            outcome.failures.append(f"effacement de {disk.name} : {disk.role}")
        elif reserved:
            said = ", ".join(_FRENCH_RESERVATIONS.get(r, r) for r in reserved)
            disk.role += f" : {said}"
            outcome.reservations.append(f"{disk.name} : {said}")
    screen.show(disks=disks)
    log("wipe finished: " + ", ".join(f"{n} {s}" for n, (s, _) in statuses.items()))


def _board_wipes(
    board: BoardLink | None, screen: Screen, targets: list[DiskLine]
) -> dict[str, tuple[str, list[str]]]:
    """Wait for the wipes the board asked for to end; {disk: (status, reservations)}."""
    if board is None or board.worker is None:
        return {}
    worker = board.worker
    names = {d.name for d in targets}
    while True:
        tasks = [t for t in worker.snapshot().values() if t.kind == "wipe" and t.disk in names]
        if not any(t.state == "running" for t in tasks):
            break
        screen.show(step="Effacement confirmé sur le tableau des postes (ne pas éteindre le PC)")
        _board_took_all(board, screen, targets)
        worker.changed.wait(2.0)
        worker.changed.clear()
    return {
        str(t.disk): (t.state, [] if t.state == "passed" else _reservations_of(t.fields))
        for t in tasks
    }


def _reservations_of(fields: dict[str, Any]) -> list[str]:
    """The reservations a board task's outcome names (its reason codes)."""
    from atelier_protocol.wipe import RESERVATION_CODES  # noqa: PLC0415

    by_code = {code: name for name, code in RESERVATION_CODES.items()}
    codes = [getattr(reason, "code", None) for reason in fields.get("reasons") or []]
    return [by_code[code] for code in codes if code in by_code]


def _wait_until_sent(uplink: Uplink, screen: Screen, outbox_path: Path) -> None:
    while _pending(outbox_path) or not uplink.enrolled:
        screen.show(step="Envoi des résultats : en attente du réseau (rien n'est perdu)")
        uplink.wake.set()
        time.sleep(2.0)
    log("all records sent")


def main() -> int:
    """Run the whole session; the exit status is 0 when everything passed and was sent."""
    screen = Screen(os.environ.get("ATELIER_CONSOLE", "/dev/tty1"))
    try:
        params = read_params(Path(os.environ.get("ATELIER_CMDLINE", "/proc/cmdline")))
    except BootParamError as error:
        log(error.message)
        screen.show(
            step="Paramètres de démarrage invalides", verdict="ÉCHEC", detail=[error.message]
        )
        return 2
    log(
        f"boot parameters: url={params.url} wipe={params.wipe} method={params.method} "
        f"diagnose={params.diagnose}"
    )
    if "ATELIER_CONSOLE" not in os.environ:
        screen.device = params.screen
    state_dir, where = prepare_storage(ram_dir=Path(os.environ.get("ATELIER_RAM_DIR", RAM_DIR)))
    os.environ["BENCH_STATE_DIR"] = str(state_dir)
    # The session (token) is this boot's only: a reboot enrols anew, queued records follow.
    os.environ.setdefault("BENCH_CONFIG", "/run/atelier-session/bench.json")
    screen.show(storage=where)
    log(f"records kept in {state_dir}")
    outbox_path = state_dir / "outbox.sqlite3"
    uplink = Uplink(params, Path(os.environ["BENCH_CONFIG"]), outbox_path, screen.show, log)
    snapshot, item_id = _inventory(screen, outbox_path)
    uplink.name_hint = hostname_for(snapshot)
    uplink.start()
    tag: str | None = None
    board = None
    if params.wipe == "ask" and params.url and params.secret:
        internal = {d.name for d in screen.state.disks if not d.role.startswith("non touché")}
        board = BoardLink(
            Path(os.environ["BENCH_CONFIG"]), outbox_path, internal, uplink.wake, log, lambda: tag
        )
        board.start()
    result = _wait_for(uplink, outbox_path, item_id, RESULT_WAIT)
    tag = _show_tag(screen, uplink.public_url or params.url, result)
    outcome = Outcome()
    _diagnose_step(params, screen, tag, outbox_path, outcome)
    _wipe_step(params, screen, tag, board, outcome)
    uplink.wake.set()
    _wait_until_sent(uplink, screen, outbox_path)
    if board is not None:
        board.stopping.set()
    verdict = outcome.verdict
    done = "effacement vérifié" if outcome.wiped else "inventaire envoyé"
    screen.show(
        step="Terminé" if outcome.failures else f"Terminé : {done}",
        verdict=verdict,
        detail=[*outcome.failures, *(f"réserve : {r}" for r in outcome.reservations)],
    )
    log(f"verdict {'FAILED' if outcome.failures else 'PASSED'}")
    if params.poweroff == "yes":
        log("powering off")
        subprocess.run(["systemctl", "poweroff"], check=False)
    return 1 if outcome.failures else 0
