"""Device list with filters, and the device page with its timeline."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from flask_wtf import FlaskForm
from sqlmodel import Session
from wtforms import SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length

from workshop import db
from workshop.errors import IllegalTransition, ValidationFailed, WorkshopError
from workshop.models import DeviceStatus, DeviceType, Donation
from workshop.models.lifecycle import allowed_targets
from workshop.services import asset_tags, bench_tasks, csv_export, diagnostics, printing, stock
from workshop.services import devices as device_service
from workshop.services.components import active_components
from workshop.services.events import actor_names, event_data
from workshop.web.benches import task_label
from workshop.web.labels import STATUS_LABELS, TYPE_LABELS, web_actor
from workshop.web.query_args import page_number, whole_number

bp = Blueprint("devices", __name__, url_prefix="/devices")
PAGE_SIZE = 50


class GradeForm(FlaskForm):
    grade = SelectField(
        _l("Grade"), choices=[SelectChoice("A"), SelectChoice("B"), SelectChoice("C")]
    )
    reason = StringField(_l("Reason (optional)"), validators=[Length(max=500)])


class TransitionForm(FlaskForm):
    status = SelectField(_l("New state"), validators=[DataRequired()])
    reason = StringField(_l("Reason (optional)"), validators=[Length(max=500)])


def _enum_arg(name: str, enum: Any) -> Any:
    value = request.args.get(name) or None
    if value is None:
        return None
    try:
        return enum(value)
    except ValueError:
        abort(400, description=_("Unknown value %(value)s for %(field)s", value=value, field=name))


def _filters() -> device_service.DeviceFilters:
    donation = request.args.get("donation", "").strip()
    if donation and not whole_number(donation):
        abort(
            400,
            description=_(
                "Unknown value %(value)s for %(field)s", value=donation[:20], field="donation"
            ),
        )
    return device_service.DeviceFilters(
        status=_enum_arg("status", DeviceStatus),
        type=_enum_arg("type", DeviceType),
        donation_id=int(donation) if donation else None,
        search=request.args.get("q", "")[:100],
    )


def _filter_args(filters: device_service.DeviceFilters) -> dict[str, Any]:
    """The filters as query-string arguments for links that keep them (None: left out)."""
    return {
        "status": filters.status or None,
        "type": filters.type or None,
        "donation": filters.donation_id or None,
        "q": filters.search or None,
    }


@bp.route("/export.csv")
@login_required
def export_csv() -> Any:
    """The filtered device list as CSV (UTF-8 BOM and ';': French spreadsheets open it), every
    matching device, streamed batch by batch: memory stays flat whatever the count."""
    actor, filters = web_actor(), _filters()
    # Read through a session of its own, closed when the last row is sent or the client goes:
    # the request's session is committed and closed before the body is streamed.
    engine = db.get_engine(current_app).execution_options(**{db.DEFERRED_BEGIN_OPTION: True})
    # Translated once, not once per row (a lazy label is translated on every str()).
    types = {key: str(label) for key, label in TYPE_LABELS.items()}
    states = {key: str(label) for key, label in STATUS_LABELS.items()}
    header = [
        _("Asset tag"), _("Type"), _("Vendor"), _("Model"), _("Serial number"), _("State"),
        _("Grade"), _("Weight (kg)"), _("Donation"), _("Received on"),
    ]  # fmt: skip

    def chunks() -> Iterator[str]:
        out = io.StringIO()
        writer = csv_export.writer(out)
        writer.writerow(header)
        yield "\ufeff" + out.getvalue()
        out.seek(0), out.truncate()
        with Session(engine) as session:
            yield from _device_chunks(session, actor, filters, (types, states), out, writer)

    return Response(
        stream_with_context(chunks()),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=appareils.csv"},
    )


def _device_chunks(
    session: Session,
    actor: Any,
    filters: device_service.DeviceFilters,
    labels: tuple[dict[str, str], dict[str, str]],
    out: io.StringIO,
    writer: Any,
) -> Iterator[str]:
    """The CSV rows of the export, a batch of text at a time."""
    types, states = labels
    rows = device_service.export_rows(session, actor, filters)
    for count, row in enumerate(rows, start=1):
        _id, tag, kind, vendor, model, serial, status, grade, weight, ref, created = row
        writer.writerow(
            [
                asset_tags.display(tag), types.get(kind, kind), vendor or "", model or "",
                serial or "", states.get(status, status), grade or "",
                f"{weight:.1f}".replace(".", ",") if weight is not None else "",
                ref or "", created.date().isoformat(),
            ]
        )  # fmt: skip
        if count % device_service.EXPORT_BATCH == 0:
            yield out.getvalue()
            out.seek(0), out.truncate()
    yield out.getvalue()


@bp.route("/")
@login_required
def index() -> Any:
    """Devices the user may see, with filters by state, type, donation and text."""
    page = request.args.get("page", "1")
    number = page_number(page)
    filters = _filters()
    session, actor = db.request_session(), web_actor()
    rows, total = device_service.list_devices(
        session, actor, filters, limit=PAGE_SIZE, offset=(number - 1) * PAGE_SIZE
    )
    state_counts = stock.status_counts(session, actor, filters)
    # Named only when the user sees some of its devices (the list is scoped, not the id).
    donation = None
    if filters.donation_id and any(state_counts.values()):
        donation = session.get(Donation, filters.donation_id)
    return render_template(
        "devices/list.html",
        devices=rows,
        total=total,
        filters=filters,
        filter_args=_filter_args(filters),
        state_counts=state_counts,
        donation=donation,
        page=number,
        pages=max(1, -(-total // PAGE_SIZE)),
        statuses=STATUS_LABELS,
        types=TYPE_LABELS,
    )


def _transition_form(device: Any) -> TransitionForm:
    form = TransitionForm()
    # Lifecycle order (the next step first, the exits last) after an empty choice, so that
    # nothing is applied by accident.
    targets = allowed_targets(device.status)
    form.status.choices = [SelectChoice("", _("— choose —"))] + [
        SelectChoice(s.value, str(STATUS_LABELS[s])) for s in DeviceStatus if s in targets
    ]
    return form


@bp.route("/<tag>", methods=["GET", "POST"])
@login_required
def detail(tag: str) -> Any:
    """Identity, state, lifecycle actions and the timeline of one device."""
    session, actor = db.request_session(), web_actor()
    device = device_service.get_device(session, actor, tag)
    form = _transition_form(device)
    status = 200
    if form.validate_on_submit():
        try:
            device_service.transition_device(
                session, actor, device, form.status.data or "", reason=form.reason.data or ""
            )
        except WorkshopError as exc:
            flash(exc.message, "error")
            status = exc.status
        else:
            flash(_("Status changed to %(status)s.", status=STATUS_LABELS[device.status]), "info")
            return redirect(url_for("devices.detail", tag=device.asset_tag))
    elif request.method == "POST":
        status = 400
    events = [(e, event_data(e)) for e in device_service.device_events(session, device)]
    actors = actor_names(session, actor, [e.actor for e, _data in events])
    donation = session.get(Donation, device.donation_id) if device.donation_id else None
    components = [(c, json.loads(c.details)) for c in active_components(session, device)]
    return render_template(
        "devices/detail.html",
        device=device,
        events=events,
        actors=actors,
        form=form,
        donation=donation,
        components=components,
        diagnostic=diagnostics.latest_diagnostic(session, device),
        grade_form=_grade_form(session, device),
        printers=printing.list_printers(session, actor) if actor.is_staff else [],
        label_jobs=printing.device_jobs(session, device) if actor.is_staff else [],
        tasks=bench_tasks.device_tasks(session, device) if actor.is_staff else [],
        task_label=task_label,
        task_progress=bench_tasks.progress_of,
        can_act=actor.is_staff,
    ), status


def _grade_form(session: Any, device: Any) -> GradeForm:
    form = GradeForm(prefix="grade")
    latest = diagnostics.latest_diagnostic(session, device)
    suggested = latest.get("suggested_grade") if latest else None
    if not form.is_submitted():
        form.grade.data = device.grade or (suggested if suggested in ("A", "B", "C") else None)
    return form


@bp.route("/<tag>/grade", methods=["POST"])
@login_required
def grade(tag: str) -> Any:
    """Confirm or override the suggested grade (an event; a wiped device becomes graded)."""
    session, actor = db.request_session(), web_actor()
    device = device_service.get_device(session, actor, tag)
    form = GradeForm(prefix="grade")
    if not form.validate_on_submit():
        flash(_("Choose a grade."), "error")
        return redirect(url_for("devices.detail", tag=device.asset_tag))
    try:
        diagnostics.set_grade(
            session, actor, device, form.grade.data or "", reason=form.reason.data or ""
        )
    except (IllegalTransition, ValidationFailed) as exc:
        flash(exc.message, "error")
        session.rollback()
    else:
        flash(_("Grade %(grade)s recorded.", grade=device.grade), "info")
    return redirect(url_for("devices.detail", tag=device.asset_tag))
