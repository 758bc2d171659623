"""Print the label jobs the workshop queued for this bench's printers.

The server keeps a queue of label jobs (ESC/POS bytes already rendered) per printer. A bench
fetches the jobs of its own printers, sends each one to its printer, and reports the outcome as
a ``label.result`` record through the durable outbox, so the report survives an outage or a
crash. A job printed here whose report has not reached the server yet is remembered in a small
file in the state directory and is not printed twice.

Sample run::

    $ bench-agent print-labels
    job 12 on usb://0416:5011: printed
    job 13 on file:///dev/usb/lp0: failed (file:///dev/usb/lp0: no such device file ...)
    2 label jobs handled; results queued for the server (bench-agent sync sends them now)
"""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from agents.client import ServerClient
from agents.errors import AgentError
from agents.outbox import PENDING, Outbox, OutboxError

Opener = Callable[[str], Any]
LABELS_EXTRA = "pip install 'atelier-bench[labels]'"


class LabelsMissing(AgentError):
    """The labels package (the bench's `labels` extra) is not installed: nothing can print."""


def labels_installed() -> bool:
    """Whether the labels package can be imported (it is an extra of the bench distribution)."""
    from importlib.util import find_spec  # noqa: PLC0415

    return find_spec("labels") is not None


def require_labels() -> None:
    """Raise LabelsMissing, saying how to install it, when the labels package is absent."""
    if not labels_installed():
        raise LabelsMissing(f"label printing needs the labels package: {LABELS_EXTRA}")


@dataclass(frozen=True)
class Outcome:
    """What happened to one job here."""

    job_id: int
    uri: str
    printed: bool
    error: str | None = None


class HandledJobs:
    """Job ids handled here whose outcome is still in the outbox (job id -> outbox item id)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self) -> dict[int, int]:
        """The remembered jobs (empty when the file is missing or unreadable)."""
        try:
            raw = json.loads(self.path.read_text())
        except (OSError, ValueError):
            return {}
        return {int(k): int(v) for k, v in raw.items()} if isinstance(raw, dict) else {}

    def save(self, handled: dict[int, int]) -> None:
        """Write atomically (rename), so a crash never leaves a torn file."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps({str(k): v for k, v in handled.items()}))
        os.replace(tmp, self.path)


def _default_opener(uri: str) -> Any:
    import labels

    return labels.open_printer(uri)


def printer_opener(file_dir: str | None) -> Opener:
    """Open printers allowing file:// targets inside `file_dir` (BENCH_PRINTER_FILE_DIR)
    besides printer devices; without it only printer devices, as `_default_opener`."""
    if not file_dir:
        return _default_opener
    folder = Path(file_dir)

    def opener(uri: str) -> Any:
        import labels

        return labels.open_printer(uri, file_dir=folder)

    return opener


def _still_pending(outbox: Outbox, item_id: int) -> bool:
    try:
        return outbox.get(item_id).state in PENDING
    except OutboxError:  # pruned or unknown: its outcome is no longer waiting
        return False


class MalformedJobs(AgentError):
    """The server's list of label jobs is not what the protocol says."""


def _jobs(answer: Any) -> list[tuple[int, str, bytes]]:
    """(job id, printer URI, bytes) of each job; a malformed answer is refused as a whole."""
    if not isinstance(answer, list):
        raise MalformedJobs("the server's label-jobs answer is not a list")
    try:
        return [
            (int(job["id"]), str(job["printer"]["uri"]),
             base64.b64decode(job["data_base64"], validate=True))
            for job in answer
        ]  # fmt: skip
    except (KeyError, TypeError, ValueError) as exc:
        raise MalformedJobs(f"a label job from the server is malformed: {exc!r}") from exc


def print_pending(
    client: ServerClient, outbox: Outbox, state_dir: Path, opener: Opener = _default_opener
) -> list[Outcome]:
    """Print every queued job of this bench once; queue each outcome in the outbox."""
    require_labels()
    from labels.errors import LabelError  # noqa: PLC0415

    journal = HandledJobs(state_dir / "label-jobs.json")
    handled = {job: item for job, item in journal.load().items() if _still_pending(outbox, item)}
    _, answer = client.request("GET", "/bench/label-jobs")
    outcomes = []
    for job_id, uri, data in _jobs(answer):
        if job_id in handled:
            continue
        try:
            opener(uri).send(data)
            outcome = Outcome(job_id, uri, True)
        except LabelError as exc:
            outcome = Outcome(job_id, uri, False, str(exc)[:500])
        item = outbox.enqueue(
            "label.result",
            {"job_id": job_id, "printed": outcome.printed, "error": outcome.error},
        )
        handled[job_id] = item.id
        journal.save(handled)
        outcomes.append(outcome)
    journal.save(handled)
    return outcomes
