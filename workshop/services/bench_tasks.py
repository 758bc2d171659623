"""Bench tasks: a wipe or diagnostic asked of a bench, its live progress and its outcome.

The server only asks; the bench decides (DESIGN.md "Safety"). A request names the
disk as the technician confirmed it (name, serial, size) and is refused here already
when the bench does not report that disk now, reports it as protected, or the disk
has a task under way. The bench checks again with its own policy and may refuse.

Transitions arrive as durable `task.status` records (through the bench's outbox);
progress arrives as a plain PUT that only the latest value matters for.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from pydantic import ValidationError
from sqlmodel import Session, col, select

from atelier_protocol.task import FINAL_STATES, TaskProgress, TaskSpec, TaskStatus
from workshop import agent_text
from workshop.errors import Conflict, Forbidden, NotFound, ValidationFailed
from workshop.i18n import _
from workshop.models import Bench, BenchRecord, BenchTask, Device
from workshop.models.base import utcnow
from workshop.services import asset_tags
from workshop.services.actors import Actor, require_staff
from workshop.services.bench_records import HANDLERS
from workshop.services.devices import device_for_tag
from workshop.services.events import append_event
from workshop.services.organisations import get_bench

KIND = "task.status"
ACTIVE = ("queued", "running")
RECENT = timedelta(hours=12)  # finished tasks stay on the dashboard this long
ONLINE = timedelta(seconds=90)  # a bench heard from within this is "online"


class TaskConflict(Conflict):
    code = "task_conflict"


def bench_disks(bench: Bench) -> list[dict[str, Any]]:
    """The disks the bench reported last (each with its `protected` reasons, maybe empty)."""
    disks = json.loads(bench.disks or "[]")
    return disks if isinstance(disks, list) else []


def disk_serial(disk: dict[str, Any]) -> str | None:
    """The serial of a reported disk (kept as {value, placeholder} in snapshots)."""
    serial = disk.get("serial")
    return serial.get("value") if isinstance(serial, dict) else serial


def _active_on(session: Session, bench_id: int, disk_name: str) -> BenchTask | None:
    query = select(BenchTask).where(
        BenchTask.bench_id == bench_id,
        BenchTask.disk_name == disk_name,
        col(BenchTask.status).in_(ACTIVE),
    )
    return session.exec(query).first()


def request_task(
    session: Session,
    actor: Actor,
    bench_id: int,
    *,
    kind: str,
    disk_name: str,
    serial: str | None,
    size_bytes: int,
    method: str = "auto",
    verify: str = "full",
    asset_tag: str | None = None,
    origin: str = "web",
) -> BenchTask:
    """Queue a wipe/diagnostic on a disk the bench reports now, as the technician confirmed it."""
    bench = _open_bench(session, actor, bench_id)
    disk = next((d for d in bench_disks(bench) if d.get("name") == disk_name), None)
    if disk is None:
        raise TaskConflict(
            _("The bench does not report a disk %(name)s now.", name=disk_name), field="disk"
        )
    if disk_serial(disk) != (serial or None) or disk.get("size_bytes") != size_bytes:
        raise TaskConflict(
            _(
                "The disk %(name)s on this bench is not the one confirmed "
                "(it is now %(model)s, serial %(serial)s): check it and confirm again.",
                name=disk_name,
                model=disk.get("model") or "?",
                serial=disk_serial(disk) or "?",
            ),
            field="disk",
        )
    reasons = disk.get("protected") or []
    if kind == "wipe" and reasons:
        raise TaskConflict(
            _(
                "The bench protects this disk: %(reasons)s.",
                reasons="; ".join(agent_text.render_each(reasons, disk.get("protected_reasons"))),
            ),
            field="disk",
        )
    if _active_on(session, bench_id, disk_name) is not None:
        raise TaskConflict(
            _("A task is already under way on %(name)s.", name=disk_name), field="disk"
        )
    return _queue(
        session,
        actor,
        bench,
        asset_tag,
        {"disk": disk_name, "serial": serial},
        kind=kind,
        origin=origin,
        disk_name=disk_name,
        disk_serial=serial or None,
        disk_model=disk.get("model"),
        disk_size_bytes=size_bytes,
        method=method,
        verify=verify,
    )


def _open_bench(session: Session, actor: Actor, bench_id: int) -> Bench:
    require_staff(actor)
    bench = get_bench(session, actor, bench_id)
    if not bench.active:
        raise ValidationFailed(_("This bench is disabled."), field="bench_id")
    return bench


def _queue(
    session: Session,
    actor: Actor,
    bench: Bench,
    asset_tag: str | None,
    event: dict[str, Any],
    **fields: Any,
) -> BenchTask:
    """Store a queued task asked by `actor`; a device named by its tag gets a
    `<kind>.requested` event with `event` in its data."""
    assert bench.id is not None
    device_id = None
    if asset_tag:
        device_id = device_for_tag(session, asset_tag).id
        asset_tag = asset_tags.normalize(asset_tag)
    task = BenchTask(
        uid=str(uuid.uuid4()),
        bench_id=bench.id,
        asset_tag=asset_tag,
        device_id=device_id,
        requested_by_id=actor.user.id if actor.user else None,
        requested_by=actor.label,
        **fields,
    )
    session.add(task)
    session.flush()
    if device_id is not None:
        append_event(
            session,
            actor,
            f"{task.kind}.requested",
            device_id=device_id,
            data={"task": task.uid, "bench": bench.name, **event},
        )
    return task


MACHINE = ""  # the disk_name of a diagnostic of the bench's machine (it names no disk)


def last_diagnostic(session: Session, bench_id: int, disk: dict[str, Any]) -> BenchTask | None:
    """The latest finished diagnostic of this disk on this bench (by serial, else by name).

    Shown before a wipe is confirmed: a disk found failing can still be erased, but the
    technician should know it before choosing (and its fate after)."""
    serial = disk_serial(disk)
    query = select(BenchTask).where(
        BenchTask.bench_id == bench_id,
        BenchTask.kind == "diagnose",
        col(BenchTask.status).in_(("passed", "failed")),
    )
    if serial:
        query = query.where(BenchTask.disk_serial == serial)
    else:
        query = query.where(BenchTask.disk_name == str(disk.get("name") or ""))
    return session.exec(query.order_by(col(BenchTask.id).desc()).limit(1)).first()


def request_machine_diagnostic(
    session: Session,
    actor: Actor,
    bench_id: int,
    *,
    asset_tag: str | None = None,
    origin: str = "web",
) -> BenchTask:
    """Queue a diagnostic of the bench's own machine (it only reads: RAM, CPU, batteries,
    every disk's SMART and self-test); the result comes back as a diagnostic record."""
    bench = _open_bench(session, actor, bench_id)
    if _active_on(session, bench_id, MACHINE) is not None:
        raise TaskConflict(
            _("A diagnostic of this machine is already under way."), field="bench_id"
        )
    return _queue(
        session, actor, bench, asset_tag, {}, kind="machine", origin=origin, disk_name=MACHINE
    )


