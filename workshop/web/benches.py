"""Benches: the live dashboard, enrollment codes, each bench's disks, wipes and diagnostics
asked from here, and the snapshots waiting for a tag."""

from __future__ import annotations

import json
import threading
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
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlmodel import Session, col, select
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from workshop import db
from workshop.errors import WorkshopError
from workshop.input_policy import INT64_MAX
from workshop.models import Bench, BenchRecord, BenchTask, User
from workshop.services import accounts, asset_tags, bench_records, bench_tasks, enrollment
from workshop.services import organisations as org_service
from workshop.services.actors import SYSTEM, require_staff
from workshop.web.labels import web_actor

bp = Blueprint("benches", __name__, url_prefix="/benches")


class BenchForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)])
    location = StringField(_l("Location"), validators=[Length(max=200)])


class EnrollmentForm(FlaskForm):
    bench_name = StringField(_l("Name of the new bench (optional)"), validators=[Length(max=100)])


class WipeForm(FlaskForm):
    serial = HiddenField()
    size_bytes = IntegerField(
        widget=HiddenField.widget, validators=[NumberRange(min=1, max=INT64_MAX)]
    )
    method = SelectField(
        _l("Method"),
        choices=[
            SelectChoice(
                "auto", _l("Automatic (Purge on SSD/NVMe when the drive supports it, else Clear)")
            ),
            SelectChoice("zero", _l("Clear: overwrite with zeros")),
            SelectChoice("random", _l("Clear: overwrite with a random stream (AES-CTR)")),
            SelectChoice("purge", _l("Purge (drive's own sanitize command), Clear if unsupported")),
        ],
        default="auto",
    )
    verify = SelectField(
        _l("Verification"),
        choices=[
            SelectChoice("full", _l("Full: read back every sector")),
            SelectChoice("sample", _l("Sampled (NIST scheme, about 10%)")),
        ],
        default="full",
    )
    asset_tag = StringField(
        _l("Asset tag of the machine the disk comes from (optional)"),
        validators=[Optional(), Length(max=20)],
    )
    confirm = BooleanField(
        _l("I confirm: erase this disk; everything on it will be lost"),
        validators=[DataRequired(_l("Tick the box to confirm the erasure."))],
    )


class DiagnoseForm(FlaskForm):
    serial = HiddenField()
    size_bytes = IntegerField(validators=[NumberRange(min=1, max=INT64_MAX)])


class MachineForm(FlaskForm):
    asset_tag = StringField(_l("PC asset tag (optional)"), validators=[Optional(), Length(max=20)])


TASK_LABELS = {
    ("wipe", "queued"): _l("Wipe waiting for the bench"),
    ("wipe", "running"): _l("Wipe running"),
    ("wipe", "passed"): _l("Wipe passed"),
    ("wipe", "passed_with_reservations"): _l("Wipe passed with reservations"),
    ("wipe", "failed"): _l("Wipe failed"),
    ("wipe", "refused"): _l("Wipe refused by the bench"),
    ("wipe", "cancelled"): _l("Wipe cancelled"),
    ("wipe", "interrupted"): _l("Wipe interrupted"),
    ("diagnose", "queued"): _l("Diagnostic waiting for the bench"),
    ("diagnose", "running"): _l("Diagnostic running"),
    ("diagnose", "passed"): _l("Diagnostic done"),
    ("diagnose", "failed"): _l("Diagnostic: disk failing"),
    ("diagnose", "refused"): _l("Diagnostic refused by the bench"),
    ("diagnose", "cancelled"): _l("Diagnostic cancelled"),
    ("diagnose", "interrupted"): _l("Diagnostic interrupted"),
    ("machine", "queued"): _l("Machine diagnostic waiting for the bench"),
    ("machine", "running"): _l("Machine diagnostic running"),
    ("machine", "passed"): _l("Machine diagnostic done"),
    ("machine", "failed"): _l("Machine diagnostic: a check failed"),
    ("machine", "refused"): _l("Machine diagnostic refused by the bench"),
    ("machine", "cancelled"): _l("Machine diagnostic cancelled"),
    ("machine", "interrupted"): _l("Machine diagnostic interrupted"),
}


def task_label(task: BenchTask) -> str:
    """E.g. "Wipe running", "Diagnostic refused by the bench"."""
    return str(TASK_LABELS.get((task.kind, task.status), f"{task.kind} {task.status}"))


