"""Capture golden agent records: what the bench agent of this checkout puts in its outbox.

Runs the agent's own code on this machine (root: real loop devices, one over a FUSE file
that fails like a disk, one mounted) and writes every outbox body, byte for byte as the
agent would POST it, to OUT_DIR/NN-<kind>-<what>.json:

    sudo .venv/bin/python scripts/capture_golden_records.py tests/fixtures/golden/agent-0.1

Records: the inventory snapshot of this machine, and of a captured laptop (its dmidecode and a
SATA SSD's sysfs from tests/fixtures/hardware, replayed); wipe tasks (passed, passed with
reservations by sampled verification, Purge asked and Cleared instead, failed on a write
error, refused because a partition is mounted, refused because the disk is not the one
confirmed) with their `task.status` transitions and `wipe.record`s; a diagnostic task on a
disk; a diagnostic of the machine with its `diagnostic.result`. The server must keep parsing
these after the agent changes (tests/integration/workshop/test_golden_records.py).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FAULTY = ROOT / "tests" / "system" / "agents" / "wipe" / "faultydisk.py"
MiB = 1 << 20


def _losetup(target: Path) -> str:
    argv = ["losetup", "--find", "--show", "--direct-io=on", str(target)]
    return subprocess.run(argv, capture_output=True, text=True, check=True).stdout.strip()


def _loop(tmp: Path, name: str, size_mib: int = 8) -> str:
    backing = tmp / f"{name}.img"
    with open(backing, "wb") as handle:
        handle.write(b"PLANTED!" * (size_mib * MiB // 8))
    return _losetup(backing)


def _faulty_loop(tmp: Path, size_mib: int = 8) -> tuple[str, subprocess.Popen[bytes], Path]:
    base = tmp / "faulty"
    mount, status = base / "mnt", base / "status"
    mount.mkdir(parents=True)
    status.mkdir()
    backing = base / "backing.img"
    backing.write_bytes(b"PLANTED!" * (size_mib * MiB // 8))
    fail_at = f"{4 * MiB}:{4096}"
    argv = [sys.executable, str(FAULTY), str(backing), str(mount), str(status), "--fail-write"]
    process = subprocess.Popen([*argv, fail_at], stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while not (mount / "disk.img").exists():
        if process.poll() is not None or time.monotonic() > deadline:
            raise SystemExit("the FUSE faulty disk did not start")
        time.sleep(0.05)
    return _losetup(mount / "disk.img"), process, status


def _captured_laptop(tmp: Path) -> dict[str, object]:
    """The snapshot the agent makes of a real machine's captured outputs (SMBIOS, a SATA SSD)."""
    sys.path.insert(0, str(ROOT))
    from agents.inventory.collect import collect
    from tests.unit.agents.inventory.conftest import ReplayRunner, parse_dumper, write_tree

    hardware = ROOT / "tests" / "fixtures" / "hardware"
    dump = (hardware / "sysfs/sata-ssd_vpd_pg80-serial_f31-nanobox.dump").read_bytes()
    root = tmp / "sys"
    write_tree(root, parse_dumper(dump.decode("latin-1"))["SYSTEM"]["sys"])
    (root / "firmware/dmi/tables").mkdir(parents=True)  # SMBIOS present: dmidecode is read
    dmi = (hardware / "dmidecode/laptop_lenovo-thinkpad-x1-carbon-5th_battery.txt").read_text()
    return collect(sys_root=str(root), runner=ReplayRunner({"dmidecode": dmi}))


