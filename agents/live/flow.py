"""`bench-agent live`: what a PC booted from the bench image does, start to finish.

inventory -> sent (or queued offline) -> the asset tag and its QR code on screen -> wipe of the
internal disks when the boot entry confirms it (atelier.wipe=yes) or the technician types OUI on
the PC's screen (atelier.wipe=ask) -> records sent -> the verdict in large type -> power off
(atelier.poweroff=yes) once nothing waits. Log lines go to stdout (the journal and the serial
console); the screen goes to tty1. Sample log (serial console)::

    atelier-live: boot parameters: url=http://10.0.2.2:8080 wipe=yes method=zero
    atelier-live: records kept in RAM (/run/atelier-bench)
    atelier-live: inventory: QEMU Standard PC (i440FX + PIIX, 1996) serial ATL-TEST-0001, 2 disk(s)
    atelier-live: enrolled as bench session 'Atelier test · Standard PC ATL-TEST-0001' (id 2)
    atelier-live: inventory sent: asset tag K7QX-4M2P-H (created)
    atelier-live: wiping nvme0n1, sda (method zero, verify full)
    atelier-live: wipe finished: nvme0n1 passed, sda passed
    atelier-live: all records sent
    atelier-live: verdict PASSED
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from agents.live.bootparams import BootParamError, LiveParams, read_params
from agents.live.screen import DiskLine, Screen, qr_lines
from agents.live.storage import RAM_DIR, prepare_storage
from agents.live.uplink import Uplink, hostname_for

RESULT_WAIT = 60.0  # seconds the inventory's answer (the asset tag) is awaited when online
_ROLE_WIPE = "à effacer"


def log(message: str) -> None:
    """One line on stdout (journal, serial console)."""
    print(f"atelier-live: {message}", flush=True)


def describe_pc(snapshot: dict[str, Any]) -> tuple[str, str | None]:
    """("vendor product", serial) of the snapshot's SMBIOS identity."""
    system = snapshot.get("system") or {}
    name = " ".join(v for v in (system.get("vendor"), system.get("product")) if v) or "PC inconnu"
    serial = (system.get("serial") or {}).get("value")
    return name, serial


def disk_lines() -> list[DiskLine]:
    """Every disk the PC has, with what will happen to it (the safety rules decide)."""
    from agents.inventory.disks import list_disks  # noqa: PLC0415
    from agents.safety import protection_reasons  # noqa: PLC0415

    lines = []
    for disk in list_disks():
        if disk.transport == "loop":
            continue  # the image itself (live-boot's squashfs), not one of the PC's disks
        reasons = protection_reasons(disk.name)
        if disk.transport == "usb" or disk.removable:
            role = "non touché : amovible ou USB (pas un disque interne)"
        elif reasons:
            role = "protégé : " + "; ".join(reasons)
        else:
            role = _ROLE_WIPE
        lines.append(
            DiskLine(disk.name, disk.transport, disk.size_bytes, disk.model, disk.serial, role)
        )
    return lines


def confirmed(params: LiveParams, screen: Screen, targets: list[DiskLine]) -> bool:
    """Whether the wipe of `targets` is confirmed: by the boot entry, or OUI typed on tty1."""
    if params.wipe == "yes":
        return True
    if params.wipe == "no" or not targets:
        return False
    names = ", ".join(d.name for d in targets)
    screen.show(step=f"Effacer {names} ? Tapez OUI puis Entrée (autre chose : ne rien effacer)")
    try:
        with open(screen.device or "/dev/tty1", encoding="utf-8", errors="replace") as tty:
            return tty.readline().strip().upper() == "OUI"
    except OSError:
        return False


def run_wipe(
    params: LiveParams, targets: list[DiskLine], tag: str | None, screen: Screen
) -> dict[str, str]:
    """Wipe the targets with `bench-agent wipe` (it queues the records); {disk: status}.

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
    statuses = {d.name: "error" for d in targets}
    try:
        records = json.loads("".join(out) or "{}").get("records", [])
    except ValueError:
        records = []
    for record in records:
        statuses[Path(record["disk"]["path"]).name] = record["status"]
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
    screen.show(pc=name, serial=serial, disks=disks)
    log(f"inventory: {name} serial {serial or '-'}, {len(disks)} disk(s)")
    outbox = Outbox(outbox_path)
    try:
        item = outbox.enqueue("inventory.snapshot", snapshot)
    finally:
        outbox.close()
    return snapshot, item.id


def _show_tag(screen: Screen, params: LiveParams, result: Any) -> str | None:
    if not isinstance(result, dict) or not result.get("label"):
        message = (result or {}).get("message") if isinstance(result, dict) else None
        waiting = "no answer from the server (the inventory waits in the outbox)"
        log(f"no asset tag yet: {message or waiting}")
        return None
    tag, label = str(result.get("asset_tag") or result["label"]), str(result["label"])
    url = f"{(params.url or '').rstrip('/')}/d/{tag}"
    screen.show(asset_tag=label, qr=qr_lines(url))
    log(f"inventory sent: asset tag {label} ({result.get('match')})")
    return tag


def _wipe_step(params: LiveParams, screen: Screen, tag: str | None) -> bool | None:
    """Wipe the internal disks when confirmed; True/False = all passed or not, None = no wipe."""
    disks = screen.state.disks
    targets = [d for d in disks if d.role == _ROLE_WIPE]
    if not confirmed(params, screen, targets):
        log("no wipe: " + ("no internal disk" if not targets else f"atelier.wipe={params.wipe}"))
        return None
    names = ", ".join(d.name for d in targets)
    log(f"wiping {names} (method {params.method}, verify {params.verify})")
    screen.show(step=f"Effacement de {names} (ne pas éteindre le PC)")
    statuses = run_wipe(params, targets, tag, screen)
    for disk in targets:
        status = statuses[disk.name]
        disk.role = (
            "effacé et vérifié" if status == "passed" else f"ÉCHEC de l'effacement ({status})"
        )
    screen.show(disks=disks)
    log("wipe finished: " + ", ".join(f"{n} {s}" for n, s in statuses.items()))
    return all(s == "passed" for s in statuses.values())


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
    log(f"boot parameters: url={params.url} wipe={params.wipe} method={params.method}")
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
    result = _wait_for(uplink, outbox_path, item_id, RESULT_WAIT)
    tag = _show_tag(screen, params, result)
    wiped = _wipe_step(params, screen, tag)
    uplink.wake.set()
    _wait_until_sent(uplink, screen, outbox_path)
    verdict = "ÉCHEC" if wiped is False else "RÉUSSI"
    done = "effacement vérifié" if wiped else "inventaire envoyé"
    screen.show(step=f"Terminé : {done}" if wiped is not False else "Terminé", verdict=verdict)
    log(f"verdict {'FAILED' if wiped is False else 'PASSED'}")
    if params.poweroff == "yes":
        log("powering off")
        subprocess.run(["systemctl", "poweroff"], check=False)
    return 1 if wiped is False else 0
