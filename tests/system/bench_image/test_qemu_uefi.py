"""The bench image written to a USB stick and booted by UEFI firmware with Secure Boot on (OVMF
with Microsoft's keys enrolled, as on most PCs since 2012) in QEMU (TCG); the wipe of the PC's two
internal disks is confirmed by a technician on the workshop's bench board (the same request the
board's wipe page makes, through the API), not on the PC.

What it shows: the EFI path of the hybrid image boots under Secure Boot (shim signed by
Microsoft's UEFI CA, GRUB and the kernel signed by Debian), and the PC says so; the PC appears on the board as a bench
session with its disks, the boot stick among them marked as not internal (never a target); each
wipe runs only once confirmed with the serial and size the technician saw; the records are tied
to the PC's device; the planted data is gone from both disks and the stick is byte for byte the
image that was written. The server and QEMU run inside a network namespace the test creates.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from tests.system.bench_image.conftest import GUEST_URL, NsServer, build_iso, run_guest
from tests.system.bench_image.test_qemu_boot import DISK_BYTES, device_of_records, plant, records

pytestmark = pytest.mark.root

SMBIOS_SERIAL = "ATL-UEFI-0003"
NVME_SERIAL = "NVMEUEFI01"
SATA_SERIAL = "SATAUEFI02"
# Debian's ovmf: the firmware built with Secure Boot, and variables with Microsoft's keys enrolled
# and Secure Boot enabled.
OVMF_CODE = Path("/usr/share/OVMF/OVMF_CODE_4M.secboot.fd")
OVMF_VARS = Path("/usr/share/OVMF/OVMF_VARS_4M.ms.fd")
BOOT_TIMEOUT = 1500.0
TECHNICIAN = "technicien@uefi.test"
DISKS_SETTLE = 6.0  # seconds: the session sends its disks every 5 s once enrolled


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _confirm_on_the_board(server: NsServer, token: str, bench_name: str) -> dict[str, Any]:
    """As a technician on the board: the PC's bench session, its disks, a wipe asked for each
    internal one with the serial and size shown. Returns the bench as the board saw it."""
    benches = server.call_inside("GET", "/benches", token)
    assert isinstance(benches, list)
    bench = next(b for b in benches if b["name"] == bench_name)
    for disk in bench["disks"]:
        if disk["protected"]:
            continue
        serial = disk["serial"]["value"] if isinstance(disk["serial"], dict) else disk["serial"]
        body = {
            "kind": "wipe", "disk": disk["name"], "serial": serial,
            "size_bytes": disk["size_bytes"], "method": "zero", "verify": "full",
        }  # fmt: skip
        server.call_inside("POST", f"/benches/{bench['id']}/tasks", token, body)
    return bench


def test_a_secure_boot_pc_booted_from_a_stick_is_wiped_once_confirmed_on_the_bench_board(
    tmp_path: Path, ns_server: NsServer, netns: Any, artifacts_dir: Path
) -> None:
    missing = [str(p) for p in (OVMF_CODE, OVMF_VARS) if not p.exists()]
    if missing:
        pytest.skip(f"no UEFI firmware for QEMU ({', '.join(missing)}): Debian package ovmf")
    started = time.monotonic()
    secret = ns_server.cli("create-site-secret", "Atelier UEFI")
    ns_server.cli(
        "create-user", "--email", TECHNICIAN, "--name", "Technicienne",
        "--role", "technician", "--organisation", "Atelier test", "--password", "x" * 16,
    )  # fmt: skip
    token = ns_server.cli("create-token", TECHNICIAN).split()[-1]
    iso = build_iso(
        tmp_path / "bench.iso",
        BENCH_URL=GUEST_URL,
        BENCH_SECRET=secret,
        BENCH_WIPE="ask",
        BENCH_POWEROFF="yes",
        BENCH_TIMEOUT="1",
    )
    stick = tmp_path / "stick.img"  # the ISO written to a USB stick, as `dd` would
    shutil.copyfile(iso, stick)
    with stick.open("ab") as out:
        out.truncate(iso.stat().st_size + (16 << 20))  # a stick is larger than the image
    written = _digest(stick)
    nvme, sata = tmp_path / "nvme.img", tmp_path / "sata.img"
    markers = [plant(nvme, 3), plant(sata, 4)]
    vars_copy = tmp_path / "OVMF_VARS.fd"
    shutil.copyfile(OVMF_VARS, vars_copy)
    serial_log = tmp_path / "serial.log"
    argv = [
        "qemu-system-x86_64", "-machine", "q35,smm=on", "-accel", "tcg", "-m", "1024",
        "-smp", "2", "-no-reboot", "-display", "none", "-monitor", "none",
        "-serial", f"file:{serial_log}",
        "-global", "driver=cfi.pflash01,property=secure,value=on",
        "-drive", f"if=pflash,format=raw,unit=0,readonly=on,file={OVMF_CODE}",
        "-drive", f"if=pflash,format=raw,unit=1,file={vars_copy}",
        "-smbios", f"type=1,manufacturer=Atelier Test,product=UEFI PC,serial={SMBIOS_SERIAL}",
        "-device", "qemu-xhci,id=xhci",
        "-drive", f"file={stick},format=raw,if=none,id=stick",
        "-device", "usb-storage,bus=xhci.0,drive=stick,removable=on,bootindex=0",
        "-drive", f"file={nvme},format=raw,if=none,id=nvmedisk",
        "-device", f"nvme,serial={NVME_SERIAL},drive=nvmedisk",
        "-drive", f"file={sata},format=raw,if=none,id=satadisk",
        "-device", f"ide-hd,drive=satadisk,bus=ide.1,serial={SATA_SERIAL}",
        "-nic", "user,model=e1000",
    ]  # fmt: skip
    qemu = subprocess.Popen(netns.argv(*argv), stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    bench_name = f"Atelier UEFI · UEFI PC {SMBIOS_SERIAL}"
    seen: list[dict[str, Any]] = []

    def confirm() -> None:
        time.sleep(DISKS_SETTLE)
        seen.append(_confirm_on_the_board(ns_server, token, bench_name))

    asked = "atelier-live: waiting for a confirmation of the wipe of nvme0n1, sda (OUI or the "
    output = run_guest(qemu, serial_log, BOOT_TIMEOUT, [(asked, confirm)])
    serial = serial_log.read_text(errors="replace")
    (artifacts_dir / "bench-image-uefi-serial.log").write_text(serial)
    assert qemu.returncode == 0, f"QEMU: {output.decode()[-2000:]}\nserial:\n{serial[-6000:]}"
    assert "atelier-live: verdict PASSED" in serial, serial[-6000:]
    # OVMF's boot manager started the stick (GRUB's EFI image), not a BIOS path.
    assert re.search(r'BdsDxe: starting Boot[0-9A-F]{4} "UEFI [^"]*USB', serial), serial[:3000]
    assert "atelier-live: firmware: UEFI, Secure Boot on" in serial, serial[-6000:]

    # The board saw the PC's disks: both internal ones free, the stick protected.
    assert seen, "the wipe was never confirmed on the board"
    disks = {d["name"]: d for d in seen[0]["disks"]}
    assert not disks["nvme0n1"]["protected"] and not disks["sda"]["protected"], disks
    sticks = [d for d in disks.values() if d["transport"] == "usb"]
    assert len(sticks) == 1, disks
    codes = {r["code"] for r in sticks[0]["protected_reasons"]}
    assert "live.not_internal" in codes, sticks[0]

    got = records(ns_server.instance)
    wiped = {p["disk"]["serial"]: p for k, p, *_ in got if k == "wipe.record"}
    assert set(wiped) == {NVME_SERIAL, SATA_SERIAL}, [k for k, *_ in got]
    assert all(r["status"] == "passed" for r in wiped.values()), wiped
    tasks = ns_server.call_inside("GET", f"/benches/{seen[0]['id']}/tasks", token)
    assert isinstance(tasks, list)
    assert sorted((t["disk_name"], t["status"]) for t in tasks) == [
        ("nvme0n1", "passed"), ("sda", "passed"),
    ], tasks  # fmt: skip
    links = device_of_records(ns_server.instance)
    assert links["inventory.snapshot"] == links["wipe.record"], links
    assert [serial for _, serial in links["wipe.record"]] == [SMBIOS_SERIAL]
    for image, marker in zip((nvme, sata), markers, strict=True):
        data = image.read_bytes()
        assert len(data) == DISK_BYTES and marker not in data
        assert data.count(0) == len(data), f"{image.name}: non-zero bytes survived the wipe"
    assert _digest(stick) == written, "the boot stick was written to"
    figures = f"bench image UEFI boot test: whole test {time.monotonic() - started:.1f} s (TCG)"
    print(figures)
    (artifacts_dir / "bench-image-uefi.txt").write_text(figures + "\n")
