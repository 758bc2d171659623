"""API: ask a bench to wipe or diagnose a disk; the bench fetches its tasks and reports progress."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, StringConstraints
from sqlmodel import Session

from atelier_protocol.reasons import Message
from atelier_protocol.task import TaskProgress, TaskSpec
from workshop import agent_text
from workshop.api import bp
from workshop.api.registry import operation
from workshop.api.schemas import AssetTagText, Input, Output
from workshop.models import BenchTask
from workshop.services import bench_tasks
from workshop.services.actors import Actor

Uid = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9-]{8,64}$")]


class TaskIn(Input):
    kind: Literal["wipe", "diagnose"]
    disk: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    serial: Annotated[str, StringConstraints(max_length=100)] | None = Field(
        description="the disk's serial as shown to the technician (null if it has none)"
    )
    size_bytes: int = Field(gt=0, description="the disk's size as shown to the technician")
    method: Literal["auto", "zero", "random", "purge"] = "auto"
    verify: Literal["full", "sample"] = "full"
    asset_tag: AssetTagText | None = None


class MachineIn(Input):
    asset_tag: AssetTagText | None = Field(
        default=None, description="the machine's asset tag, when its SMBIOS serial is not enough"
    )


class TaskOut(Output):
    id: int
    uid: str
    bench_id: int
    kind: str
    origin: str
    status: str
    disk_name: str
    disk_serial: str | None
    disk_model: str | None
    disk_size_bytes: int
    method: str
    verify: str
    asset_tag: str | None
    requested_by: str | None
    message: str | None
    reasons: list[Message] = Field(
        default_factory=list,
        description="the message as reason codes (atelier_protocol.reasons); "
        "empty from agents before the codes",
    )
    verdict: str | None
    wipe_uid: str | None
    progress: dict[str, Any]
    progress_at: datetime | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None

    @classmethod
    def of(cls, task: BenchTask) -> TaskOut:
        computed = ("progress", "reasons")
        fields = {name: getattr(task, name) for name in cls.model_fields if name not in computed}
        reasons = agent_text.parse(task.reasons) or []
        return cls.model_validate(
            {**fields, "progress": bench_tasks.progress_of(task), "reasons": reasons}
        )


class TaskListOut(Output):
    tasks: list[TaskSpec]


class ProgressIn(TaskProgress):
    model_config = ConfigDict(extra="forbid")


@operation(
    bp,
    "/benches/<int:bench_id>/tasks",
    "POST",
    summary="Ask a bench to wipe or diagnose one of its disks",
    body=TaskIn,
    response=TaskOut,
    status=201,
)
def create_task(session: Session, actor: Actor, bench_id: int, body: TaskIn) -> TaskOut:
    """The disk must be the one the bench reports now (same serial and size), unprotected and
    idle; the bench checks again against its own policy and may still refuse."""
    task = bench_tasks.request_task(
        session,
        actor,
        bench_id,
        kind=body.kind,
        disk_name=body.disk,
        serial=body.serial,
        size_bytes=body.size_bytes,
        method=body.method,
        verify=body.verify,
        asset_tag=body.asset_tag,
        origin="api",
    )
    return TaskOut.of(task)


@operation(
    bp,
    "/benches/<int:bench_id>/machine-diagnostic",
    "POST",
    summary="Ask a bench to diagnose its own machine (RAM, CPU, batteries, disks' health)",
    body=MachineIn,
    response=TaskOut,
    status=201,
)
def create_machine_diagnostic(
    session: Session, actor: Actor, bench_id: int, body: MachineIn
) -> TaskOut:
    """Only reads; one at a time per bench. The result arrives as a diagnostic record, attached
    to the machine's device by its serial or the asset tag given here."""
    task = bench_tasks.request_machine_diagnostic(
        session, actor, bench_id, asset_tag=body.asset_tag, origin="api"
    )
    return TaskOut.of(task)


@operation(
    bp,
    "/benches/<int:bench_id>/tasks",
    "GET",
    summary="A bench's tasks, newest first",
    response=TaskOut,
    many=True,
)
def list_tasks(session: Session, actor: Actor, bench_id: int) -> list[TaskOut]:
    """Staff, or the bench itself."""
    return [TaskOut.of(t) for t in bench_tasks.list_tasks(session, actor, bench_id)]


@operation(
    bp,
    "/tasks/<int:task_id>/cancel",
    "POST",
    summary="Withdraw a task the bench has not started",
    response=TaskOut,
)
def cancel_task(session: Session, actor: Actor, task_id: int) -> TaskOut:
    """Only a queued task; a running wipe is stopped at the bench."""
    return TaskOut.of(bench_tasks.cancel_task(session, actor, task_id))


@operation(
    bp,
    "/bench/tasks",
    "GET",
    summary="The tasks the calling bench should start",
    response=TaskListOut,
)
def bench_pending(session: Session, actor: Actor) -> TaskListOut:
    """Bench tokens only; oldest first."""
    tasks = bench_tasks.pending_for_bench(session, actor)
    return TaskListOut(tasks=[bench_tasks.spec_of(t) for t in tasks])


@operation(
    bp,
    "/bench/tasks/<uid>/progress",
    "PUT",
    summary="A running task's latest progress",
    body=ProgressIn,
    response=TaskOut,
)
def put_progress(session: Session, actor: Actor, uid: str, body: ProgressIn) -> TaskOut:
    """Latest value wins; 409 once the task is finished."""
    progress = TaskProgress.model_validate(body.model_dump())
    return TaskOut.of(bench_tasks.record_progress(session, actor, uid, progress))