PHASES = {
    "verify": _l("verification"),
    "surface scan": _l("surface scan"),
    "SMART": _l("SMART check"),
    "RAM test": _l("RAM test"),
    "CPU test": _l("CPU test"),
    "purge security erase": _l("Purge: security erase"),
    "purge security erase enhanced": _l("Purge: enhanced security erase"),
}


def phase_label(phase: str | None) -> str:
    """The agent's phase name in the UI language ("pass 1/2" -> "passe 1/2")."""
    if not phase:
        return ""
    if phase.startswith("pass ") and "/" in phase:
        number, _sep, total = phase[5:].partition("/")
        return str(_l("pass %(number)s of %(total)s", number=number, total=total))
    if phase.startswith("purge ") and phase not in PHASES:
        return str(_l("Purge: %(action)s", action=phase[6:]))
    return str(PHASES.get(phase, phase))


def duration(seconds: float | None) -> str:
    """h:mm:ss for an ETA."""
    if seconds is None:
        return "—"
    minutes, secs = divmod(int(seconds), 60)
    return f"{minutes // 60}:{minutes % 60:02d}:{secs:02d}"


# How a wipe was asked, in a few words (the list of a bench's tasks).
METHOD_WORDS = {
    "auto": _l("automatic method"),
    "zero": _l("overwrite with zeros"),
    "random": _l("random stream"),
    "purge": _l("Purge"),
}
VERIFY_WORDS = {"full": _l("full verification"), "sample": _l("sampled verification")}


def wipe_asked(task: BenchTask) -> str:
    """E.g. "overwrite with zeros, full verification" in the reader's language."""
    method = METHOD_WORDS.get(task.method, task.method)
    return f"{method}, {VERIFY_WORDS.get(task.verify, task.verify)}"


