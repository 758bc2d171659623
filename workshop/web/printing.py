"""Printers page (configuration and the queue), and label preview/print on the device page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from flask_wtf import FlaskForm
from sqlmodel import col, select
from wtforms import SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

import labels
from workshop import db
from workshop.errors import WorkshopError
from workshop.models import Device, LabelJob, Printer
from workshop.services import devices as device_service
from workshop.services import donations as donation_service
from workshop.services import label_sheet, printing
from workshop.services import organisations as org_service
from workshop.web.labels import web_actor
from workshop.web.public_url import public_base_url

bp = Blueprint("printing", __name__)


class PrinterForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)])
    uri = StringField(
        _l("Address (tcp://, usb://, file://, cups://)"),
        validators=[DataRequired(), Length(max=300)],
    )
    profile = SelectField(_l("Model"), choices=[])
    media = SelectField(_l("Paper"), choices=[])
    qr_mode = SelectField(_l("QR code"), choices=[])
    bench_id = SelectField(_l("Attached to"), coerce=int, validators=[Optional()])


class PrintForm(FlaskForm):
    printer_id = SelectField(_l("Printer"), coerce=int, validators=[DataRequired()])


def _base_url() -> str:
    return public_base_url()


def _printer_form(benches: list[Any]) -> PrinterForm:
    form = PrinterForm()
    form.profile.choices = [
        SelectChoice(p.name, f"{p.name} — {_(p.description)}") for p in labels.PROFILES.values()
    ]
    form.media.choices = [SelectChoice(m.name, m.name) for m in labels.MEDIA.values()]
    form.qr_mode.choices = [
        SelectChoice("", _("automatic")),
        SelectChoice("native", _("native")),
        SelectChoice("image", _("image")),
    ]
    form.bench_id.choices = [SelectChoice(0, _("the server (network printer)"))] + [
        SelectChoice(b.id, b.name) for b in benches
    ]
    return form


def _file_dir() -> Path | None:
    """The folder allowed for file:// printers (WORKSHOP_PRINTER_FILE_DIR)."""
    folder: Path | None = current_app.config["WORKSHOP"].printer_file_dir
    return folder


@bp.route("/printers/", methods=["GET", "POST"])
@login_required
def index() -> Any:
    """Printers and the latest label jobs; coordinators add printers here."""
    session, actor = db.request_session(), web_actor()
    printers = printing.list_printers(session, actor)
    form = _printer_form(org_service.list_benches(session, actor))
    status = 200
    if form.validate_on_submit():
        try:
            printing.create_printer(
                session,
                actor,
                name=form.name.data or "",
                uri=form.uri.data or "",
                profile=form.profile.data or "",
                media=form.media.data or "",
                qr_mode=form.qr_mode.data or None,
                bench_id=form.bench_id.data or None,
                file_dir=_file_dir(),
            )
        except WorkshopError as exc:
            flash(exc.message, "error")
            status = exc.status
        else:
            flash(_("Printer added."), "info")
            return redirect(url_for("printing.index"))
    elif request.method == "POST":
        status = 400
    jobs = session.exec(
        select(LabelJob, Printer.name, Device.asset_tag)
        .join(Printer, col(Printer.id) == LabelJob.printer_id)
        .join(Device, col(Device.id) == LabelJob.device_id)
        .order_by(col(LabelJob.id).desc())
        .limit(50)
    ).all()
    problems = {p.id: printing.target_problem(p, _file_dir()) for p in printers}
    return (
        render_template(
            "printing/index.html", printers=printers, problems=problems, form=form, jobs=jobs
        ),
        status,
    )


@bp.route("/printers/jobs/<int:job_id>/<action>", methods=["POST"])
@login_required
def job_action(job_id: int, action: str) -> Any:
    """Retry or cancel a job (retrying a server-side printer sends it again now)."""
    session, actor = db.request_session(), web_actor()
    if FlaskForm().validate_on_submit() is False:
        return redirect(url_for("printing.index"))
    if action == "retry":
        job = printing.retry_job(session, actor, job_id)
        printer = session.get(Printer, job.printer_id)
        if printer is not None and printer.bench_id is None:
            session.commit()
            printing.deliver(db.get_engine(current_app), job_id, file_dir=_file_dir())
    elif action == "cancel":
        printing.cancel_job(session, actor, job_id)
    else:
        return Response(status=404)
    return redirect(request.referrer or url_for("printing.index"))


@bp.route("/devices/<tag>/label.png")
@login_required
def preview(tag: str) -> Any:
    """PNG preview of the device's label on a media (?media=58mm|80mm|50x30)."""
    session = db.request_session()
    device = device_service.get_device(session, web_actor(), tag)
    png = printing.preview_png(
        session, device, media=request.args.get("media", "58mm")[:20], base_url=_base_url()
    )
    return Response(png, mimetype="image/png", headers={"Cache-Control": "no-store"})


