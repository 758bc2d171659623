"""Local wipe journal: one small JSON file per wipe, written before the first byte.

While a wipe runs, its journal entry holds the record with status "interrupted"
and the owner process (pid, start time, boot id). If the agent is killed, the
power is cut or the machine reboots, the entry stays "running" with a dead
owner; the next `bench-agent wipe` finds it and reports the wipe as interrupted,
never as passed. Files are replaced atomically (write, fsync, rename).
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psutil

from agents.durable import replace_json
from agents.wipe.errors import JournalError
from atelier_protocol.wipe import ErrorEntry, WipeRecord, WipeRecordInvalid, parse_wipe_record

DEFAULT_STATE_DIR = "/var/lib/atelier-bench"
RUNNING, FINISHED, INTERRUPTED = "running", "finished", "interrupted"


def state_dir_from_env(explicit: str | None = None) -> Path:
    """The state directory: the argument, else $BENCH_STATE_DIR, else the default."""
    return Path(explicit or os.environ.get("BENCH_STATE_DIR") or DEFAULT_STATE_DIR)


def _boot_id() -> str:
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text().strip()
    except OSError:
        return ""


def _owner() -> dict[str, Any]:
    me = psutil.Process()
    return {"pid": me.pid, "create_time": me.create_time(), "boot_id": _boot_id()}


def _owner_alive(owner: dict[str, Any]) -> bool:
    if owner.get("boot_id") != _boot_id():
        return False
    try:
        process = psutil.Process(int(owner["pid"]))
        return abs(process.create_time() - float(owner["create_time"])) < 0.01
    except (psutil.Error, KeyError, TypeError, ValueError):
        return False


class Journal:
    """The wipe journal under `<state_dir>/wipes/`."""

    def __init__(self, state_dir: Path) -> None:
        self.directory = state_dir / "wipes"

    def _path(self, wipe_id: str) -> Path:
        return self.directory / f"{wipe_id}.json"

    def _write(self, wipe_id: str, entry: dict[str, Any]) -> None:
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            replace_json(self._path(wipe_id), entry)
        except OSError as exc:
            raise JournalError(
                f"cannot write the wipe journal in {self.directory}: {exc.strerror or exc}"
            ) from exc

    def start(self, record: WipeRecord) -> None:
        """Record a wipe as running; `record.status` must say what a crash would mean."""
        self._write(record.wipe_id, self._entry(RUNNING, record))

    def update(self, record: WipeRecord) -> None:
        """Save progress of a running wipe (bytes written so far, passes)."""
        self._write(record.wipe_id, self._entry(RUNNING, record))

    def finish(self, record: WipeRecord) -> None:
        """Record the final outcome of a wipe."""
        self._write(record.wipe_id, self._entry(FINISHED, record))

    @staticmethod
    def _entry(state: str, record: WipeRecord) -> dict[str, Any]:
        return {"state": state, "owner": _owner(), "record": record.model_dump(mode="json")}

    def entries(self) -> list[dict[str, Any]]:
        """All journal entries, oldest file first; unreadable ones raise JournalError."""
        if not self.directory.is_dir():
            return []
        entries = []
        for path in sorted(self.directory.glob("*.json"), key=lambda p: p.stat().st_mtime):
            try:
                entries.append(json.loads(path.read_text(encoding="utf-8")))
            except (OSError, ValueError) as exc:
                raise JournalError(f"unreadable wipe journal entry {path}: {exc}") from exc
        return entries

    def recover(self) -> list[WipeRecord]:
        """Mark wipes whose owner died as interrupted; return those newly found."""
        return [record for record, new in self._scan() if new]

    def interrupted(self) -> list[WipeRecord]:
        """Every interrupted wipe in the journal (after marking newly dead ones)."""
        return [record for record, _ in self._scan()]

    def _scan(self) -> list[tuple[WipeRecord, bool]]:
        found = []
        for entry in self.entries():
            try:
                record = parse_wipe_record(entry["record"])
            except (KeyError, WipeRecordInvalid) as exc:
                raise JournalError(f"corrupt wipe journal entry: {exc}") from exc
            if entry.get("state") == RUNNING and not _owner_alive(entry.get("owner", {})):
                record = _as_interrupted(record)
                self._write(
                    record.wipe_id,
                    {**entry, "state": INTERRUPTED, "record": record.model_dump(mode="json")},
                )
                found.append((record, True))
            elif entry.get("state") == INTERRUPTED:
                found.append((record, False))
        return found


def _as_interrupted(record: WipeRecord) -> WipeRecord:
    note = ErrorEntry(
        kind="interrupted",
        message="the agent stopped during the wipe (killed, crashed, power cut or reboot)",
    )
    return record.model_copy(
        update={
            "status": "interrupted",
            "errors": [*record.errors, note],
            "ended_at": record.ended_at or datetime.now(UTC),
        }
    )