def get_task(session: Session, actor: Actor, task_id: int) -> BenchTask:
    """One task (staff, or the bench it belongs to)."""
    task = session.get(BenchTask, task_id)
    if task is None:
        raise NotFound(_("No task with id %(id)s.", id=task_id), field="task_id")
    get_bench(session, actor, task.bench_id)  # access rule of the bench
    return task


def cancel_task(session: Session, actor: Actor, task_id: int) -> BenchTask:
    """Withdraw a task the bench has not started (a running wipe is stopped at the bench)."""
    require_staff(actor)
    task = get_task(session, actor, task_id)
    if task.status != "queued":
        raise TaskConflict(
            _(
                "Only a task that has not started can be cancelled (this one is %(state)s).",
                state=task.status,
            ),
            field="task_id",
        )
    task.status, task.finished_at = "cancelled", utcnow()
    task.message = _("Cancelled by %(who)s.", who=actor.label)
    session.add(task)
    session.flush()
    return task


def list_tasks(session: Session, actor: Actor, bench_id: int, limit: int = 100) -> list[BenchTask]:
    """A bench's tasks, newest first."""
    get_bench(session, actor, bench_id)
    query = (
        select(BenchTask)
        .where(BenchTask.bench_id == bench_id)
        .order_by(col(BenchTask.id).desc())
        .limit(limit)
    )
    return list(session.exec(query))


