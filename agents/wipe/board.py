"""Show a wipe started at the bench (`bench-agent wipe`) on the server's live bench board.

When the bench is enrolled, each disk's wipe becomes a task of origin "bench": a durable
`task.status` record says it runs (with its description, so the server creates it), its
progress is sent every second while it runs, and its outcome is recorded with the wipe
records. Nothing here can stop or slow the wipe: a server that is away only means the
board learns later (records) or not at all (progress).
"""

from __future__ import annotations

import os
import threading
import uuid
from pathlib import Path
from typing import Any

from agents.errors import AgentError
from agents.inventory.disks import Disk
from agents.wipe.passes import Progress

PROGRESS_INTERVAL = 1.0


class BoardReporter:
    """Tasks for the disks of one `bench-agent wipe` run; inert when the bench is not enrolled."""

    def __init__(
        self, disks: list[Disk], progress: dict[str, Progress], args: Any, state_dir: Path
    ) -> None:
        self.disks = disks
        self.progress = progress
        self.args = args
        self.state_dir = state_dir
        self.uids = {disk.name: str(uuid.uuid4()) for disk in disks}
        self.stop = threading.Event()
        self.outbox: Any = None
        self.client: Any = None
        self.thread: threading.Thread | None = None
        self.tasks_file = state_dir / "tasks.json"

    def start(self) -> BoardReporter:
        """Record the tasks as running and start sending progress (never raises)."""
        from dataclasses import replace  # noqa: PLC0415

        from agents.daemon.tasks import LocalTasks  # noqa: PLC0415
        from agents.settings import load_settings  # noqa: PLC0415
        from agents.sync.link import make_client, open_outbox  # noqa: PLC0415

        try:
            settings = load_settings()
            if not os.environ.get("BENCH_STATE_DIR"):  # where queue_records puts the outbox too
                settings = replace(settings, state_dir=str(self.state_dir))
            if not (settings.server_url and settings.token):
                return self
            self.outbox = open_outbox(settings)
            self.client = make_client(settings, timeout=5.0)
            self.tasks_file = Path(settings.state_dir) / "tasks.json"
            local = LocalTasks(self.tasks_file)
            for disk in self.disks:
                local.set(self.uids[disk.name], "running")  # the daemon never runs it too
                self._status(disk, "running", spec=self._spec(disk))
        except (AgentError, OSError):
            self.outbox = None
            return self
        self.thread = threading.Thread(target=self._run, name="wipe-board", daemon=True)
        self.thread.start()
        return self

    def _spec(self, disk: Disk) -> dict[str, Any]:
        return {
            "uid": self.uids[disk.name],
            "kind": "wipe",
            "origin": "bench",
            "disk": {
                "name": disk.name,
                "serial": disk.serial,
                "model": disk.model,
                "size_bytes": disk.size_bytes,
            },
            "method": self.args.method,
            "verify": self.args.verify,
            "asset_tag": self.args.asset_tag,
            "requested_by": self.args.technician or "bench-agent wipe",
        }

    def _status(self, disk: Disk, state: str, **fields: Any) -> None:
        from agents.daemon.tasks import queue_status  # noqa: PLC0415

        queue_status(self.outbox, self.uids[disk.name], state, **fields)

    def _run(self) -> None:
        from agents.daemon.tasks import send_progress  # noqa: PLC0415
        from agents.sync.sender import flush  # noqa: PLC0415

        try:
            flush(self.outbox, self.client, stop=self.stop)  # the board shows the tasks now
        except AgentError:
            pass
        while not self.stop.wait(PROGRESS_INTERVAL):
            send_progress(
                self.client, [(self.uids[d.name], self.progress[d.name]) for d in self.disks]
            )

    def finish(self, results: list[Any]) -> None:
        """Stop the progress and queue each disk's outcome (sent with the wipe records)."""
        self.stop.set()
        if self.thread is not None:
            self.thread.join()
        if self.outbox is None:
            return
        from agents.daemon.tasks import LocalTasks  # noqa: PLC0415
        from atelier_protocol.reasons import say  # noqa: PLC0415
        from atelier_protocol.wipe import (  # noqa: PLC0415
            WipeRecord,
            outcome_message,
            outcome_reasons,
        )

        local = LocalTasks(self.tasks_file)
        for disk, result in zip(self.disks, results, strict=True):
            state: str
            if isinstance(result, WipeRecord):
                fields = {
                    "wipe_id": result.wipe_id,
                    "message": outcome_message(result),
                    "reasons": outcome_reasons(result),
                }
                state = result.status
            else:
                said = getattr(result, "said", None) or say("note.text", text=str(result))
                state, fields = "refused", {"message": said.english(), "reasons": [said]}
            self._status(disk, state, **fields)
            local.set(self.uids[disk.name], state)
        self.outbox.close()
