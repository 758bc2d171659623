"""Label printers and the print queue.

A label job holds the ESC/POS bytes rendered when it was queued (so a retry prints exactly the
same label). Printers attached to a bench are printed by that bench's agent, which fetches its
queued jobs and reports the outcome; printers without a bench (a network printer in the
workshop) are sent to by the server itself, outside the request's transaction.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

import labels
from labels.errors import LabelDataError, LabelError, PrinterTargetError
from workshop.errors import Conflict, Forbidden, NotFound, ValidationFailed
from workshop.i18n import _
from workshop.models import Bench, Device, DeviceStatus, LabelJob, LabelJobStatus, Printer
from workshop.models.base import utcnow
from workshop.services import asset_tags
from workshop.services.actors import SYSTEM, Actor, require_coordinator, require_staff
from workshop.services.bench_records import HANDLERS
from workshop.services.components import active_components

URI_SCHEMES = ("tcp", "socket", "usb", "file", "cups")
WIPED_STATES = {
    DeviceStatus.WIPED,
    DeviceStatus.GRADED,
    DeviceStatus.REFURBISHED,
    DeviceStatus.AVAILABLE,
    DeviceStatus.RESERVED,
    DeviceStatus.HANDED_OVER,
}


def label_message(exc: LabelError) -> str:
    """A labels error in the reader's language (its English text when it has no template)."""
    return _(exc.template, **exc.params) if exc.template else str(exc)


def _target_rule(file_dir: Path | None) -> str:
    return _(
        "A file printer must be a printer device (/dev/usb/lp0, /dev/lp0, a serial port) or a "
        "file inside the printer folder (WORKSHOP_PRINTER_FILE_DIR: %(folder)s).",
        folder=str(file_dir) if file_dir else _("none configured"),
    )


def target_problem(printer: Printer, file_dir: Path | None) -> str | None:
    """Why a saved file:// printer may not be written any more (None when it may).

    The rule was made stricter after some printers were saved (any character device was once
    accepted, /dev/mem included): such a printer is flagged on the printers page and in the
    API, and its jobs fail naming the rule, until a coordinator replaces it.
    """
    if not printer.uri.startswith("file:"):
        return None
    try:
        labels.open_printer(printer.uri, file_dir=file_dir)
    except PrinterTargetError:
        return _target_rule(file_dir)
    except LabelError as exc:
        return label_message(exc)
    return None


def _check_settings(
    uri: str, profile: str, media: str, qr_mode: str | None, file_dir: Path | None
) -> None:
    try:
        labels.open_printer(uri, file_dir=file_dir)
    except PrinterTargetError as exc:
        raise ValidationFailed(_target_rule(file_dir), field="uri") from exc
    except LabelError as exc:
        raise ValidationFailed(label_message(exc), field="uri") from exc
    try:
        printer_profile = labels.get_profile(profile)
    except LabelError as exc:
        raise ValidationFailed(label_message(exc), field="profile") from exc
    try:
        printer_profile.check_media(labels.get_media(media))
    except LabelError as exc:
        raise ValidationFailed(label_message(exc), field="media") from exc
    if qr_mode not in (None, "native", "image"):
        raise ValidationFailed(_("The QR mode is native or image."), field="qr_mode")


def create_printer(
    session: Session,
    actor: Actor,
    *,
    name: str,
    uri: str,
    profile: str,
    media: str,
    qr_mode: str | None = None,
    bench_id: int | None = None,
    file_dir: Path | None = None,
) -> Printer:
    """Configure a printer (coordinators); its URI, profile and media are checked now.

    A file:// printer must be a printer device or a file inside `file_dir`
    (WORKSHOP_PRINTER_FILE_DIR), so no URI can point the server at its own keys or database.
    """
    require_coordinator(actor)
    name = name.strip()
    _check_settings(uri.strip(), profile, media, qr_mode or None, file_dir)
    if bench_id is not None and session.get(Bench, bench_id) is None:
        raise NotFound(_("No bench with id %(id)s.", id=bench_id), field="bench_id")
    if session.exec(select(Printer.id).where(Printer.name == name)).first() is not None:
        raise Conflict(_("A printer named %(name)s already exists.", name=name), field="name")
    printer = Printer(
        name=name,
        uri=uri.strip(),
        profile=profile,
        media=media,
        qr_mode=qr_mode or None,
        bench_id=bench_id,
    )
    session.add(printer)
    session.flush()
    return printer


def list_printers(session: Session, actor: Actor) -> list[Printer]:
    """Active printers, by name (staff)."""
    require_staff(actor)
    query = select(Printer).where(col(Printer.active)).order_by(col(Printer.name))
    return list(session.exec(query))


def get_printer(session: Session, actor: Actor, printer_id: int) -> Printer:
    """One active printer: staff see all, a bench only its own."""
    if actor.bench is None:
        require_staff(actor)
    printer = session.get(Printer, printer_id)
    mine = actor.bench is None or (printer is not None and printer.bench_id == actor.bench.id)
    if printer is None or not printer.active or not mine:
        raise NotFound(_("No printer with id %(id)s.", id=printer_id), field="printer_id")
    return printer