def device_tasks(session: Session, device: Device, limit: int = 20) -> list[BenchTask]:
    """The wipes and diagnostics asked for a device's disks, newest first."""
    query = (
        select(BenchTask)
        .where(BenchTask.device_id == device.id)
        .order_by(col(BenchTask.id).desc())
        .limit(limit)
    )
    return list(session.exec(query))


def spec_of(task: BenchTask) -> TaskSpec:
    """The wire form the bench receives."""
    return TaskSpec.model_validate(
        {
            "uid": task.uid,
            "kind": task.kind,
            "disk": None
            if task.kind == "machine"
            else {
                "name": task.disk_name,
                "serial": task.disk_serial,
                "model": task.disk_model,
                "size_bytes": task.disk_size_bytes,
            },
            "method": task.method,
            "verify": task.verify,
            "asset_tag": task.asset_tag,
            "origin": task.origin,
            "requested_by": task.requested_by,
        }
    )


def pending_for_bench(session: Session, actor: Actor) -> list[BenchTask]:
    """What the calling bench should start (queued), oldest first.

    Running tasks are left out: the bench knows them (its tasks file), and one started at
    the bench itself (`bench-agent wipe`) must never be started a second time by its daemon.
    """
    if actor.bench is None or actor.bench.id is None:
        raise Forbidden(_("Only a bench fetches its tasks."))
    query = (
        select(BenchTask)
        .where(BenchTask.bench_id == actor.bench.id, BenchTask.status == "queued")
        .order_by(col(BenchTask.id))
    )
    return list(session.exec(query))


def _own_task(session: Session, actor: Actor, uid: str) -> BenchTask | None:
    if actor.bench is None or actor.bench.id is None:
        raise Forbidden(_("Only a bench reports on its tasks."))
    task = session.exec(select(BenchTask).where(BenchTask.uid == uid)).first()
    if task is not None and task.bench_id != actor.bench.id:
        raise Forbidden(_("This task belongs to another bench."))
    return task


def record_progress(session: Session, actor: Actor, uid: str, progress: TaskProgress) -> BenchTask:
    """Keep a running task's latest progress; a queued task becomes running."""
    task = _own_task(session, actor, uid)
    if task is None:
        raise NotFound(_("No task %(uid)s.", uid=uid), field="uid")
    if task.status in FINAL_STATES:
        raise TaskConflict(
            _("Task %(uid)s is already %(state)s.", uid=uid, state=task.status), field="uid"
        )
    if task.status == "queued":
        task.status, task.started_at = "running", utcnow()
    task.progress = progress.model_dump_json()
    task.progress_at = utcnow()
    session.add(task)
    session.flush()
    return task


def _create_from_spec(session: Session, actor: Actor, spec: TaskSpec) -> BenchTask:
    assert actor.bench is not None and actor.bench.id is not None
    device_id = None
    if spec.asset_tag:
        try:
            device_id = device_for_tag(session, spec.asset_tag).id
        except (NotFound, ValidationFailed):
            device_id = None  # kept as typed; the wipe record says the same
    task = BenchTask(
        uid=spec.uid,
        bench_id=actor.bench.id,
        kind=spec.kind,
        origin=spec.origin,
        disk_name=spec.disk_name,
        disk_serial=spec.disk.serial if spec.disk else None,
        disk_model=spec.disk.model if spec.disk else None,
        disk_size_bytes=spec.disk.size_bytes if spec.disk else 0,
        method=spec.method,
        verify=spec.verify,
        asset_tag=spec.asset_tag,
        device_id=device_id,
        requested_by=spec.requested_by or actor.label,
    )
    session.add(task)
    session.flush()
    return task


