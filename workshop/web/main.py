"""Home page: counts per state and the latest donations."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask_login import login_required

from workshop import db
from workshop.errors import WorkshopError
from workshop.services import asset_tags
from workshop.services import devices as device_service
from workshop.services import donations as donation_service
from workshop.web.labels import web_actor

bp = Blueprint("main", __name__)


@bp.route("/")
@login_required
def dashboard() -> Any:
    """Counts of devices per state and the newest donations the user may see."""
    session, actor = db.request_session(), web_actor()
    counts = device_service.status_counts(session, actor)
    try:
        donations = donation_service.list_donations(session, actor)[:8]
    except WorkshopError:
        donations = []
    return render_template("dashboard.html", counts=counts, donations=donations)


@bp.route("/go")
@login_required
def go() -> Any:
    """Jump to a device by typed or scanned asset tag (a barcode scanner types it)."""
    typed = request.args.get("tag", "").strip()[:40]
    if not typed:
        return redirect(url_for("devices.index"))
    try:
        tag = asset_tags.normalize(typed)
    except asset_tags.InvalidTag as exc:
        # Not a tag: maybe a serial number or a model; search for it.
        flash(str(exc), "error")
        return redirect(url_for("devices.index", q=typed))
    return redirect(url_for("devices.detail", tag=tag))


@bp.route("/favicon.ico")
def favicon() -> Any:
    """What browsers ask for before reading the page's icon link: the same icon."""
    return send_from_directory(
        current_app.static_folder or "static",
        "favicon.svg",
        mimetype="image/svg+xml",
        max_age=86400,
    )