def specs_line(session: Session, device: Device) -> str:
    """One line of specs for the label: CPU, RAM, storage (from the latest inventory)."""
    ram = 0
    cpu_name, disks = "", []
    for part in active_components(session, device):
        if part.kind == "cpu" and part.model:
            cpu_name = _short_cpu(part.model)
        elif part.kind == "memory":
            ram += part.capacity_bytes or 0
        elif part.kind == "disk" and part.capacity_bytes:
            kind = json.loads(part.details).get("rotational")
            disks.append(("HDD" if kind else "SSD", part.capacity_bytes))
    pieces = [cpu_name] if cpu_name else []
    if ram:
        pieces.append(f"{round(ram / 1024**3)} Go")
    pieces += [f"{kind} {round(size / 1000**3)} Go" for kind, size in disks[:2]]
    return " · ".join(pieces)[: labels.data.SPECS_MAX] if pieces else ""


def _short_cpu(model: str) -> str:
    found = re.search(r"\b(i[3579]-\w+|Ryzen \d \w+|Celeron \w+|Pentium \w+|Atom \w+)", model)
    return found.group(1) if found else model.replace("(R)", "").replace("(TM)", "")[:30]


def label_data(session: Session, device: Device, *, base_url: str) -> labels.LabelData:
    """The facts printed on a device's label; its QR holds the public URL of the device."""
    status = DeviceStatus(device.status)
    wipe = (
        labels.WipeStatus.PASSED
        if status in WIPED_STATES
        else labels.WipeStatus.FAILED
        if status == DeviceStatus.WIPE_FAILED
        else None
    )
    wiped_on: date | None = device.updated_at.date() if wipe else None
    try:
        return labels.LabelData(
            tag=asset_tags.display(device.asset_tag),
            url=f"{base_url.rstrip('/')}/d/{device.asset_tag}",
            specs=specs_line(session, device),
            grade=device.grade or "",
            wipe_status=wipe,
            wipe_date=wiped_on,
        )
    except LabelDataError as exc:
        raise ValidationFailed(str(exc), field=exc.field) from exc


def render(session: Session, device: Device, printer: Printer, *, base_url: str) -> bytes:
    """The ESC/POS job for a device on a printer; any layout problem is a clear error."""
    data = label_data(session, device, base_url=base_url)
    mode = labels.QrMode(printer.qr_mode) if printer.qr_mode else None
    try:
        return labels.encode_job(
            data, labels.get_profile(printer.profile), labels.get_media(printer.media), mode
        )
    except LabelError as exc:
        raise ValidationFailed(label_message(exc), field="printer_id") from exc


def preview_png(session: Session, device: Device, *, media: str, base_url: str) -> bytes:
    """A PNG preview of the device's label on a media."""
    try:
        chosen = labels.get_media(media)
    except LabelError as exc:
        raise ValidationFailed(label_message(exc), field="media") from exc
    return labels.preview_png(label_data(session, device, base_url=base_url), chosen)


def queue_label(
    session: Session, actor: Actor, device: Device, printer: Printer, *, base_url: str | None
) -> LabelJob:
    """Queue a label (staff, or a bench on its own printers); rendered now when base_url is known.

    Without base_url (a job queued by a bench record, outside any request) the bytes are
    rendered when the job is first fetched or delivered, then kept for retries.
    """
    if actor.bench is not None:
        if printer.bench_id != actor.bench.id:
            raise Forbidden(_("A bench prints only on its own printers."), field="printer_id")
    else:
        require_staff(actor)
    assert device.id is not None and printer.id is not None
    data = render(session, device, printer, base_url=base_url) if base_url else b""
    job = LabelJob(device_id=device.id, printer_id=printer.id, requested_by=actor.label, data=data)
    session.add(job)
    session.flush()
    return job


def ensure_rendered(session: Session, job: LabelJob, *, base_url: str) -> LabelJob:
    """Render a deferred job's bytes (once: retries send the same bytes)."""
    if not job.data:
        device, printer = session.get(Device, job.device_id), session.get(Printer, job.printer_id)
        assert device is not None and printer is not None
        job.data = render(session, device, printer, base_url=base_url)
        session.add(job)
        session.flush()
    return job


def queue_bench_label(session: Session, actor: Actor, device: Device) -> LabelJob | None:
    """Queue the device's label on the acting bench's first printer, if it has one.

    Used when a machine is first seen at a bench and when its wipe result arrives.
    """
    if actor.bench is None:
        return None
    printer = session.exec(
        select(Printer)
        .where(Printer.bench_id == actor.bench.id, col(Printer.active))
        .order_by(col(Printer.id))
    ).first()
    if printer is None:
        return None
    return queue_label(session, actor, device, printer, base_url=None)


def get_job(session: Session, actor: Actor, job_id: int) -> LabelJob:
    """A label job: staff see all, a bench only those of its printers."""
    job = session.get(LabelJob, job_id)
    printer = session.get(Printer, job.printer_id) if job else None
    if job is None or printer is None:
        raise NotFound(_("No label job with id %(id)s.", id=job_id), field="job_id")
    if actor.bench is not None:
        if printer.bench_id != actor.bench.id:
            raise NotFound(_("No label job with id %(id)s.", id=job_id), field="job_id")
    else:
        require_staff(actor)
    return job


