"""Benches: list and registration (coordinators), showing the new token once."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from workshop import db
from workshop.errors import WorkshopError
from workshop.services import organisations as org_service
from workshop.web.labels import web_actor

bp = Blueprint("benches", __name__, url_prefix="/benches")


class BenchForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)])
    location = StringField(_l("Location"), validators=[Length(max=200)])


@bp.route("/", methods=["GET", "POST"])
@login_required
def index() -> Any:
    """Every bench; a coordinator registers a new one here."""
    session, actor = db.request_session(), web_actor()
    benches = org_service.list_benches(session, actor)
    form = BenchForm()
    token = None
    status = 200
    if form.validate_on_submit():
        try:
            bench, token = org_service.create_bench(
                session, actor, name=form.name.data or "", location=form.location.data or ""
            )
        except WorkshopError as exc:
            flash(exc.message, "error")
            status = exc.status
        else:
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
    return render_template("benches/list.html", benches=benches, form=form, token=token), status
