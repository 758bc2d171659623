"""Wire format of bench tasks (server <-> agent), version 1: a wipe or diagnostic to run on a
disk, or a diagnostic of the bench's own machine (RAM, CPU, batteries, every disk's health).

A task is asked for in the web UI (or started by the bench itself in disk-dock mode)
and names the disk the technician confirmed: its name, serial and size. The agent
runs it only when the disk it sees under that name has that serial and size, is not
protected, and its local policy allows it; otherwise it refuses with the reason.

    server -> agent   GET  /bench/tasks                 -> TaskList (the queued ones)
    agent  -> server  PUT  /bench/tasks/<uid>/progress  TaskProgress (latest wins, not durable)
    agent  -> server  record "task.status" (outbox)     TaskStatus (durable: every transition)

A TaskStatus for a task the server does not know yet (a disk-dock wipe started by
the bench while the server was away) carries the task description and creates it.
Its `message` is for people and logs (and servers older than reason codes); `reasons`
(added within version 1, optional) says the same as reason codes (atelier_protocol.reasons),
one per `; `-separated piece of the message, for the server to show in the reader's language.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from atelier_protocol.reasons import Message

SCHEMA_VERSION = 1
MAX_REASONS = 64

TaskKind = Literal["wipe", "diagnose", "machine"]  # machine: diagnose the bench's own PC
TaskState = Literal[
    "queued",
    "running",
    "passed",
    "passed_with_reservations",  # a wipe that left hidden sectors or read back a sample only
    "failed",
    "refused",
    "cancelled",
    "interrupted",
]
FINAL_STATES: frozenset[str] = frozenset(
    {"passed", "passed_with_reservations", "failed", "refused", "cancelled", "interrupted"}
)
WipeMethod = Literal["auto", "zero", "random", "purge"]
VerifyMode = Literal["full", "sample"]
Origin = Literal["web", "api", "dock", "bench"]  # bench: `bench-agent wipe` typed at the bench


class _Wire(BaseModel):
    model_config = ConfigDict(extra="ignore")


class TaskDisk(_Wire):
    """The disk as the technician confirmed it (model, serial and size shown to them)."""

    name: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$")
    serial: str | None = Field(default=None, max_length=100)
    model: str | None = Field(default=None, max_length=200)
    size_bytes: int = Field(gt=0)


class TaskSpec(_Wire):
    """What to run: identity of the task, the disk, and the wipe options."""

    uid: str = Field(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9-]+$")
    kind: TaskKind
    disk: TaskDisk | None = None  # every kind but "machine" names its disk
    method: WipeMethod = "auto"
    verify: VerifyMode = "full"
    asset_tag: str | None = Field(default=None, max_length=20)
    origin: Origin = "web"
    requested_by: str | None = Field(default=None, max_length=200)

    @model_validator(mode="after")
    def _disk_named(self) -> TaskSpec:
        if (self.disk is None) != (self.kind == "machine"):
            raise ValueError("a machine diagnostic names no disk; a wipe or diagnostic names one")
        return self

    @property
    def disk_name(self) -> str:
        """The disk's name, or "" for the machine itself."""
        return self.disk.name if self.disk is not None else ""


class TaskList(_Wire):
    """The tasks a bench should start (GET /bench/tasks)."""

    tasks: list[TaskSpec]


class TaskProgress(_Wire):
    """A running task's latest progress (phase, bytes done of total, rate)."""

    phase: str = Field(max_length=40)
    done_bytes: int = Field(ge=0)
    total_bytes: int = Field(ge=0)
    rate_bytes_per_s: float = Field(ge=0)
    eta_seconds: float | None = Field(default=None, ge=0)


class TaskStatus(_Wire):
    """One transition of a task; `spec` goes with the first one the bench sends ("running", or
    "refused" when its checks stop the task) so the server can create a task it never saw."""

    schema_version: Literal[1] = 1
    uid: str = Field(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9-]+$")
    state: TaskState
    at: datetime
    message: str | None = Field(default=None, max_length=1000)
    reasons: list[Message] = Field(default_factory=list, max_length=MAX_REASONS)
    wipe_id: str | None = Field(default=None, max_length=100)
    verdict: str | None = Field(default=None, max_length=40)
    spec: TaskSpec | None = None
