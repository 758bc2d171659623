"""`bench-agent wipe`: wipe the named disks in parallel, verify, and report per disk.

    $ bench-agent wipe /dev/sdb /dev/sdc --method auto
    About to ERASE 2 disk(s):
      /dev/sdb  ST500DM002-1BD142  Z3T5XXXX  465.8 GiB  sata
      /dev/sdc  SanDisk Cruzer     4C53000  14.3 GiB   usb
    Type YES to erase them: YES
    sdb        pass 1/1      12.4 GiB / 465.8 GiB     182.3 MB/s  ETA 0:42:27
    sdc        verify         3.1 GiB / 14.3 GiB       38.0 MB/s  ETA 0:05:02
    ...
    sdb        PASSED  clear overwrite-zeros, 1 pass(es), verify full: passed (465.8 GiB)
    sdc        FAILED  clear overwrite-aes-256-ctr, ...; write failed at LBA 1048576: ...

    $ bench-agent wipe /dev/sdd --method purge --yes
    sdd        purge      58 / 100 ...
    sdd        PASSED  purge ata-sanitize-crypto-scramble+overwrite-zeros, 1 pass(es),
               verify full: passed (238.5 GiB); Purge: accepted, seen in progress, then completed

Exit status: 0 when every disk passed, 1 when any failed, 3 when refused before
anything was written, 4 when the local journal cannot be used. Interrupted wipes
from an earlier run (agent killed, power cut) are reported at the start of every
wipe command; `bench-agent wipe --recover` lists them all.
"""

from __future__ import annotations

import argparse
from typing import Any


def register(subparsers: Any) -> None:
    """Add the `wipe` subcommand."""
    parser = subparsers.add_parser("wipe", help="erase disks (Clear/Purge) and verify")
    parser.add_argument("devices", nargs="*", metavar="DEVICE", help="whole disks, e.g. /dev/sdb")
    parser.add_argument(
        "--method",
        choices=["auto", "zero", "random", "purge"],
        default="auto",
        help=(
            "auto: Purge (ATA SANITIZE, NVMe Sanitize/Format) on SSD/NVMe when the drive "
            "supports it, Clear (overwrite) otherwise; purge: Purge on any disk that supports "
            "it, hard disks included (ATA SECURITY ERASE there); when Purge is impossible, "
            "refused by the drive or not confirmed, the disk is Cleared instead and the "
            "record says why; zero / random: Clear only (one overwrite pass, verified). "
            "An ATA hidden area (HPA) is removed first so that the whole disk is wiped"
        ),
    )
    parser.add_argument("--verify", choices=["full", "sample"], default="full")
    parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    parser.add_argument("--json", action="store_true", help="print the wipe records as JSON")
    parser.add_argument("--recover", action="store_true", help="report interrupted wipes only")
    parser.add_argument("--state-dir", help="journal directory (default $BENCH_STATE_DIR)")
    parser.add_argument("--bench-id", help="bench identifier for the record")
    parser.add_argument("--technician", help="technician for the record")
    parser.add_argument(
        "--asset-tag", help="asset tag of the machine the disks come from (typed or scanned)"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run the wipe; the engine is imported here so other commands start fast."""
    from agents.wipe.wipe_run import run as run_wipe_command

    return run_wipe_command(args)
