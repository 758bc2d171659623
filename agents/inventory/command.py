"""`bench-agent inventory`: show what hardware this machine has, or print the JSON snapshot.

Sample run (a virtual machine without SMBIOS tables, a loop device attached)::

    $ bench-agent inventory
    System
      (no SMBIOS tables)

    Processor and memory
      CPU            AMD EPYC
      Cores/threads  2/2
      Max frequency  -
      Memory         25.3 GB
      (memory modules unknown: see notes)

    Disks
      Device      Transport  Size      Model  Serial            Sectors   Kind
      /dev/loop1  loop       67.1 MB   -      -                 512/512   file
      /dev/vda    virtio     274.9 GB  -      2016643267633766  512/4096  HDD

    Batteries
      (none)

    Network
      eth0         wired    02:fc:00:00:00:01

    GPUs
      (none)

    Notes
      - no SMBIOS tables (/sys/firmware/dmi): system identity and modules unknown

    $ bench-agent inventory --json | head -3
    {
      "schema_version": "1.0",
      "kind": "inventory",

The snapshot is checked against the JSON Schema generated from the pydantic
models of atelier_protocol.snapshot (without importing pydantic: start-up
matters) before it is printed; an invalid one is an agent bug: exit status 1.
"""

from __future__ import annotations

import argparse
import sys

from atelier_protocol.errors import SnapshotError


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `inventory` subcommand."""
    parser = subparsers.add_parser(
        "inventory", help="list this machine's hardware (identity, CPU, memory, disks...)"
    )
    parser.add_argument("--json", action="store_true", help="print the versioned JSON snapshot")
    parser.add_argument(
        "--send", action="store_true", help="also queue the snapshot for the server and send it"
    )
    parser.add_argument("--asset-tag", help="with --send: the device's asset tag (typed/scanned)")
    parser.add_argument("--sys-root", default="/sys", help=argparse.SUPPRESS)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Collect, validate and print the inventory."""
    # Imported here so that `bench-agent --help` and other commands stay fast.
    from agents.inventory.collect import collect, to_json  # noqa: PLC0415
    from agents.inventory.render import render  # noqa: PLC0415
    from agents.inventory.schema_check import check_snapshot  # noqa: PLC0415

    snapshot = collect(sys_root=args.sys_root)
    try:
        check_snapshot(snapshot)
    except SnapshotError as error:
        print(f"bench-agent: internal error, inventory not valid: {error}", file=sys.stderr)
        return 1
    sys.stdout.write(to_json(snapshot) + "\n" if args.json else render(snapshot))
    if getattr(args, "send", False):
        from agents.sync.inventory_send import send_snapshot  # noqa: PLC0415

        status, message = send_snapshot(snapshot, asset_tag=getattr(args, "asset_tag", None))
        print(message, file=sys.stderr if args.json or status else sys.stdout)
        return status
    return 0
