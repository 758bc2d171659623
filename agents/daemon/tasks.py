"""Tasks the server asks of this bench (wipe or diagnose a disk, diagnose the machine), and
disk-dock wipes.

The server asks; the bench decides. A task runs only when the disk the bench sees
under the task's name has the serial and size the technician confirmed, no safety
rule protects it (agents.safety), and the local policy allows it (BenchSettings:
`remote_wipe` off / hotplugged / any; disks present when the daemon started are never
wiped on request under `hotplugged`). Anything else is refused with the reason, and
the refusal is reported like any other outcome. A diagnostic of the machine only reads
(RAM and CPU checks, batteries, every disk's SMART and short self-test); its result goes
to the server as a `diagnostic.result` record, like `bench-agent diagnose --send`.

Durability: a task's uid is written to `<state_dir>/tasks.json` (fsynced) before it
starts, so a task is never started twice, and one found "running" there at start-up
was cut short (agent killed, power cut): it is reported as interrupted, with the
interrupted wipe record from the wipe journal. Transitions and records go through
the outbox; progress is sent directly every second and only the latest value counts.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from agents.client import ClientError, ServerClient
from agents.durable import replace_json
from agents.inventory.disks import Disk
from agents.outbox import Outbox
from agents.safety import protection_messages
from agents.settings import BenchSettings
from agents.wipe.passes import Progress
from atelier_protocol.reasons import Message, english, say
from atelier_protocol.task import MAX_REASONS, TaskSpec, TaskStatus

log = logging.getLogger(__name__)
TASK_POLL = 2.0  # seconds between two looks at the server's task list
PROGRESS_INTERVAL = 1.0
KEEP_LOCAL = 500  # finished task uids remembered in tasks.json

DiskKey = tuple[str, str | None, int]
Resolver = Callable[[str], Disk]


def disk_key(disk: dict[str, Any]) -> DiskKey:
    """Identity of a reported disk: name, serial, size."""
    serial = disk.get("serial")
    value = serial.get("value") if isinstance(serial, dict) else serial
    return str(disk.get("name")), value, int(disk.get("size_bytes") or 0)


def _block_names(sys_root: Path) -> list[str]:
    try:
        return [entry.name for entry in (sys_root / "block").iterdir()]
    except OSError:
        return []


def _now() -> datetime:
    return datetime.now(UTC)


class LocalTasks:
    """uid -> state of the tasks this bench took, kept in one JSON file written atomically."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.lock = threading.Lock()
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            data = {}
        except (OSError, ValueError) as error:
            # Unreadable: keep it aside, never silently forget which tasks ran.
            aside = path.with_suffix(f".unreadable-{int(time.time())}")
            log.error("tasks file %s unreadable (%s); moved to %s", path, error, aside)
            os.replace(path, aside)
            data = {}
        self.states: dict[str, dict[str, Any]] = data if isinstance(data, dict) else {}

    def get(self, uid: str) -> str | None:
        """The local state of a task, None when this bench never took it."""
        entry = self.states.get(uid)
        return entry.get("state") if entry else None

    def set(self, uid: str, state: str) -> None:
        """Record a state durably (fsync of the file and its directory)."""
        with self.lock:
            self.states[uid] = {"state": state, "at": _now().isoformat()}
            if len(self.states) > KEEP_LOCAL:
                done = [u for u, e in self.states.items() if e["state"] != "running"]
                for old in done[: len(self.states) - KEEP_LOCAL]:
                    del self.states[old]
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            replace_json(self.path, self.states)

    def running(self) -> list[str]:
        """Tasks recorded as started and never finished."""
        return [uid for uid, entry in self.states.items() if entry.get("state") == "running"]


class TaskRefused(Exception):
    """The bench will not run this task; `said` says why (shown to the technician)."""

    def __init__(self, said: Message) -> None:
        super().__init__(said.english())
        self.said = said


def told(reasons: list[Message]) -> dict[str, Any]:
    """The fields of a task status that say something: the English line and its codes."""
    return {"message": english(reasons)[:1000] or None, "reasons": reasons[:MAX_REASONS]}


@dataclass
class _Running:
    spec: TaskSpec
    progress: Progress


def _default_resolver(name: str) -> Disk:
    from agents.wipe.device import resolve_disk  # noqa: PLC0415

    return resolve_disk(f"/dev/{name}")


