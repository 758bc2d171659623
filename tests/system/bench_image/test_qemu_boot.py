"""Boot the bench ISO in QEMU (TCG): an emulated PC with an NVMe and a SATA disk full of planted
data enrols with its site secret, sends its inventory, runs the quick diagnostics, asks on its
screen whether to wipe, gets OUI typed on its keyboard (QEMU's `sendkey`), wipes both disks and
powers off.

Everything is real: the ISO built by packaging/bench-image (cached Debian base), GRUB, the kernel,
live-boot, systemd, the agent, the workshop server on SQLite. The server and QEMU run inside a
network namespace the test creates, so the guest reaches 127.0.0.1 of that namespace (as
10.0.2.2) and nothing else. Figures (boot to agent, whole test) are printed and written to
test-artifacts/bench-image-boot.txt; nothing is asserted on time.
"""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from agents.live.bigtext import big
from tests.helpers.text_qr import decode_text_qr
from tests.system.bench_image.conftest import (
    GUEST_URL,
    Namespace,
    NsServer,
    build_iso,
    run_guest,
    send_keys,
)

pytestmark = pytest.mark.root

SMBIOS_SERIAL = "ATL-QEMU-0001"
NVME_SERIAL = "NVMEPLANT01"
SATA_SERIAL = "SATAPLANT02"
DISK_BYTES = 64 << 20
BOOT_TIMEOUT = 1200.0  # seconds for the whole guest session in TCG (it powers off at the end)


