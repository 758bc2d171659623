"""Implementation of `bench-agent wipe` (imported only when the command runs)."""

from __future__ import annotations

import argparse
import json
import sys
import threading
from typing import Any

from agents.inventory.disks import Disk
from agents.safety import protection_reasons
from agents.wipe.board import BoardReporter
from agents.wipe.device import resolve_disk
from agents.wipe.errors import (
    DiskNotSelected,
    DiskProtected,
    JournalError,
    WipeError,
)
from agents.wipe.journal import Journal, state_dir_from_env
from agents.wipe.passes import Progress
from agents.wipe.progress import ProgressPrinter, human_bytes
from agents.wipe.runner import WipeRequest, run_wipe
from atelier_protocol.reasons import say
from atelier_protocol.wipe import PASSED_STATUSES, RESERVATION_CODES, WipeRecord

EXIT_FAILED, EXIT_REFUSED, EXIT_JOURNAL, EXIT_RESERVATIONS = 1, 3, 4, 5


def _describe_interrupted(record: WipeRecord) -> str:
    disk = record.disk
    return (
        f"INTERRUPTED wipe {record.wipe_id}: {disk.path} model={disk.model or '-'} "
        f"serial={disk.serial or '-'} started {record.started_at:%Y-%m-%d %H:%M:%S}Z, "
        f"{human_bytes(record.bytes_written)} written: NOT erased"
    )


def _resolve(devices: list[str]) -> list[Disk]:
    disks: dict[str, Disk] = {}
    for device in devices:
        disk = resolve_disk(device)
        reasons = protection_reasons(disk.name)
        if reasons:
            raise WipeError(f"refusing {device}: {'; '.join(reasons)}", {"reasons": reasons})
        disks.setdefault(disk.name, disk)
    return list(disks.values())


def _confirm(disks: list[Disk]) -> bool:
    print(f"About to ERASE {len(disks)} disk(s):", file=sys.stderr)
    for disk in disks:
        print(
            f"  {disk.path}  {disk.model or '-'}  {disk.serial or '-'}  "
            f"{human_bytes(disk.size_bytes)}  {disk.transport}",
            file=sys.stderr,
        )
    if not sys.stdin.isatty():
        print("refused: no terminal to confirm on; pass --yes", file=sys.stderr)
        return False
    return input("Type YES to erase them: ").strip() == "YES"


def _wipe_all(disks: list[Disk], args: argparse.Namespace, journal: Journal) -> list[Any]:
    results: dict[str, Any] = {}
    progress = {disk.name: Progress() for disk in disks}
    selected = set(args.devices)

    def work(disk: Disk) -> None:
        request = WipeRequest(disk, args.method, args.verify, args.bench_id, args.technician)
        try:
            results[disk.name] = run_wipe(
                request, selected=selected, journal=journal, progress=progress[disk.name]
            )
        except WipeError as exc:
            results[disk.name] = exc

    threads = [threading.Thread(target=work, args=(d,), name=f"wipe-{d.name}") for d in disks]
    board = BoardReporter(disks, progress, args, state_dir_from_env(args.state_dir)).start()
    with ProgressPrinter(progress):
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    died = WipeError.of(say("wipe.thread_died"))
    outcomes = [results.get(disk.name, died) for disk in disks]
    board.finish(outcomes)  # the outcomes leave with the wipe records (_queue)
    return outcomes


def _summary(name: str, result: Any) -> str:
    if isinstance(result, DiskProtected | DiskNotSelected):
        return f"{name:<10} REFUSED {result.message}"
    if isinstance(result, WipeError):
        return f"{name:<10} ERROR   {result.message} (the disk is NOT certified erased)"
    verification = result.verification
    text = (
        f"{name:<10} {result.status.upper():<7} {result.method} {result.technique}, "
        f"{len(result.passes)} pass(es), verify {verification.mode}: {verification.result} "
        f"({human_bytes(result.bytes_verified)})"
    )
    if result.errors:
        text += f"; {result.errors[0].message}"
    if result.reservations:
        named = ", ".join(say(RESERVATION_CODES[r]).english() for r in result.reservations)
        text += f"; with reservations: {named}"
    if result.purge is not None and result.method == "purge":
        text += f"; Purge: {result.purge.message}"
    if result.fallback_reason:
        text += f"; {result.fallback_reason}"
    if result.hidden_bytes_not_erased:
        text += f"; {human_bytes(result.hidden_bytes_not_erased)} hidden and NOT erased"
    elif result.hidden_area is not None and result.hidden_area.removed:
        text += "; hidden area (HPA) removed and wiped"
    return text


def run(args: argparse.Namespace) -> int:
    """Run the wipe command; see agents.wipe.command."""
    journal = Journal(state_dir_from_env(args.state_dir))
    try:
        fresh = journal.recover()  # interrupted wipes not reported before
        found = journal.interrupted() if args.recover else fresh
    except JournalError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return EXIT_JOURNAL
    for record in found:
        print(_describe_interrupted(record), file=sys.stderr)
    if args.recover:
        _queue(fresh, args)
        if args.json:
            print(json.dumps({"interrupted": [r.model_dump(mode="json") for r in found]}, indent=2))
        elif not found:
            print("no interrupted wipe in the journal", file=sys.stderr)
        return 0
    if not args.devices:
        print("error: name the disk(s) to wipe, e.g. bench-agent wipe /dev/sdb", file=sys.stderr)
        return EXIT_REFUSED
    try:
        disks = _resolve(args.devices)
    except WipeError as exc:
        print(f"refused: {exc.message}", file=sys.stderr)
        return EXIT_REFUSED
    if not args.yes and not _confirm(disks):
        return EXIT_REFUSED
    results = _wipe_all(disks, args, journal)
    for disk, result in zip(disks, results, strict=True):
        print(_summary(disk.name, result), file=sys.stderr if args.json else sys.stdout)
    if args.json:
        payload = {
            "interrupted": [r.model_dump(mode="json") for r in found],
            "records": [r.model_dump(mode="json") for r in results if isinstance(r, WipeRecord)],
            "refused": [r.message for r in results if isinstance(r, WipeError)],
        }
        print(json.dumps(payload, indent=2))
    _queue(found + [r for r in results if isinstance(r, WipeRecord)], args)
    return exit_status(results)


def exit_status(results: list[Any]) -> int:
    """0 when every disk passed; 5 when all passed but some with reservations; else 1."""
    statuses = [r.status if isinstance(r, WipeRecord) else "error" for r in results]
    if all(s == "passed" for s in statuses):
        return 0
    if all(s in PASSED_STATUSES for s in statuses):
        return EXIT_RESERVATIONS
    return EXIT_FAILED


def _queue(records: list[WipeRecord], args: argparse.Namespace) -> None:
    """Every record (interrupted ones too) goes to the server through the durable outbox."""
    from agents.sync.record_send import queue_records

    payloads = [r.model_dump(mode="json") for r in records]
    queued, message = queue_records(
        "wipe.record",
        payloads,
        asset_tag=args.asset_tag,
        state_dir=state_dir_from_env(args.state_dir),
    )
    if message:
        print(message, file=sys.stderr if args.json or not queued else sys.stdout)
