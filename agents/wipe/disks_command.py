"""`bench-agent disks`: every disk, its identity and whether it may be wiped.

    $ bench-agent disks
    NAME    SIZE       TRANSPORT  MODEL                 SERIAL          WIPE
    loop0   64.0 MiB   loop       -                     -               yes
    vda     256.0 GiB  virtio     -                     201664326763376 no: holds the runn...

(the last column is not cut on a real run: "no: holds the running system: vda
mounted at /"). `--json` gives one object per disk with `wipe_allowed` and
`protected_reasons`.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from agents.inventory.disks import Disk, list_disks
from agents.safety import assess
from agents.wipe.progress import human_bytes


def register(subparsers: Any) -> None:
    """Add the `disks` subcommand."""
    parser = subparsers.add_parser("disks", help="list disks and whether they may be wiped")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.set_defaults(func=run)


def disk_rows() -> list[dict[str, Any]]:
    """One dict per disk: identity plus `wipe_allowed` and `protected_reasons`."""
    rows = []
    for disk in list_disks():
        verdict = assess(disk.name)
        rows.append(
            _row(disk) | {"wipe_allowed": verdict.allowed, "protected_reasons": verdict.reasons}
        )
    return rows


def _row(disk: Disk) -> dict[str, Any]:
    keys = ("name", "path", "model", "serial", "wwn", "size_bytes", "transport")
    return {key: getattr(disk, key) for key in keys} | {
        "logical_sector_size": disk.logical_sector_size,
        "rotational": disk.rotational,
        "removable": disk.removable,
    }


def run(args: argparse.Namespace) -> int:
    """Print the disk table (or JSON)."""
    rows = disk_rows()
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    print(f"{'NAME':<8}{'SIZE':<11}{'TRANSPORT':<11}{'MODEL':<22}{'SERIAL':<16}WIPE")
    for row in rows:
        wipe = "yes" if row["wipe_allowed"] else "no: " + "; ".join(row["protected_reasons"])
        print(
            f"{row['name']:<8}{human_bytes(row['size_bytes']):<11}{row['transport']:<11}"
            f"{(row['model'] or '-')[:21]:<22}{(row['serial'] or '-')[:15]:<16}{wipe}"
        )
    return 0
