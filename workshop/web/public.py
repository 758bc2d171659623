"""The public device page /d/<TAG>: what a label's QR code opens, without login."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template

from workshop import db
from workshop.services import public as public_service

bp = Blueprint("public", __name__)


@bp.route("/d/<tag>")
def device(tag: str) -> Any:
    """A device's public history: no personal data."""
    facts = public_service.public_device(db.request_session(), tag[:40])
    return render_template("public/device.html", d=facts)
