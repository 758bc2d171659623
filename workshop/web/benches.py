"""Benches: list, enrollment codes, each bench's disks and the snapshots waiting for a tag."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

from flask import (
    Blueprint,
    Response,
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
from sqlmodel import Session, col, select
from wtforms import HiddenField, StringField
from wtforms.validators import DataRequired, Length

from workshop import db
from workshop.errors import WorkshopError
from workshop.models import Bench, BenchRecord
from workshop.services import enrollment, inventory
from workshop.services import organisations as org_service
from workshop.web.labels import web_actor

bp = Blueprint("benches", __name__, url_prefix="/benches")


class BenchForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)])
    location = StringField(_l("Location"), validators=[Length(max=200)])


class EnrollmentForm(FlaskForm):
    bench_name = StringField(_l("Name of the new bench (optional)"), validators=[Length(max=100)])


class BindForm(FlaskForm):
    record_id = HiddenField(validators=[DataRequired()])
    asset_tag = StringField(_l("Asset tag"), validators=[DataRequired(), Length(max=20)])


@bp.route("/", methods=["GET", "POST"])
@login_required
def index() -> Any:
    """Every bench; a coordinator registers one or issues an enrollment code here."""
    session, actor = db.request_session(), web_actor()
    benches = org_service.list_benches(session, actor)
    form, enroll_form = BenchForm(prefix="bench"), EnrollmentForm(prefix="enroll")
    token = code = None
    status = 200
    try:
        if request.method == "POST" and "enroll-bench_name" in request.form:
            if enroll_form.validate_on_submit():
                _row, code = enrollment.create_enrollment_code(
                    session, actor, bench_name=enroll_form.bench_name.data
                )
            else:
                status = 400
        elif form.validate_on_submit():
            bench, token = org_service.create_bench(
                session, actor, name=form.name.data or "", location=form.location.data or ""
            )
            benches.append(bench)
            flash(
                _(
                    "Bench %(name)s registered. Copy its token now: it is shown only once.",
                    name=bench.name,
                ),
                "info",
            )
        elif request.method == "POST":
            status = 400
    except WorkshopError as exc:
        flash(exc.message, "error")
        status = exc.status
    return render_template(
        "benches/list.html",
        benches=benches,
        form=form,
        enroll_form=enroll_form,
        token=token,
        code=code,
    ), status


@bp.route("/<int:bench_id>", methods=["GET", "POST"])
@login_required
def detail(bench_id: int) -> Any:
    """What a bench sees now (disks) and the snapshots waiting for an asset tag."""
    session, actor = db.request_session(), web_actor()
    bench = org_service.get_bench(session, actor, bench_id)
    form = BindForm()
    status = 200
    if form.validate_on_submit():
        try:
            result = inventory.bind_record(
                session, actor, int(form.record_id.data or 0), form.asset_tag.data or ""
            )
        except (WorkshopError, ValueError) as exc:
            flash(getattr(exc, "message", str(exc)), "error")
            status = getattr(exc, "status", 400)
        else:
            flash(_("Inventory attached to %(tag)s.", tag=result["label"]), "info")
            return redirect(url_for("benches.detail", bench_id=bench_id))
    waiting = session.exec(
        select(BenchRecord)
        .where(BenchRecord.bench_id == bench_id, col(BenchRecord.needs_binding))
        .order_by(col(BenchRecord.id))
    ).all()
    previews = [(r, _snapshot_summary(r)) for r in waiting]
    disks = json.loads(bench.disks or "[]")
    return render_template(
        "benches/detail.html", bench=bench, disks=disks, waiting=previews, form=form
    ), status


STREAM_POLL = 0.5  # seconds between two looks at the bench row
STREAM_LIFETIME = 120.0  # the browser's EventSource reconnects by itself after this
STREAM_KEEPALIVE = 15.0


@bp.route("/<int:bench_id>/stream")
@login_required
def stream(bench_id: int) -> Any:
    """Server-sent events: the bench's disks whenever its agent reports a change (hotplug)."""
    session, actor = db.request_session(), web_actor()
    org_service.get_bench(session, actor, bench_id)  # access check, then free the request's session
    session.rollback()
    engine = db.get_engine(current_app)
    return Response(
        stream_with_context(_disk_events(engine, bench_id)),
        mimetype="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


def _disk_events(engine: Any, bench_id: int) -> Iterator[str]:
    """Yield an SSE `disks` event at start and at every change; a comment keeps the line open."""
    last: tuple[Any, ...] | None = None
    started = quiet_since = time.monotonic()
    while time.monotonic() - started < STREAM_LIFETIME:
        # A short read of its own each time: never hold a transaction across the wait.
        with Session(engine.execution_options(**{db.DEFERRED_BEGIN_OPTION: True})) as session:
            bench = session.get(Bench, bench_id)
            state = (bench.disks, bench.disks_observed_at) if bench else None
        if state is None:
            return
        if state != last:
            last, quiet_since = state, time.monotonic()
            observed = state[1].isoformat() if state[1] else None
            payload = json.dumps({"disks": json.loads(state[0] or "[]"), "observed_at": observed})
            yield f"event: disks\ndata: {payload}\n\n"
        elif time.monotonic() - quiet_since > STREAM_KEEPALIVE:
            quiet_since = time.monotonic()
            yield ": still here\n\n"
        time.sleep(STREAM_POLL)


def _snapshot_summary(record: BenchRecord) -> dict[str, Any]:
    payload = json.loads(record.payload)
    system = payload.get("system") or {}
    return {
        "vendor": system.get("vendor"),
        "product": system.get("product"),
        "serial": (system.get("serial") or {}).get("value"),
        "cpu": (payload.get("cpu") or {}).get("model"),
        "disks": len(payload.get("disks") or []),
        "hostname": payload.get("hostname"),
        "result": json.loads(record.result or "{}"),
    }
