"""The booted PC on the workshop's bench board: its disks shown there, wipes confirmed there.

Once the session is enrolled, the PC behaves like a bench on the board: it says it is alive,
sends the disks it sees (each with the reasons it would refuse to wipe it) and runs the wipes
and diagnostics a technician confirms on the board's wipe page, through the bench daemon's own
task worker (agents/daemon/tasks.py: the disk must still have the serial and size the technician
confirmed, and the safety rules are checked again before anything is written).

A live session adds two rules of its own to the safety rules: only the PC's internal disks are
wiped (never the boot stick, nor any USB or removable disk: they are shown "not internal" on the
board), and a disk the PC is already wiping after OUI was typed on its screen is refused.
The PC's asset tag goes with every task that names none, so the records are tied to it.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from agents import settings as config
from agents.client import ClientError
from agents.daemon.service import list_current_disks, with_protection
from agents.daemon.tasks import TaskWorker
from agents.outbox import Outbox, utc_now_iso
from agents.safety import protection_messages
from agents.sync.link import make_client
from atelier_protocol.reasons import Message, say
from atelier_protocol.task import TaskSpec

HEARTBEAT_SECONDS = 15.0  # the board calls a bench online when heard from within 90 s
DISKS_SECONDS = 5.0


@dataclasses.dataclass
class BoardTask:
    """A task the board asked of this PC, as the console follows it."""

    kind: str
    disk: str | None
    state: str = "running"
    fields: dict[str, Any] = dataclasses.field(default_factory=dict)


class LiveTasks(TaskWorker):
    """The daemon's task worker, which also tells the console what the board asked."""

    def __init__(self, *args: Any, asset_tag: Callable[[], str | None], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.asset_tag = asset_tag
        self.tasks: dict[str, BoardTask] = {}
        self.changed = threading.Event()

    def start(self, spec: TaskSpec) -> threading.Thread:
        """Run a task from the board, with the PC's asset tag when the task names none."""
        tag = self.asset_tag()
        if spec.asset_tag is None and tag:
            spec = spec.model_copy(update={"asset_tag": tag})
        with self.lock:
            self.tasks[spec.uid] = BoardTask(spec.kind, spec.disk_name or None)
        self.changed.set()
        return super().start(spec)

    def _report(self, uid: str, state: str, **fields: Any) -> None:
        super()._report(uid, state, **fields)
        with self.lock:
            task = self.tasks.get(uid)
            if task is not None:
                task.state, task.fields = state, fields
        self.changed.set()

    def progress_of(self, uid: str) -> str | None:
        """'phase done/total' of a running task, for the console."""
        with self.lock:
            running = self.running.get(uid)
        if running is None:
            return None
        progress = running.progress
        if not progress.total:
            return progress.phase
        return f"{progress.phase} {100 * progress.done // progress.total} %"

    def snapshot(self) -> dict[str, BoardTask]:
        """A copy of what the board asked so far."""
        with self.lock:
            return {uid: dataclasses.replace(task) for uid, task in self.tasks.items()}


class BoardLink(threading.Thread):
    """After enrolment: heartbeat, the disks, and the tasks of the bench board."""

    def __init__(
        self,
        config_path: Path,
        outbox_path: Path,
        internal: set[str],
        wake_sender: threading.Event,
        log: Callable[[str], None],
        asset_tag: Callable[[], str | None],
    ) -> None:
        super().__init__(name="board", daemon=True)
        self.config_path = config_path
        self.outbox_path = outbox_path
        self.internal = set(internal)
        self.wiping_here: set[str] = set()
        self.wake_sender = wake_sender
        self._log = log
        self._asset_tag = asset_tag
        self.stopping = threading.Event()
        self.ready = threading.Event()
        self.worker: LiveTasks | None = None
        self._sent: list[dict[str, Any]] | None = None

    def protection(self, name: str) -> list[Message]:
        """The safety rules, then the live session's own: internal disks only, not twice."""
        reasons = list(protection_messages(name))
        if name not in self.internal:
            reasons.append(say("live.not_internal", disk=name))
        if name in self.wiping_here:
            reasons.append(say("live.wiping_here", disk=name))
        return reasons

    def claim(self, names: list[str]) -> list[str]:
        """Take the disks OUI was typed for, except those the board already asked for."""
        worker = self.worker
        asked = set()
        if worker is not None:
            asked = {t.disk for t in worker.snapshot().values() if t.kind == "wipe" and t.disk}
        taken = [name for name in names if name not in asked]
        self.wiping_here.update(taken)
        return taken

    def run(self) -> None:
        """Wait for the enrolment, then keep the board informed until stopped."""
        while not self.stopping.is_set() and not config.read_config_file(self.config_path).get(
            "token"
        ):
            self.stopping.wait(1.0)
        if self.stopping.is_set():
            return
        settings = dataclasses.replace(config.load_settings(), remote_wipe="any")
        client = make_client(settings)
        outbox = Outbox(self.outbox_path)
        worker = LiveTasks(
            settings,
            client,
            outbox,
            wake_sender=self.wake_sender,
            stopping=self.stopping,
            protection=self.protection,
            asset_tag=self._asset_tag,
        )
        self.worker = worker
        threads = [
            threading.Thread(target=worker.poll_loop, name="board-tasks", daemon=True),
            threading.Thread(target=worker.progress_loop, name="board-progress", daemon=True),
        ]
        for thread in threads:
            thread.start()
        self.ready.set()
        self._log("bench board: wipes can be confirmed there too")
        beat = 0.0
        try:
            while not self.stopping.is_set():
                self._send_disks(client, worker)
                if beat <= 0:
                    try:
                        client.heartbeat()
                    except ClientError:
                        pass  # the uplink says whether the server is there
                    beat = HEARTBEAT_SECONDS
                self.stopping.wait(DISKS_SECONDS)
                beat -= DISKS_SECONDS
        finally:
            for thread in threads:
                thread.join(5.0)
            outbox.close()

    def _send_disks(self, client: Any, worker: LiveTasks) -> None:
        try:
            disks = list_current_disks()
        except OSError:
            return
        disks = [
            with_protection(disk, worker.protection(disk))
            for disk in disks
            if disk.get("transport") != "loop"
        ]
        if disks == self._sent:
            return
        try:
            client.put_disks(utc_now_iso(), disks)
        except ClientError:
            self._sent = None
            return
        self._sent = disks
