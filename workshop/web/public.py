"""The public device page /d/<TAG>: what a label's QR code opens, without login."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template
from flask_babel import lazy_gettext as _l

from workshop import db
from workshop.models import DeviceStatus as S
from workshop.services import public as public_service

bp = Blueprint("public", __name__)

# What the page says of the device, by where it is in its life. Never "reconditionné" (a term
# the law reserves for devices whose every function was tested, décret 2022-190): "prepared".
_PREPARING = _l(
    "This device was given by a public body; the workshop is checking and preparing it for reuse."
)
_READY = _l(
    "This device was given by a public body and prepared by the workshop for reuse; it waits "
    "for its new user."
)
SUMMARIES = {
    **dict.fromkeys(
        (S.RECEIVED, S.INVENTORIED, S.TESTED, S.WIPED, S.WIPE_FAILED, S.GRADED), _PREPARING
    ),
    **dict.fromkeys((S.REFURBISHED, S.AVAILABLE, S.RESERVED), _READY),
    S.HANDED_OVER: _l(
        "This device was given by a public body, prepared by the workshop and handed over to be "
        "reused."
    ),
    S.PARTS: _l(
        "This device was given by a public body. It could not be reused as it was: its parts "
        "serve to repair other devices."
    ),
    S.RECYCLED: _l(
        "This device was given by a public body. It could not be reused: it was handed to a "
        "recycling channel."
    ),
}


@bp.route("/d/<tag>")
def device(tag: str) -> Any:
    """A device's public history: no personal data."""
    facts = public_service.public_device(db.request_session(), tag[:40])
    return render_template(
        "public/device.html", d=facts, summary=SUMMARIES.get(S(facts.status), _PREPARING)
    )