def main(out_dir: Path) -> int:
    from agents.client import ServerClient
    from agents.daemon.tasks import TaskWorker
    from agents.inventory.collect import collect
    from agents.outbox import Outbox
    from agents.settings import BenchSettings
    from agents.wipe.device import resolve_disk
    from atelier_protocol.task import TaskSpec

    out_dir.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="golden-"))
    loops: list[str] = []
    names: list[str] = []
    faulty = None
    mounted_dir = tmp / "mnt"
    try:
        state = tmp / "state"
        state.mkdir()
        settings = BenchSettings(
            config_path=tmp / "bench.json",
            state_dir=str(state),
            bench_name="golden bench",
            remote_wipe="any",
            machine_ram_mib=8,
            machine_cpu_seconds=0.5,
        )
        outbox = Outbox(state / "outbox.sqlite3")
        worker = TaskWorker(
            settings,
            ServerClient("http://127.0.0.1:9", "unused"),  # progress only: nothing listens
            outbox,
            wake_sender=threading.Event(),
            stopping=threading.Event(),
        )

        def task(what: str, kind: str, device: str | None, **options: object) -> None:
            spec: dict[str, object] = {"uid": f"golden-{what}", "kind": kind, "origin": "web"}
            if device is not None:
                disk = resolve_disk(device)
                spec["disk"] = {
                    "name": disk.name,
                    "serial": options.pop("serial", disk.serial or None),
                    "model": disk.model,
                    "size_bytes": disk.size_bytes,
                }
            spec.update(options, requested_by="Camille (golden capture)", asset_tag="K7QX4M2PH")
            names.append(what)
            worker._run(TaskSpec.model_validate(spec))

        outbox.enqueue("inventory.snapshot", collect())
        outbox.enqueue("inventory.snapshot", _captured_laptop(tmp), asset_tag="K7QX4M2PH")
        loops.append(_loop(tmp, "passed"))
        task("wipe-passed", "wipe", loops[-1], method="zero")
        loops.append(_loop(tmp, "sampled"))
        task("wipe-sampled", "wipe", loops[-1], method="random", verify="sample")
        loops.append(_loop(tmp, "purge"))
        task("wipe-purge-fallback", "wipe", loops[-1], method="purge")
        device, process, status = _faulty_loop(tmp)
        faulty = (device, process, status)
        task("wipe-failed", "wipe", device, method="zero")
        loops.append(_loop(tmp, "mounted", 16))
        subprocess.run(["mkfs.ext4", "-q", "-F", loops[-1]], check=True)
        mounted_dir.mkdir()
        subprocess.run(["mount", loops[-1], str(mounted_dir)], check=True)
        task("wipe-refused-mounted", "wipe", loops[-1])
        loops.append(_loop(tmp, "other"))
        task("wipe-refused-other-disk", "wipe", loops[-1], serial="WD-WCC4N0000000")
        loops.append(_loop(tmp, "diagnosed"))
        task("diagnose-disk", "diagnose", loops[-1])
        task("diagnose-machine", "machine", None)
        _write(outbox, out_dir)
        outbox.close()
    finally:
        subprocess.run(["umount", str(mounted_dir)], capture_output=True, check=False)
        if faulty is not None:
            (faulty[2] / "unplug").touch()
            subprocess.run(["losetup", "-d", faulty[0]], check=False)
            subprocess.run(["fusermount3", "-u", str(tmp / "faulty" / "mnt")], check=False)
            faulty[1].terminate()
        for device in loops:
            subprocess.run(["losetup", "-d", device], check=False)
    return 0


def _write(outbox: object, out_dir: Path) -> None:
    rows = outbox._read("SELECT id, kind, body FROM item ORDER BY id")  # type: ignore[attr-defined]
    for index, row in enumerate(rows, start=1):
        body = json.loads(row["body"])
        payload = body["payload"]
        what = payload.get("uid") or payload.get("status") or payload.get("kind") or ""
        name = f"{index:02d}-{row['kind']}-{payload.get('state', what)}.json"
        (out_dir / name).write_bytes(bytes(row["body"]) + b"\n")
        print(name, len(row["body"]), "bytes")


if __name__ == "__main__":
    if os.geteuid() != 0:
        raise SystemExit("run as root: it attaches loop devices")
    sys.exit(main(Path(sys.argv[1])))
