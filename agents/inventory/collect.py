"""Gather the whole inventory of this machine into a snapshot dict (see atelier_protocol.snapshot).

Each section is read independently: a section that fails adds a note and the
rest of the report goes on. External tools are only asked for what sysfs
cannot tell (memory modules, full ATA model, serials behind USB bridges).
"""

from __future__ import annotations

import dataclasses
import json
import os
import socket
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from agents.inventory import ata, dmi, hostinfo, udev
from agents.inventory.devices import battery_from_properties, list_gpus, list_interfaces
from agents.inventory.disks import Disk, list_disks
from agents.inventory.tools import ToolRunner
from atelier_protocol import INVENTORY_SCHEMA_VERSION
from atelier_protocol.identity import is_placeholder

DMIDECODE_TIMEOUT = 10.0
UDEV_DATABASE = "/run/udev/data"


def agent_version() -> str:
    """Return the bench agent's version (its package's, the one its distribution is built with)."""
    # Not importlib.metadata: ~25 ms of imports (email, zipfile, inspect) on every run, and the
    # distribution's name differs between a bench install and the development checkout.
    from agents import __version__  # noqa: PLC0415

    return __version__


def _use_udev(sys_root: str) -> bool:
    # pyudev always reads the running kernel's /sys; another root (tests, dumps) has no udev.
    # Without the udev database (live systems, containers) pyudev would only re-read the same
    # sysfs uevent files, for ~25 ms of start-up (libudev lookup via ldconfig).
    return os.path.realpath(sys_root) == "/sys" and os.path.isdir(UDEV_DATABASE)


def _dmidecode(runner: ToolRunner) -> list[dmi.DmiRecord] | None:
    output = runner.run(["dmidecode"], DMIDECODE_TIMEOUT)
    return dmi.parse_dmidecode(output) if output is not None else None


def collect_system(sys_root: str, records: list[dmi.DmiRecord] | None) -> dict[str, Any] | None:
    """Build the system section from sysfs DMI, else from dmidecode; None if neither exists."""
    values = dmi.read_dmi_sysfs(sys_root)
    if not values and records:
        values = dmi.identity_from_dmidecode(records)
    return dmi.build_system(values) if values else None


def disk_to_snapshot(disk: Disk) -> dict[str, Any]:
    """Convert a Disk to its snapshot form, flagging a placeholder serial."""
    data = dataclasses.asdict(disk)
    data.pop("diskseq")  # which media is in the slot now: for the wipe's last check only
    data["serial"] = {"value": disk.serial, "placeholder": is_placeholder(disk.serial)}
    return data


def _run_threads(task: Callable[[Disk], None], disks: list[Disk]) -> None:
    threads = [threading.Thread(target=task, args=(disk,)) for disk in disks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def collect_disks(sys_root: str, runner: ToolRunner) -> list[Disk]:
    """List disks from sysfs, completed by the udev database and ATA IDENTIFY where useful."""
    disks = list_disks(sys_root)
    udev_block = {}
    if _use_udev(sys_root):
        udev_block = udev.subsystem_properties("block", runner.notes)
    elif os.path.realpath(sys_root) == "/sys":
        runner.note(f"no udev database ({UDEV_DATABASE}): disks identified from sysfs and tools")
    disks = [udev.enrich_from_udev(d, udev_block.get(d.name, {})) for d in disks]
    needs_identify = [d for d in disks if d.transport in ("sata", "usb", "scsi", "sas")]
    if not needs_identify:
        return disks
    # One smartctl per disk, in parallel: a slow USB bridge must not delay the others.
    identities: dict[str, ata.DriveIdentity | None] = {}

    def identify(disk: Disk) -> None:
        identities[disk.name] = ata.identify_disk(disk, runner)

    _run_threads(identify, needs_identify)
    merged = []
    for disk in disks:
        identity = identities.get(disk.name)
        merged.append(ata.merge_identity(disk, identity) if identity else disk)
    return merged


def collect_batteries(sys_root: str, notes: list[str]) -> list[dict[str, Any]]:
    """List the machine's batteries from power_supply devices (pyudev, else sysfs uevent)."""
    properties = udev.subsystem_properties("power_supply", notes) if _use_udev(sys_root) else {}
    if not properties:
        properties = udev.uevent_properties(Path(sys_root) / "class/power_supply")
    batteries = []
    for name, props in sorted(properties.items()):
        battery = battery_from_properties(name, props)
        if battery is not None:
            batteries.append(battery)
    return batteries


def collect_memory(records: list[dmi.DmiRecord] | None) -> dict[str, Any]:
    """Total RAM from psutil, modules from dmidecode (None when dmidecode gave nothing)."""
    modules = hostinfo.memory_modules(records) if records is not None else None
    return {"total_bytes": hostinfo.memory_total(), "modules": modules}


def collect(sys_root: str = "/sys", runner: ToolRunner | None = None) -> dict[str, Any]:
    """Inventory this machine and return the snapshot as a plain dict (not yet validated)."""
    runner = runner or ToolRunner()
    records: list[dmi.DmiRecord] | None = None
    if dmi.has_dmi(sys_root):
        results: list[list[dmi.DmiRecord] | None] = []
        # dmidecode runs while sysfs is being read.
        worker = threading.Thread(target=lambda: results.append(_dmidecode(runner)))
        worker.start()
        disks = collect_disks(sys_root, runner)
        worker.join()
        records = results[0]
    else:
        runner.note("no SMBIOS tables (/sys/firmware/dmi): system identity and modules unknown")
        disks = collect_disks(sys_root, runner)
    gpus = list_gpus(sys_root)
    return {
        "schema_version": INVENTORY_SCHEMA_VERSION,
        "kind": "inventory",
        "collected_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "agent_version": agent_version(),
        "hostname": socket.gethostname(),
        "system": collect_system(sys_root, records),
        "cpu": hostinfo.read_cpu(),
        "memory": collect_memory(records),
        "disks": [disk_to_snapshot(d) for d in disks],
        "batteries": collect_batteries(sys_root, runner.notes),
        "network": list_interfaces(sys_root),
        "gpus": gpus,
        "notes": list(dict.fromkeys(runner.notes)),
    }


def to_json(snapshot: dict[str, Any]) -> str:
    """Serialise a snapshot dict as indented JSON."""
    return json.dumps(snapshot, indent=2, ensure_ascii=False)