def pending_for_bench(
    session: Session, actor: Actor, *, base_url: str
) -> list[tuple[LabelJob, Printer]]:
    """Queued jobs on the calling bench's printers, oldest first, rendered."""
    if actor.bench is None:
        raise Forbidden(_("Only a bench fetches its label jobs."))
    rows = session.exec(
        select(LabelJob, Printer)
        .join(Printer, col(Printer.id) == LabelJob.printer_id)
        .where(Printer.bench_id == actor.bench.id, LabelJob.status == LabelJobStatus.QUEUED)
        .order_by(col(LabelJob.id))
    )
    return [
        (ensure_rendered(session, job, base_url=base_url), printer) for job, printer in rows.all()
    ]


def report_job(
    session: Session, actor: Actor, job_id: int, *, printed: bool, error: str | None = None
) -> LabelJob:
    """Record the outcome of an attempt (idempotent once printed)."""
    job = get_job(session, actor, job_id)
    if job.status == LabelJobStatus.PRINTED:
        return job
    if job.status == LabelJobStatus.CANCELLED:
        raise Conflict(_("This label job was cancelled."), field="job_id")
    job.attempts += 1
    job.updated_at = utcnow()
    if printed:
        job.status, job.printed_at, job.last_error = LabelJobStatus.PRINTED, utcnow(), None
    else:
        job.status, job.last_error = LabelJobStatus.FAILED, (error or "")[:500] or None
    session.add(job)
    session.flush()
    return job


def retry_job(session: Session, actor: Actor, job_id: int) -> LabelJob:
    """Put a failed job back in the queue (the same bytes are sent again)."""
    job = get_job(session, actor, job_id)
    if job.status != LabelJobStatus.FAILED:
        raise Conflict(_("Only a failed label job can be retried."), field="job_id")
    job.status, job.updated_at = LabelJobStatus.QUEUED, utcnow()
    session.add(job)
    session.flush()
    return job


def cancel_job(session: Session, actor: Actor, job_id: int) -> LabelJob:
    """Withdraw a job that was not printed."""
    job = get_job(session, actor, job_id)
    if job.status == LabelJobStatus.PRINTED:
        raise Conflict(_("This label was already printed."), field="job_id")
    job.status, job.updated_at = LabelJobStatus.CANCELLED, utcnow()
    session.add(job)
    session.flush()
    return job


def device_jobs(session: Session, device: Device, limit: int = 10) -> list[tuple[LabelJob, Any]]:
    """The latest label jobs of a device with their printer names."""
    rows = session.exec(
        select(LabelJob, Printer.name)
        .join(Printer, col(Printer.id) == LabelJob.printer_id)
        .where(LabelJob.device_id == device.id)
        .order_by(col(LabelJob.id).desc())
        .limit(limit)
    )
    return [(job, name) for job, name in rows.all()]


def deliver(
    engine: Engine,
    job_id: int,
    timeouts: labels.Timeouts | None = None,
    file_dir: Path | None = None,
) -> LabelJob:
    """Send a queued job to a printer the server reaches itself; records printed or failed.

    Runs in its own short transactions: the network wait never holds the request's one.
    A file:// target is checked again on the file actually opened (`file_dir` as when saved).
    """
    with Session(engine, expire_on_commit=False) as session:
        job = session.get(LabelJob, job_id)
        printer = session.get(Printer, job.printer_id) if job else None
        if job is None or printer is None or printer.bench_id is not None:
            raise NotFound(_("No label job with id %(id)s.", id=job_id), field="job_id")
        if job.status != LabelJobStatus.QUEUED:
            return job
        uri, data = printer.uri, job.data
        session.rollback()
    error = None
    try:
        labels.open_printer(uri, timeouts, file_dir=file_dir).send(data)
    except LabelError as exc:
        error = str(exc)
    with Session(engine, expire_on_commit=False) as session:
        job = session.get(LabelJob, job_id)
        assert job is not None
        report_job(session, SYSTEM, job_id, printed=error is None, error=error)
        session.commit()
        return job


def _label_result_record(
    session: Session, actor: Actor, record: Any, payload: dict[str, Any], extra: dict[str, Any]
) -> dict[str, Any]:
    """Handler of "label.result" bench records: a print outcome sent through the agent's outbox."""
    job_id, printed = payload.get("job_id"), payload.get("printed")
    if not isinstance(job_id, int) or isinstance(job_id, bool):
        raise ValidationFailed(_("job_id must be an integer."), field="payload.job_id")
    if not isinstance(printed, bool):
        raise ValidationFailed(_("printed must be true or false."), field="payload.printed")
    error = payload.get("error")
    job = report_job(
        session, actor, job_id, printed=printed, error=str(error)[:500] if error else None
    )
    return {"job_id": job.id, "status": str(job.status), "attempts": job.attempts}


HANDLERS["label.result"] = _label_result_record
