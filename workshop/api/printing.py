"""API: printers, label jobs, and the queue a bench's agent prints from."""

from __future__ import annotations

import base64
from datetime import datetime
from typing import Annotated, Any

from flask import current_app
from pydantic import Field, StringConstraints
from sqlmodel import Session

from workshop import db
from workshop.api import bp
from workshop.api.registry import operation
from workshop.api.schemas import Input, Output, RowId
from workshop.errors import Forbidden
from workshop.i18n import _
from workshop.models import LabelJob
from workshop.services import devices as device_service
from workshop.services import printing
from workshop.services.actors import Actor
from workshop.web.public_url import public_base_url


class PrinterIn(Input):
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
    uri: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
    profile: Annotated[str, StringConstraints(max_length=50)]
    media: Annotated[str, StringConstraints(max_length=20)]
    qr_mode: Annotated[str, StringConstraints(max_length=10)] | None = None
    bench_id: RowId | None = None


class PrinterOut(Output):
    id: int
    name: str
    bench_id: int | None
    uri: str
    profile: str
    media: str
    qr_mode: str | None
    target_problem: str | None = Field(
        default=None, description="why this printer may not be written (a file:// target)"
    )


class PrintIn(Input):
    printer_id: RowId


class JobOut(Output):
    id: int
    device_id: int
    printer_id: int
    status: str
    attempts: int
    last_error: str | None
    created_at: datetime
    printed_at: datetime | None


class BenchJobOut(JobOut):
    printer: PrinterOut
    data_base64: str


class ResultIn(Input):
    printed: bool
    error: Annotated[str, StringConstraints(max_length=500)] | None = None


def _job(job: LabelJob) -> JobOut:
    return JobOut.model_validate({n: getattr(job, n) for n in JobOut.model_fields})


def _base_url() -> str:
    return public_base_url()


@operation(bp, "/printers", "GET", summary="List printers", response=PrinterOut, many=True)
def list_printers(session: Session, actor: Actor) -> list[PrinterOut]:
    """Active printers (staff)."""
    folder = current_app.config["WORKSHOP"].printer_file_dir
    return [
        PrinterOut.model_validate(
            {**p.model_dump(), "target_problem": printing.target_problem(p, folder)}
        )
        for p in printing.list_printers(session, actor)
    ]


@operation(
    bp,
    "/printers",
    "POST",
    summary="Configure a printer",
    body=PrinterIn,
    response=PrinterOut,
    status=201,
)
def create_printer(session: Session, actor: Actor, body: PrinterIn) -> PrinterOut:
    """A coordinator adds a printer (URI, profile and media are checked)."""
    folder = current_app.config["WORKSHOP"].printer_file_dir
    printer = printing.create_printer(session, actor, **body.model_dump(), file_dir=folder)
    return PrinterOut.model_validate(printer)


@operation(
    bp,
    "/devices/<tag>/labels",
    "POST",
    summary="Print a device's label",
    body=PrintIn,
    response=JobOut,
    status=201,
)
def print_label(session: Session, actor: Actor, tag: str, body: PrintIn) -> Any:
    """Queue the label; a printer without a bench is sent to right away by the server."""
    device = device_service.get_device(session, actor, tag)
    printer = printing.get_printer(session, actor, body.printer_id)
    job = printing.queue_label(session, actor, device, printer, base_url=_base_url())
    if printer.bench_id is None:
        session.commit()
        assert job.id is not None
        job = printing.deliver(
            db.get_engine(current_app),
            job.id,
            file_dir=current_app.config["WORKSHOP"].printer_file_dir,
        )
    return _job(job)


@operation(bp, "/label-jobs/<int:job_id>", "GET", summary="One label job", response=JobOut)
def get_job(session: Session, actor: Actor, job_id: int) -> JobOut:
    """A job's status (staff, or the bench that prints it)."""
    return _job(printing.get_job(session, actor, job_id))


@operation(
    bp,
    "/label-jobs/<int:job_id>/retry",
    "POST",
    summary="Retry a failed label job",
    response=JobOut,
)
def retry_job(session: Session, actor: Actor, job_id: int) -> JobOut:
    """Queue a failed job again."""
    return _job(printing.retry_job(session, actor, job_id))


@operation(
    bp,
    "/bench/label-jobs",
    "GET",
    summary="Label jobs waiting on this bench's printers",
    response=BenchJobOut,
    many=True,
)
def bench_jobs(session: Session, actor: Actor) -> list[BenchJobOut]:
    """What the calling bench's agent must print, oldest first, with the bytes to send."""
    return [
        BenchJobOut.model_validate(
            {
                **_job(job).model_dump(),
                "printer": PrinterOut.model_validate(printer),
                "data_base64": base64.b64encode(job.data).decode(),
            }
        )
        for job, printer in printing.pending_for_bench(session, actor, base_url=_base_url())
    ]


@operation(
    bp,
    "/bench/label-jobs/<int:job_id>/result",
    "POST",
    summary="The bench reports a print attempt",
    body=ResultIn,
    response=JobOut,
)
def bench_result(session: Session, actor: Actor, job_id: int, body: ResultIn) -> JobOut:
    """Printed, or failed with the printer's error (idempotent once printed)."""
    if actor.bench is None:
        raise Forbidden(_("Only a bench reports print results."))
    return _job(printing.report_job(session, actor, job_id, printed=body.printed, error=body.error))