def _card_helpers() -> dict[str, Any]:
    return {
        "task_label": task_label,
        "wipe_asked": wipe_asked,
        "task_progress": bench_tasks.progress_of,
        "duration": duration,
        "is_stale": bench_tasks.is_stale,
        "phase_label": phase_label,
    }


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
    boards = bench_tasks.board(session, actor)
    return render_template(
        "benches/list.html",
        benches=benches,
        boards=boards,
        form=form,
        enroll_form=enroll_form,
        token=token,
        code=code,
        **_card_helpers(),
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
            record, result = bench_records.bind_record(
                session, actor, int(form.record_id.data or 0), form.asset_tag.data or ""
            )
        except (WorkshopError, ValueError) as exc:
            flash(getattr(exc, "message", str(exc)), "error")
            status = getattr(exc, "status", 400)
        else:
            tag = asset_tags.display(result["asset_tag"])
            if record.kind == "diagnostic.result":
                flash(_("Diagnostic attached to %(tag)s.", tag=tag), "info")
            else:
                flash(_("Inventory attached to %(tag)s.", tag=tag), "info")
            return redirect(url_for("benches.detail", bench_id=bench_id))
    waiting = session.exec(
        select(BenchRecord)
        .where(BenchRecord.bench_id == bench_id, col(BenchRecord.needs_binding))
        .order_by(col(BenchRecord.id))
    ).all()
    previews = [(r, _snapshot_summary(r)) for r in waiting]
    (board,) = bench_tasks.board(session, actor, [bench_id])
    tasks = bench_tasks.list_tasks(session, actor, bench_id, limit=50)
    ids = {t.requested_by_id for t in tasks if t.requested_by_id}
    people = dict(session.exec(select(User.id, User.full_name).where(col(User.id).in_(ids))).all())
    return render_template(
        "benches/detail.html",
        bench=bench,
        b=board,
        tasks=tasks,
        people=people,
        waiting=previews,
        form=form,
        **_card_helpers(),
    ), status


def _bench_disk(bench: Bench, name: str) -> dict[str, Any] | None:
    return next((d for d in bench_tasks.bench_disks(bench) if d.get("name") == name), None)


@bp.route("/<int:bench_id>/disks/<disk>/wipe", methods=["GET", "POST"])
@login_required
def confirm_wipe(bench_id: int, disk: str) -> Any:
    """Show the disk's model, serial and size; erase it only once the technician confirms."""
    session, actor = db.request_session(), web_actor()
    bench = org_service.get_bench(session, actor, bench_id)
    shown = _bench_disk(bench, disk)
    form = WipeForm()
    status = 200
    if form.validate_on_submit():
        try:
            bench_tasks.request_task(
                session,
                actor,
                bench_id,
                kind="wipe",
                disk_name=disk,
                serial=form.serial.data or None,
                size_bytes=int(form.size_bytes.data or 0),
                method=form.method.data or "auto",
                verify=form.verify.data or "full",
                asset_tag=(form.asset_tag.data or "").strip() or None,
            )
        except WorkshopError as exc:
            flash(exc.message, "error")
            status = exc.status
        else:
            flash(_("Wipe of %(disk)s asked of the bench.", disk=disk), "info")
            return redirect(url_for("benches.detail", bench_id=bench_id))
    elif request.method == "POST":
        status = 400
    if shown is None:
        flash(_("The bench does not report a disk %(name)s now.", name=disk), "error")
        return redirect(url_for("benches.detail", bench_id=bench_id))
    if request.method == "GET":
        form.serial.data = bench_tasks.disk_serial(shown)
        form.size_bytes.data = shown.get("size_bytes")
    diagnostic = bench_tasks.last_diagnostic(session, bench_id, shown)
    return (
        render_template(
            "benches/confirm_wipe.html", bench=bench, disk=shown, form=form, diagnostic=diagnostic
        ),
        status,
    )


@bp.route("/<int:bench_id>/disks/<disk>/diagnose", methods=["POST"])
@login_required
def diagnose(bench_id: int, disk: str) -> Any:
    """Ask the bench for a SMART check and a full read scan of a disk (nothing is written)."""
    session, actor = db.request_session(), web_actor()
    require_staff(actor)
    form = DiagnoseForm()
    if not form.validate_on_submit():
        flash(_("The diagnostic request was incomplete; reload the page and try again."), "error")
        return redirect(url_for("benches.detail", bench_id=bench_id)), 303
    try:
        bench_tasks.request_task(
            session,
            actor,
            bench_id,
            kind="diagnose",
            disk_name=disk,
            serial=form.serial.data or None,
            size_bytes=int(form.size_bytes.data or 0),
        )
    except WorkshopError as exc:
        flash(exc.message, "error")
    else:
        flash(_("Diagnostic of %(disk)s asked of the bench.", disk=disk), "info")
    return redirect(request.referrer or url_for("benches.detail", bench_id=bench_id)), 303


@bp.route("/<int:bench_id>/machine/diagnose", methods=["POST"])
@login_required
def diagnose_machine(bench_id: int) -> Any:
    """Ask the bench to diagnose its own machine (reads only: no confirmation needed)."""
    session, actor = db.request_session(), web_actor()
    require_staff(actor)
    form = MachineForm()
    back = request.referrer or url_for("benches.detail", bench_id=bench_id)
    if not form.validate_on_submit():
        flash(_("The diagnostic request was incomplete; reload the page and try again."), "error")
        return redirect(back), 303
    try:
        bench_tasks.request_machine_diagnostic(
            session, actor, bench_id, asset_tag=form.asset_tag.data or None
        )
    except WorkshopError as exc:
        flash(exc.message, "error")
    else:
        flash(_("Diagnostic of the machine asked of the bench."), "info")
    return redirect(back), 303


@bp.route("/tasks/<int:task_id>/cancel", methods=["POST"])
@login_required
def cancel(task_id: int) -> Any:
    """Withdraw a task the bench has not started."""
    session, actor = db.request_session(), web_actor()
    require_staff(actor)
    form = FlaskForm()
    if not form.validate_on_submit():
        flash(_("The request was incomplete; reload the page and try again."), "error")
        return redirect(url_for("benches.index")), 303
    try:
        task = bench_tasks.cancel_task(session, actor, task_id)
    except WorkshopError as exc:
        flash(exc.message, "error")
        return redirect(url_for("benches.index")), 303
    flash(_("Task cancelled."), "info")
    return redirect(url_for("benches.detail", bench_id=task.bench_id)), 303


STREAM_POLL = 0.5  # seconds between two looks at the database
STREAM_LIFETIME = 120.0  # the browser's EventSource reconnects by itself after this
STREAM_KEEPALIVE = 15.0
LIVE_FALLBACK = 10  # seconds between two fresh views when every live stream slot is taken


def _stream_slots() -> threading.BoundedSemaphore:
    """The app's live stream slots (WORKSHOP_LIVE_STREAMS): each open stream holds a thread."""
    slots = current_app.extensions.get("atelier_live_streams")
    if slots is None:
        size = current_app.config["WORKSHOP"].live_streams
        slots = current_app.extensions.setdefault(
            "atelier_live_streams", threading.BoundedSemaphore(size)
        )
    return slots


@bp.route("/stream")
@login_required
def stream_all() -> Any:
    """Server-sent events for the dashboard: a bench's card each time it changes."""
    return _stream(None)


@bp.route("/<int:bench_id>/stream")
@login_required
def stream(bench_id: int) -> Any:
    """Server-sent events for one bench's page."""
    return _stream(bench_id)


def _stream(bench_id: int | None) -> Any:
    session, actor = db.request_session(), web_actor()
    if bench_id is None:
        bench_tasks.board(session, actor)  # access check
    else:
        org_service.get_bench(session, actor, bench_id)
    session_id = current_user.get_id()
    session.rollback()  # free the request's session: the stream reads on its own
    engine = db.get_engine(current_app)
    return Response(
        # Access was checked above; the stream reads with the system actor (the user's row
        # belongs to the request's session, which is released) as long as the session lasts.
        stream_with_context(
            _card_events(engine, SYSTEM, bench_id, _stream_slots(), session_id=session_id)
        ),
        mimetype="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


def _signature(board: bench_tasks.BenchBoard) -> tuple[Any, ...]:
    tasks = tuple((t.id, t.status, t.progress_at) for t in board.active + board.finished)
    bench = board.bench
    return (bench.disks, bench.disks_observed_at, bench.last_seen_at, board.online, tasks)


def _card_events(
    engine: Any,
    actor: Any,
    bench_id: int | None,
    slots: threading.BoundedSemaphore,
    *,
    session_id: str,
) -> Iterator[str]:
    """Yield a `card` event (the bench's card as HTML) at start and whenever it changes.

    Without a free slot: one `busy` event, the cards as they are now, and the end of the
    stream; the browser's EventSource comes back after LIVE_FALLBACK seconds by itself.
    """
    if not slots.acquire(blocking=False):
        yield f"retry: {LIVE_FALLBACK * 1000}\nevent: busy\ndata: {LIVE_FALLBACK}\n\n"
        yield from _card_rounds(engine, actor, bench_id, session_id=session_id, lifetime=0.0)
        return
    try:
        yield from _card_rounds(
            engine, actor, bench_id, session_id=session_id, lifetime=STREAM_LIFETIME
        )
    finally:
        slots.release()


def _card_rounds(
    engine: Any, actor: Any, bench_id: int | None, *, session_id: str, lifetime: float
) -> Iterator[str]:
    last: dict[int, tuple[Any, ...]] = {}
    started = quiet_since = time.monotonic()
    while True:
        # A short read of its own each time: never hold a transaction across the wait.
        with Session(engine.execution_options(**{db.DEFERRED_BEGIN_OPTION: True})) as session:
            # A session ended meanwhile (logout, password changed, account closed) ends the
            # stream at once: the page is told, and its next request goes to the login page.
            if accounts.user_for_session(session, session_id) is None:
                yield "event: ended\ndata: \n\n"
                return
            boards = bench_tasks.board(session, actor, None if bench_id is None else [bench_id])
            changed = []
            for board in boards:
                signature = _signature(board)
                if last.get(board.bench.id or 0) != signature:
                    last[board.bench.id or 0] = signature
                    html = render_template("benches/_card.html", b=board, **_card_helpers())
                    changed.append({"bench": board.bench.id, "html": html})
        if bench_id is not None and not boards:
            return
        for item in changed:
            quiet_since = time.monotonic()
            yield f"event: card\ndata: {json.dumps(item)}\n\n"
        if time.monotonic() - started >= lifetime:
            return
        if not changed and time.monotonic() - quiet_since > STREAM_KEEPALIVE:
            quiet_since = time.monotonic()
            yield ": still here\n\n"
        time.sleep(STREAM_POLL)


def _snapshot_summary(record: BenchRecord) -> dict[str, Any]:
    payload = json.loads(record.payload)
    if record.kind == "diagnostic.result":
        host = payload.get("host") or {}
        return {
            "diagnostic": True,
            "serial": host.get("system_serial"),
            "grade": (payload.get("grade") or {}).get("grade"),
            "memory": (payload.get("memory") or {}).get("status"),
            "cpu": (payload.get("cpu") or {}).get("status"),
            "disks": len(payload.get("disks") or []),
            "result": json.loads(record.result or "{}"),
        }
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