def apply_status(session: Session, actor: Actor, status: TaskStatus) -> BenchTask:
    """Apply one transition the bench reported; a finished task does not change any more."""
    task = _own_task(session, actor, status.uid)
    if task is None:
        if status.spec is None:
            raise NotFound(_("No task %(uid)s.", uid=status.uid), field="uid")
        task = _create_from_spec(session, actor, status.spec)
    if task.status in FINAL_STATES and task.status != "cancelled":
        return task
    # A cancellation that crossed the bench's start: what the bench did is what happened.
    task.status = status.state
    if status.state == "running" and task.started_at is None:
        task.started_at = status.at
    if status.state in FINAL_STATES:
        task.finished_at = status.at
        task.message = status.message
        task.reasons = json.dumps([m.model_dump(mode="json") for m in status.reasons])
        task.verdict = status.verdict
        task.wipe_uid = status.wipe_id
    session.add(task)
    session.flush()
    return task


def ingest_status(
    session: Session, actor: Actor, record: BenchRecord, payload: dict[str, Any], extra: Any
) -> dict[str, Any]:
    """Handler of `task.status` records."""
    try:
        status = TaskStatus.model_validate(payload)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(part) for part in error["loc"])
        raise ValidationFailed(f"{where}: {error['msg']}", field=where) from exc
    task = apply_status(session, actor, status)
    record.device_id = task.device_id
    return {"task": task.uid, "status": task.status}


HANDLERS[KIND] = ingest_status


def progress_of(task: BenchTask) -> dict[str, Any]:
    """The latest progress as a dict, with the percentage (empty when none)."""
    try:
        data = json.loads(task.progress or "{}")
    except json.JSONDecodeError:
        return {}
    total = data.get("total_bytes") or 0
    if total:
        data["percent"] = min(100.0, 100.0 * data.get("done_bytes", 0) / total)
    return data


STALE = timedelta(minutes=2)  # a running task without news for this long is flagged


def is_stale(task: BenchTask, now: datetime | None = None) -> bool:
    """A running task the bench has not reported on for STALE (agent stopped, link down)."""
    if task.status != "running":
        return False
    last = task.progress_at or task.started_at or task.created_at
    return (now or utcnow()) - last > STALE


@dataclass
class BenchBoard:
    """One bench on the live dashboard."""

    bench: Bench
    online: bool
    disks: list[dict[str, Any]]
    active: list[BenchTask] = field(default_factory=list)
    finished: list[BenchTask] = field(default_factory=list)

    def task_on(self, disk_name: str) -> BenchTask | None:
        """The task under way on a disk (MACHINE: on the machine itself), if any."""
        return next((t for t in self.active if t.disk_name == disk_name), None)

    @property
    def machine_task(self) -> BenchTask | None:
        """The diagnostic of the machine under way, if any."""
        return self.task_on(MACHINE)


def board(
    session: Session, actor: Actor, bench_ids: list[int] | None = None, now: datetime | None = None
) -> list[BenchBoard]:
    """Every (active) bench with its disks, tasks under way and recently finished (staff)."""
    require_staff(actor)
    now = now or utcnow()
    query = select(Bench).where(col(Bench.active)).order_by(col(Bench.name))
    if bench_ids is not None:
        query = select(Bench).where(col(Bench.id).in_(bench_ids))
    benches = list(session.exec(query))
    ids = [b.id for b in benches]
    tasks = session.exec(
        select(BenchTask)
        .where(
            col(BenchTask.bench_id).in_(ids),
            col(BenchTask.status).in_(ACTIVE) | (col(BenchTask.finished_at) >= now - RECENT),
        )
        .order_by(col(BenchTask.id).desc())
    ).all()
    boards = []
    for bench in benches:
        seen = bench.last_seen_at
        item = BenchBoard(bench, bool(seen and now - seen <= ONLINE), bench_disks(bench))
        for task in tasks:
            if task.bench_id == bench.id:
                (item.active if task.status in ACTIVE else item.finished).append(task)
        item.active.reverse()  # oldest first
        item.finished = item.finished[:10]
        boards.append(item)
    return boards