class TaskWorker:
    """Fetches tasks, checks them against the local policy, runs them, reports."""

    def __init__(
        self,
        settings: BenchSettings,
        client: ServerClient,
        outbox: Outbox,
        *,
        wake_sender: threading.Event,
        stopping: threading.Event,
        resolve: Resolver = _default_resolver,
        protection: Callable[[str], list[Message]] = protection_messages,
    ) -> None:
        self.settings = settings
        self.client = client
        self.outbox = outbox
        self.wake_sender = wake_sender
        self.stopping = stopping
        self.resolve = resolve
        self.safety = protection
        self.state_dir = Path(settings.state_dir)
        self.local = LocalTasks(self.state_dir / "tasks.json")
        self.startup: set[DiskKey] | None = None
        self.startup_seq: int | None = None
        self.sys_root = Path("/sys")
        self.docked: set[DiskKey] = set()
        self.running: dict[str, _Running] = {}
        self.lock = threading.Lock()

    # -- policy ------------------------------------------------------------------------

    def note_startup(self, disks: list[dict[str, Any]]) -> None:
        """The disks present when the daemon started: never wiped on request under `hotplugged`."""
        self.startup = {disk_key(d) for d in disks}
        seqs = [seq for name in _block_names(self.sys_root) if (seq := self.diskseq(name))]
        self.startup_seq = max(seqs) if seqs else None

    def diskseq(self, name: str) -> int | None:
        """The kernel's sequence number of a disk (Linux >= 5.15): each attach gets a new one."""
        try:
            return int((self.sys_root / "block" / name / "diskseq").read_text())
        except (OSError, ValueError):
            return None

    def plugged_after_start(self, key: DiskKey) -> bool:
        """Did this disk appear after start-up? By diskseq when the kernel has it (a disk put
        back in the same slot, same size, is still new), else by identity."""
        if self.startup is None:
            return False
        seq = self.diskseq(key[0])
        if seq is not None and self.startup_seq is not None:
            return seq > self.startup_seq
        return key not in self.startup

    def policy_reasons(self, key: DiskKey, origin: str) -> list[Message]:
        """Why the local policy forbids wiping this disk on request (empty: allowed)."""
        if origin == "dock":
            return []
        policy = self.settings.remote_wipe
        if policy == "off":
            return [say("policy.no_remote_wipe")]
        if policy == "hotplugged" and not self.plugged_after_start(key):
            return [say("policy.present_at_start")]
        return []

    def protection(self, disk: dict[str, Any]) -> list[Message]:
        """Everything that stops a wipe of this disk on request: safety first, then policy."""
        reasons = list(self.safety(str(disk.get("name"))))
        return reasons + self.policy_reasons(disk_key(disk), "web")

    # -- start-up ----------------------------------------------------------------------

    def recover(self) -> None:
        """Report tasks cut short by a crash, with the interrupted wipe records."""
        from agents.wipe.journal import Journal  # noqa: PLC0415

        for record in Journal(self.state_dir).recover():
            self.outbox.enqueue("wipe.record", record.model_dump(mode="json"))
        for uid in self.local.running():
            self._report(uid, "interrupted", **told([say("task.agent_stopped")]))
            self.local.set(uid, "interrupted")

    # -- loops -------------------------------------------------------------------------

    def poll_once(self) -> int:
        """Fetch the task list and start what is new; return how many were started."""
        try:
            raw = self.client.get_tasks()
        except ClientError as error:
            log.debug("tasks not fetched: %s", error.message)
            return 0
        started = 0
        for item in raw:
            try:
                spec = TaskSpec.model_validate(item)
            except ValidationError as error:
                log.error("malformed task from the server ignored: %s", error.errors()[0])
                continue
            if self.local.get(spec.uid) is None:
                self.start(spec)
                started += 1
        return started

    def poll_loop(self) -> None:
        """Until stopped: look for tasks every TASK_POLL seconds."""
        while not self.stopping.is_set():
            self.poll_once()
            self.stopping.wait(TASK_POLL)

    def progress_loop(self) -> None:
        """Until stopped: send each running task's progress every PROGRESS_INTERVAL."""
        while not self.stopping.wait(PROGRESS_INTERVAL):
            with self.lock:
                items = list(self.running.items())
            send_progress(self.client, [(uid, item.progress) for uid, item in items])

    def on_disks(self, disks: list[dict[str, Any]]) -> None:
        """Disk-dock mode: wipe each disk that appeared after start-up (once per plug-in)."""
        keys = {disk_key(d): d for d in disks}
        self.docked &= set(keys)  # an unplugged disk is wiped again when plugged back
        method = self.settings.dock_method
        if not method or self.startup is None:
            return
        for key, disk in keys.items():
            if key in self.docked or not self.plugged_after_start(key):
                continue
            self.docked.add(key)
            if self.safety(key[0]):
                continue  # mounted or holding the system: dock mode never touches it
            spec = TaskSpec(
                uid=str(uuid.uuid4()),
                kind="wipe",
                disk={
                    "name": key[0],
                    "serial": key[1],
                    "model": disk.get("model"),
                    "size_bytes": key[2],
                },  # type: ignore[arg-type]
                method=method,  # type: ignore[arg-type]
                verify=self.settings.dock_verify,  # type: ignore[arg-type]
                origin="dock",
                requested_by="disk dock",
            )
            self.start(spec)

    # -- running -----------------------------------------------------------------------

    def start(self, spec: TaskSpec) -> threading.Thread:
        """Take the task (durably) and run it in its own thread, which checks it first: the
        server hears "running" only once the checks passed, so a refused task never shows as
        started (on the board or to the progress sender)."""
        self.local.set(spec.uid, "running")
        log.warning(
            "task %s: %s of %s (serial %s) asked by %s (%s)",
            spec.uid, spec.kind, spec.disk_name or "the machine",
            spec.disk.serial if spec.disk and spec.disk.serial else "-",
            spec.requested_by or "?", spec.origin,
        )  # fmt: skip
        thread = threading.Thread(
            target=self._run, args=(spec,), name=f"task-{spec.disk_name or spec.kind}", daemon=True
        )
        thread.start()
        return thread

    def _check(self, spec: TaskSpec) -> Disk | None:
        if spec.disk is None:
            return None  # the machine itself: nothing to match, nothing written
        try:
            disk = self.resolve(spec.disk.name)
        except Exception as error:  # noqa: BLE001 - any failure to find it is a refusal
            said = say("task.no_such_disk", disk=spec.disk.name, error=str(error))
            raise TaskRefused(said) from error
        if (disk.serial or None) != spec.disk.serial or disk.size_bytes != spec.disk.size_bytes:
            now = {"model": disk.model or "?", "serial": disk.serial or "?"}
            raise TaskRefused(say("task.other_disk", path=disk.path, size=disk.size_bytes, **now))
        if spec.kind == "wipe":
            key = (disk.name, disk.serial or None, disk.size_bytes)
            reasons = self.safety(disk.name) + self.policy_reasons(key, spec.origin)
            if reasons:
                raise TaskRefused(say("task.disk_protected", path=disk.path, reasons=reasons))
        return disk

    def _run(self, spec: TaskSpec) -> None:
        state, extra = "failed", dict[str, Any]({"spec": spec})  # spec: the server may not know it
        try:
            disk = self._check(spec)
            progress = Progress()
            with self.lock:
                self.running[spec.uid] = _Running(spec, progress)
            self._report(spec.uid, "running", spec=spec)
            extra = {}
            if disk is None:
                state, extra = self._diagnose_machine(spec, progress)
            elif spec.kind == "wipe":
                state, extra = self._wipe(spec, disk, progress)
            else:
                state, extra = self._diagnose(spec, disk, progress)
        except TaskRefused as error:
            state, extra = "refused", {**extra, **told([error.said])}
        except Exception as error:  # noqa: BLE001 - reported, never a silent thread death
            log.exception("task %s failed", spec.uid)
            extra = {**extra, **told([say("task.agent_failed", error=str(error))])}
        finally:
            with self.lock:
                self.running.pop(spec.uid, None)
        self._report(spec.uid, state, **extra)
        self.local.set(spec.uid, state)
        log.warning("task %s: %s %s", spec.uid, state, extra.get("message") or "")

    def _wipe(self, spec: TaskSpec, disk: Disk, progress: Progress) -> tuple[str, dict[str, Any]]:
        from agents.wipe.errors import WipeError  # noqa: PLC0415
        from agents.wipe.journal import Journal  # noqa: PLC0415
        from agents.wipe.runner import WipeRequest, run_wipe  # noqa: PLC0415
        from atelier_protocol.wipe import outcome_reasons  # noqa: PLC0415

        request = WipeRequest(
            disk,
            spec.method,
            spec.verify,
            str(self.settings.bench_id) if self.settings.bench_id else self.settings.bench_name,
            spec.requested_by,
        )
        try:
            record = run_wipe(
                request, selected={disk.path}, journal=Journal(self.state_dir), progress=progress
            )
        except WipeError as error:  # refused at the last check (open_for_wipe)
            raise TaskRefused(error.said or say("note.text", text=error.message)) from error
        self.outbox.enqueue("wipe.record", record.model_dump(mode="json"), asset_tag=spec.asset_tag)
        return record.status, {"wipe_id": record.wipe_id, **told(outcome_reasons(record))}

    def _diagnose(
        self, spec: TaskSpec, disk: Disk, progress: Progress
    ) -> tuple[str, dict[str, Any]]:
        from agents.diagnostics.rules import load_rules  # noqa: PLC0415
        from agents.diagnostics.run import Options, diagnose_disk  # noqa: PLC0415

        progress.begin("SMART", 0)
        result = diagnose_disk(disk, Options(surface=True, progress=progress), load_rules())
        scan = result.surface_scan
        reasons = [say(f"diag.smart_{result.health.verdict}"), say(f"diag.surface_{scan.status}")]
        reasons += [r.said or say("note.text", text=r.message) for r in result.health.reasons]
        if scan.status == "failed" and scan.reason:
            reasons.append(scan.said or say("note.text", text=scan.reason))
        state = "failed" if result.verdict == "fail" else "passed"
        return state, {"verdict": result.verdict, **told(reasons)}

    def _diagnose_machine(self, spec: TaskSpec, progress: Progress) -> tuple[str, dict[str, Any]]:
        from agents.diagnostics.command import failed  # noqa: PLC0415
        from agents.diagnostics.rules import load_rules  # noqa: PLC0415
        from agents.diagnostics.run import MiB, Options, diagnose  # noqa: PLC0415
        from agents.inventory.disks import list_disks  # noqa: PLC0415
        from atelier_protocol.diagnostic import KIND  # noqa: PLC0415

        options = Options(
            ram_bytes=int(self.settings.machine_ram_mib * MiB),
            cpu_seconds=self.settings.machine_cpu_seconds,
            say=lambda line: progress.begin(machine_phase(line), 0),
        )
        with self.lock:  # a disk being wiped or scanned gets no self-test in the middle
            busy = {item.spec.disk_name for item in self.running.values()} - {""}
        disks = list_disks()
        left_out = sorted(d.name for d in disks if d.name in busy)
        result = diagnose([d for d in disks if d.name not in busy], options, load_rules())
        notes = [say("diag.disk_left_out", disk=name) for name in left_out]
        update = {"notes": [*result.notes, *(note.english() for note in notes)]}
        result = result.model_copy(update=update)
        self.outbox.enqueue(KIND, result.model_dump(mode="json"), asset_tag=spec.asset_tag)
        checks = [say(f"diag.ram_{result.memory.status}"), say(f"diag.cpu_{result.cpu.status}")]
        checks += [
            say(f"diag.disk_smart_{disk.health.verdict}", disk=disk.name) for disk in result.disks
        ]
        grade = result.grade.said or [say("note.text", text=text) for text in result.grade.reasons]
        state = "failed" if failed(result) else "passed"
        return state, {"verdict": result.grade.grade, **told([*checks, *notes, *grade])}

    def _report(self, uid: str, state: str, **fields: Any) -> None:
        queue_status(self.outbox, uid, state, **fields)
        self.wake_sender.set()


