"""The stock view: devices per state and type, and the grades of what is available."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template
from flask_login import login_required

from workshop import db
from workshop.services import stock as stock_service
from workshop.web.labels import STATUS_LABELS, TYPE_LABELS, web_actor

bp = Blueprint("stock", __name__, url_prefix="/stock")
GRADES = ("A", "B", "C", "")


@bp.route("/")
@login_required
def index() -> Any:
    """Counts per state × type (each cell opens the filtered device list), grades available."""
    counts = stock_service.stock_counts(db.request_session(), web_actor())
    return render_template(
        "stock/index.html",
        counts=counts,
        by_state=counts.by_state(),
        by_type=counts.by_type(),
        types=counts.types_present(),
        grades=counts.grades_by_type(),
        grade_columns=GRADES,
        statuses=STATUS_LABELS,
        type_labels=TYPE_LABELS,
    )
