"""Network boot of the bench image in QEMU (TCG): the PC's iPXE ROM (Debian's ipxe-qemu) gets the
boot script from the workshop server over HTTP (QEMU's DHCP names it), boots the kernel and
initramfs from the server, live-boot downloads the ISO from the server into RAM, and the session
enrols and sends its inventory. The server and QEMU run inside a network namespace the test
creates; the boot files are the ones build-image.sh writes for WORKSHOP_NETBOOT_DIR."""

from __future__ import annotations

import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from tests.system.bench_image.conftest import GUEST_URL, PORT, build_iso

pytestmark = pytest.mark.root

SMBIOS_SERIAL = "ATL-PXE-0002"
BOOT_TIMEOUT = 1200.0
ROM = Path("/usr/lib/ipxe/qemu/efi-e1000.rom")


def test_a_pc_boots_from_the_network_and_reports(tmp_path, netns, make_ns_server, artifacts_dir):
    if not ROM.exists():
        pytest.skip(f"no iPXE ROM for QEMU's e1000 ({ROM}): Debian package ipxe-qemu")
    started = time.monotonic()
    netboot = tmp_path / "netboot"
    server = make_ns_server(WORKSHOP_NETBOOT_DIR=str(netboot))
    secret = server.cli("create-site-secret", "Atelier réseau")
    build_iso(
        tmp_path / "bench.iso",
        BENCH_URL=GUEST_URL,
        BENCH_SECRET=secret,
        BENCH_WIPE="no",
        BENCH_POWEROFF="yes",
        BENCH_NETBOOT_DIR=str(netboot),
    )
    assert (netboot / "cmdline.txt").read_text().split() == [
        "atelier.wipe=no", f"atelier.url={GUEST_URL}", f"atelier.secret={secret}",
        "atelier.poweroff=yes",
    ]  # fmt: skip
    server.start()
    serial_log = tmp_path / "serial.log"
    qemu = subprocess.Popen(
        netns.argv(
            "qemu-system-x86_64",
            "-machine",
            "q35",
            "-accel",
            "tcg",
            "-m",
            "1536",
            "-smp",
            "2",
            "-no-reboot",
            "-display",
            "none",
            "-monitor",
            "none",
            "-serial",
            f"file:{serial_log}",
            "-smbios",
            f"type=1,manufacturer=Atelier Test,product=PXE PC,serial={SMBIOS_SERIAL}",
            "-nic",
            f"user,model=e1000,bootfile=http://10.0.2.2:{PORT}/boot/ipxe",
            "-boot",
            "order=n",
        ),  # fmt: skip
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        output, _ = qemu.communicate(timeout=BOOT_TIMEOUT)
    except subprocess.TimeoutExpired:
        qemu.kill()
        output, _ = qemu.communicate()
    serial = serial_log.read_text(errors="replace")
    (artifacts_dir / "bench-image-pxe-serial.log").write_text(serial)
    assert qemu.returncode == 0, f"QEMU: {output.decode()[-2000:]}\nserial:\n{serial[-6000:]}"
    assert "atelier-live: verdict PASSED" in serial, serial[-6000:]
    # No disk nor CD: live-boot brought the network up to fetch the image from the server.
    assert "Waiting for ethernet card(s) up" in serial
    db = sqlite3.connect(server.instance / "atelier.sqlite3")
    rows = db.execute(
        "SELECT r.kind, b.name FROM bench_record r JOIN bench b ON b.id = r.bench_id"
    ).fetchall()
    db.close()
    session = f"Atelier réseau · PXE PC {SMBIOS_SERIAL}"
    # The inventory, then the quick diagnostics (RAM, CPU; no disk here), from one session.
    assert sorted(rows) == [("diagnostic.result", session), ("inventory.snapshot", session)]
    figures = f"bench image PXE boot test: whole test {time.monotonic() - started:.1f} s (TCG)"
    print(figures)
    (artifacts_dir / "bench-image-pxe.txt").write_text(figures + "\n")