def machine_phase(line: str) -> str:
    """The board's phase for a line the machine diagnostic says ("RAM pattern test…")."""
    for prefix, phase in (("RAM", "RAM test"), ("CPU", "CPU test")):
        if line.startswith(prefix):
            return phase
    return "SMART"  # then each disk: SMART, self-test


def queue_status(outbox: Outbox, uid: str, state: str, **fields: Any) -> None:
    """Queue one durable `task.status` transition in the outbox."""
    status = TaskStatus.model_validate({"uid": uid, "state": state, "at": _now(), **fields})
    outbox.enqueue("task.status", status.model_dump(mode="json", exclude_none=True))


def send_progress(client: ServerClient, items: list[tuple[str, Progress]]) -> None:
    """PUT each running task's progress; best effort (the outcome goes through the outbox)."""
    for uid, progress in items:
        try:
            client.put_progress(uid, progress_body(progress))
        except ClientError as error:
            log.debug("progress of %s not sent: %s", uid, error.message)


def progress_body(progress: Progress, now: float | None = None) -> dict[str, Any]:
    """The progress wire body (TaskProgress) of a Progress."""
    elapsed = max((now or time.monotonic()) - progress.started, 1e-6)
    done, total = progress.done, progress.total
    rate = done / elapsed
    eta = (total - done) / rate if total and rate > 0 else None
    return {
        "phase": progress.phase[:40],
        "done_bytes": done,
        "total_bytes": total,
        "rate_bytes_per_s": round(rate, 1),
        "eta_seconds": round(eta, 1) if eta is not None else None,
    }