def plant(path: Path, seed: int) -> bytes:
    """Fill a disk image with recognisable non-zero data; return the marker."""
    marker = f"ATELIER-PLANTED-{seed:04d}|".encode()
    block = (marker * (4096 // len(marker) + 1))[:4096]
    with path.open("wb") as out:
        for _ in range(DISK_BYTES // 4096):
            out.write(block)
    return marker


def qemu_argv(
    iso: Path, nvme: Path, sata: Path, serial_log: Path, screen: Path, monitor: Path
) -> list[str]:
    """An emulated PC: SMBIOS identity, NVMe + SATA disks, the ISO as CD; the serial console
    (ttyS0) and the session's screen (ttyS1, atelier.screen) each to a file; the monitor on a
    Unix socket (the keyboard is typed on through it)."""
    return [
        "qemu-system-x86_64", "-machine", "q35", "-accel", "tcg", "-m", "1024", "-smp", "2",
        "-no-reboot", "-display", "none", "-monitor", f"unix:{monitor},server=on,wait=off",
        "-serial", f"file:{serial_log}", "-serial", f"file:{screen}",
        "-smbios", f"type=1,manufacturer=Atelier Test,product=Bench PC,serial={SMBIOS_SERIAL}",
        "-drive", f"file={iso},media=cdrom,if=none,id=cd,readonly=on",
        "-device", "ide-cd,drive=cd,bus=ide.0",
        "-drive", f"file={nvme},format=raw,if=none,id=nvmedisk",
        "-device", f"nvme,serial={NVME_SERIAL},drive=nvmedisk",
        "-drive", f"file={sata},format=raw,if=none,id=satadisk",
        "-device", f"ide-hd,drive=satadisk,bus=ide.1,serial={SATA_SERIAL}",
        "-nic", "user,model=e1000",
        "-boot", "order=d",
    ]  # fmt: skip


def records(instance: Path) -> list[tuple[str, dict, dict, str]]:
    """(kind, payload, result, bench name) of every record the server stored."""
    db = sqlite3.connect(instance / "atelier.sqlite3")
    rows = db.execute(
        "SELECT r.kind, r.payload, r.result, b.name, b.site_secret_id FROM bench_record r "
        "JOIN bench b ON b.id = r.bench_id ORDER BY r.id"
    ).fetchall()
    db.close()
    assert all(row[4] is not None for row in rows), "records from a bench that is no site session"
    return [(k, json.loads(p), json.loads(r), n) for k, p, r, n, _ in rows]


def device_of_records(instance: Path) -> dict[str, set[tuple[int | None, str | None]]]:
    """kind -> {(device id, device serial)} of the inventory and wipe records."""
    db = sqlite3.connect(instance / "atelier.sqlite3")
    rows = db.execute(
        "SELECT r.kind, r.device_id, d.serial FROM bench_record r "
        "LEFT JOIN device d ON d.id = r.device_id "
        "WHERE r.kind IN ('inventory.snapshot', 'wipe.record')"
    ).fetchall()
    db.close()
    links: dict[str, set[tuple[int | None, str | None]]] = {}
    for kind, device_id, serial in rows:
        links.setdefault(kind, set()).add((device_id, serial))
    return links


def agent_start_seconds(serial: str) -> float | None:
    """Kernel time (s) of the agent's first line on the serial console."""
    found = re.search(r"\[\s*([0-9.]+)\][^\n]*atelier-live: boot parameters", serial)
    return float(found.group(1)) if found else None


PUBLIC_URL = "https://atelier-test.example"  # where people reach the workshop (its QR codes)


def test_booted_pc_enrols_reports_and_wipes_its_disks(
    tmp_path: Path, netns: Namespace, make_ns_server: Callable[..., NsServer], artifacts_dir: Path
) -> None:
    started = time.monotonic()
    ns_server = make_ns_server(WORKSHOP_PUBLIC_BASE_URL=PUBLIC_URL)
    ns_server.start()
    assert [line.split(":")[1].strip() for line in netns.interfaces().splitlines()] == ["lo"]
    secret = ns_server.cli("create-site-secret", "Atelier test")
    iso = build_iso(
        tmp_path / "bench.iso",
        BENCH_URL=GUEST_URL,
        BENCH_SECRET=secret,
        BENCH_WIPE="ask",
        BENCH_METHOD="zero",
        BENCH_POWEROFF="yes",
        BENCH_TIMEOUT="1",
        BENCH_EXTRA_ARGS="atelier.screen=/dev/ttyS1",
    )
    built = time.monotonic()
    nvme, sata = tmp_path / "nvme.img", tmp_path / "sata.img"
    markers = [plant(nvme, 1), plant(sata, 2)]
    serial_log, screen_log = tmp_path / "serial.log", tmp_path / "screen.log"
    monitor = tmp_path / "monitor.sock"
    qemu = subprocess.Popen(
        netns.argv(*qemu_argv(iso, nvme, sata, serial_log, screen_log, monitor)),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    asked = "atelier-live: waiting for a confirmation of the wipe of nvme0n1, sda"
    typed = lambda: send_keys(monitor, ["o", "u", "i", "ret"])  # noqa: E731
    output = run_guest(qemu, serial_log, BOOT_TIMEOUT, [(asked, typed)])
    booted = time.monotonic()
    serial = serial_log.read_text(errors="replace")
    (artifacts_dir / "bench-image-serial.log").write_text(serial)
    assert qemu.returncode == 0, f"QEMU: {output.decode()[-2000:]}\nserial:\n{serial[-6000:]}"
    assert "atelier-live: verdict PASSED" in serial, serial[-6000:]

    got = records(ns_server.instance)
    kinds = [kind for kind, *_ in got]
    assert kinds.count("inventory.snapshot") == 1 and kinds.count("wipe.record") == 2, kinds
    assert kinds.count("diagnostic.result") == 1, kinds
    assert asked in serial and "atelier-live: firmware: BIOS" in serial, serial[-6000:]
    snapshot = next(p for k, p, *_ in got if k == "inventory.snapshot")
    assert snapshot["system"]["serial"]["value"] == SMBIOS_SERIAL
    assert snapshot["system"]["vendor"] == "Atelier Test"
    disk_serials = {d["serial"]["value"] for d in snapshot["disks"] if d.get("serial")}
    assert {NVME_SERIAL, SATA_SERIAL} <= disk_serials, snapshot["disks"]
    inventory_result = next(r for k, _, r, _ in got if k == "inventory.snapshot")
    assert inventory_result["match"] == "created" and inventory_result["label"]
    # The last screen the PC showed (each redraw clears the terminal first).
    screen = screen_log.read_bytes().decode(errors="replace").split("\x1b[3J")[-1]
    (artifacts_dir / "bench-image-screen.txt").write_text(screen)
    assert f"Étiquette : {inventory_result['label']}" in screen, screen
    assert f"n° de série {SMBIOS_SERIAL}" in screen and "serveur : en ligne" in screen
    assert screen.count("→ effacé et vérifié") == 2 and "en cours :" not in screen, screen
    assert "Diagnostic : mémoire réussi, processeur réussi" in screen, screen
    diagnostic = next(p for k, p, *_ in got if k == "diagnostic.result")
    assert {d["serial"] for d in diagnostic["disks"]} == {NVME_SERIAL, SATA_SERIAL}, diagnostic
    assert "0 en attente" in screen, screen
    qr_rows = [
        r.strip("\r")
        for r in screen.split("\n")
        if r.strip("\r") and set(r.strip("\r")) <= set(" ▀▄█")
    ]
    assert len(qr_rows) >= 12 and "▄" in "".join(qr_rows), screen  # the QR code
    # It reads as the device's public page at the server's public address, not atelier.url.
    tag = inventory_result["asset_tag"]
    assert decode_text_qr(qr_rows) == [f"{PUBLIC_URL}/d/{tag}"], screen
    assert "\n".join(big("RÉUSSI")).replace("\n", "\r\n") in screen
    assert (
        "atelier-live: inventory: Atelier Test Bench PC serial ATL-QEMU-0001, 2 disk(s)" in serial
    )
    wiped = {p["disk"]["serial"]: p for k, p, *_ in got if k == "wipe.record"}
    assert set(wiped) == {NVME_SERIAL, SATA_SERIAL}
    for record in wiped.values():
        assert record["status"] == "passed", record
        assert record["verification"]["result"] == "passed"
        assert record["bytes_written"] >= DISK_BYTES
    # The wipe records are tied to the device the inventory created (the PC's serial).
    links = device_of_records(ns_server.instance)
    assert links["inventory.snapshot"] == links["wipe.record"], links
    assert [serial for _, serial in links["wipe.record"]] == [SMBIOS_SERIAL]
    names = {name for *_, name in got}
    assert names == {f"Atelier test · Bench PC {SMBIOS_SERIAL}"}

    for image, marker in zip((nvme, sata), markers, strict=True):
        data = image.read_bytes()
        assert len(data) == DISK_BYTES
        assert marker not in data
        assert data.count(0) == len(data), f"{image.name}: non-zero bytes survived the wipe"

    agent_at = agent_start_seconds(serial)
    figures = (
        f"bench image boot test: ISO build {built - started:.1f} s (cached base), "
        f"QEMU session {booted - built:.1f} s, kernel start to agent {agent_at} s (TCG), "
        f"whole test {time.monotonic() - started:.1f} s, ISO {iso.stat().st_size / 1e6:.0f} MB"
    )
    print(figures)
    (artifacts_dir / "bench-image-boot.txt").write_text(figures + "\n")
