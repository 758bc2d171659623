"""Donor portal: a donor contact sees its organisation's donations, their devices' states and
every document to download (the services restrict a donor to its own organisation)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template
from flask_login import login_required

from workshop import db
from workshop.services import donations as donation_service
from workshop.services.documents.common import status_counts
from workshop.web.labels import web_actor

bp = Blueprint("portal", __name__, url_prefix="/portal")


@bp.route("/")
@login_required
def index() -> Any:
    """The donations the user may see, with device states and document links."""
    session = db.request_session()
    rows = donation_service.list_donations(session, web_actor())
    counts = status_counts(session, [d.id for d, _n in rows if d.id is not None])
    return render_template("documents/portal.html", rows=rows, counts=counts)