@bp.route("/devices/<tag>/print", methods=["POST"])
@login_required
def print_label(tag: str) -> Any:
    """Queue the device's label on the chosen printer (sent right away for network printers)."""
    session, actor = db.request_session(), web_actor()
    device = device_service.get_device(session, actor, tag)
    form = PrintForm()
    form.printer_id.choices = [
        SelectChoice(p.id, p.name) for p in printing.list_printers(session, actor)
    ]
    if not form.validate_on_submit():
        flash(_("Choose a printer."), "error")
        return redirect(url_for("devices.detail", tag=device.asset_tag))
    printer = printing.get_printer(session, actor, form.printer_id.data)
    job = printing.queue_label(session, actor, device, printer, base_url=_base_url())
    session.commit()
    assert job.id is not None
    if printer.bench_id is None:
        job = printing.deliver(db.get_engine(current_app), job.id, file_dir=_file_dir())
    if job.status == "failed":
        flash(_("The label could not be printed: %(error)s", error=job.last_error or ""), "error")
    else:
        flash(_("Label sent to %(printer)s.", printer=printer.name), "info")
    return redirect(url_for("devices.detail", tag=device.asset_tag))


@bp.route("/donations/<int:donation_id>/labels", methods=["POST"])
@login_required
def print_donation_labels(donation_id: int) -> Any:
    """Intake: queue one label per item of the donation on the chosen printer."""
    session, actor = db.request_session(), web_actor()
    donation = donation_service.get_donation(session, actor, donation_id)
    back = url_for("donations.detail", donation_id=donation_id)
    form = PrintForm()
    form.printer_id.choices = [
        SelectChoice(p.id, p.name) for p in printing.list_printers(session, actor)
    ]
    if not form.validate_on_submit():
        flash(_("Choose a printer."), "error")
        return redirect(back)
    printer = printing.get_printer(session, actor, form.printer_id.data)
    devices = donation_service.donation_devices(session, donation)
    jobs = [
        printing.queue_label(session, actor, device, printer, base_url=_base_url())
        for device in devices
    ]
    session.commit()
    if printer.bench_id is None:
        engine = db.get_engine(current_app)
        jobs = [
            printing.deliver(engine, job.id, file_dir=_file_dir())
            for job in jobs
            if job.id is not None
        ]
    failed = [job for job in jobs if job.status == "failed"]
    if failed:
        flash(
            _(
                "%(failed)s of %(count)s labels could not be printed: %(error)s",
                failed=len(failed),
                count=len(jobs),
                error=failed[0].last_error or "",
            ),
            "error",
        )
    else:
        flash(
            _("%(count)s labels sent to %(printer)s.", count=len(jobs), printer=printer.name),
            "info",
        )
    return redirect(back)


@bp.app_context_processor
def _donation_print_form() -> dict[str, Any]:
    """The printers a donation page offers for its labels (staff only)."""

    def donation_printers() -> list[Printer]:
        try:
            return printing.list_printers(db.request_session(), web_actor())
        except WorkshopError:
            return []

    def label_staff() -> bool:
        return web_actor().is_staff

    return {
        "donation_printers": donation_printers,
        "label_sheets": label_sheet.SHEETS,
        "label_staff": label_staff,
    }


def _sheet_pdf(devices: list[Device], filename: str) -> Any:
    """The A4 label sheet of these devices (?sheet=L7160&start=1), or a message back."""
    session, actor = db.request_session(), web_actor()
    sheet = label_sheet.sheet_format(request.args.get("sheet"))
    start = label_sheet.first_label(request.args.get("start"), sheet)
    pdf = label_sheet.device_sheet(
        session, actor, devices, sheet, start=start, base_url=_base_url()
    )
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="{filename}-{sheet.code}.pdf"',
            "Cache-Control": "no-store",
        },
    )


@bp.route("/devices/<tag>/labels.pdf")
@login_required
def device_sheet(tag: str) -> Any:
    """One device's label on an A4 sheet, at the chosen free position."""
    device = device_service.get_device(db.request_session(), web_actor(), tag)
    return _sheet_pdf([device], f"etiquette-{device.asset_tag}")


@bp.route("/donations/<int:donation_id>/labels.pdf")
@login_required
def donation_sheet(donation_id: int) -> Any:
    """Intake without a thermal printer: every item of the donation on A4 label sheets."""
    session, actor = db.request_session(), web_actor()
    donation = donation_service.get_donation(session, actor, donation_id)
    devices = donation_service.donation_devices(session, donation)
    return _sheet_pdf(devices, f"etiquettes-don-{donation_id}")
