"""The waste register page: recycling exits, the form to record one, the CSV export."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, DecimalField, IntegerField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from workshop import db
from workshop.errors import WorkshopError
from workshop.services import waste as waste_service
from workshop.services.actors import require_coordinator
from workshop.web.labels import web_actor
from workshop.web.query_args import whole_number

bp = Blueprint("waste", __name__, url_prefix="/waste")


class ExitForm(FlaskForm):
    asset_tag = StringField(_l("Asset tag"), validators=[DataRequired(), Length(max=20)])
    exited_on = DateField(_l("Exit date"), validators=[DataRequired()], default=date.today)
    description = StringField(_l("Description (optional)"), validators=[Length(max=200)])
    waste_code = StringField(_l("Waste code"), default="16 02 14", validators=[Length(max=20)])
    quantity = IntegerField(_l("Quantity"), default=1, validators=[NumberRange(min=1, max=10000)])
    weight_kg = DecimalField(
        _l("Weight (kg)"), places=1, validators=[Optional(), NumberRange(min=0, max=10000)]
    )
    consignee = StringField(_l("Consignee"), validators=[DataRequired(), Length(max=200)])
    transporter = StringField(_l("Transporter"), validators=[Length(max=200)])
    treatment_code = StringField(_l("Treatment code"), default="R4", validators=[Length(max=10)])
    eco_organisme = StringField(
        _l("Producer responsibility organisation"), validators=[Length(max=100)]
    )
    confirm_reusable = BooleanField(
        _l("The device could still be reused: I confirm it goes to recycling")
    )


@bp.route("/", methods=["GET", "POST"])
@login_required
def index() -> Any:
    """The register and the form to add an exit (coordinators)."""
    session, actor = db.request_session(), web_actor()
    require_coordinator(actor)
    form = ExitForm()
    status = 200
    if form.validate_on_submit():
        data = waste_service.ExitInput(
            asset_tag=form.asset_tag.data or "",
            exited_on=form.exited_on.data or date.today(),
            consignee=form.consignee.data or "",
            description=form.description.data or "",
            waste_code=form.waste_code.data or "",
            quantity=form.quantity.data or 1,
            weight_kg=float(form.weight_kg.data) if form.weight_kg.data is not None else None,
            transporter=form.transporter.data or "",
            treatment_code=form.treatment_code.data or "",
            eco_organisme=form.eco_organisme.data or "",
            confirm_reusable=bool(form.confirm_reusable.data),
        )
        try:
            waste_service.record_exit(session, actor, data)
        except WorkshopError as exc:
            flash(exc.message, "error")
            status = exc.status
        else:
            flash(_("Recycling exit recorded."), "info")
            return redirect(url_for("waste.index"))
    elif request.method == "POST":
        status = 400
    rows = waste_service.list_exits(session, actor)
    return render_template("documents/waste.html", form=form, rows=rows), status


@bp.route("/register.csv")
@login_required
def export() -> Any:
    """The waste register as CSV (all years, or ?year=2026)."""
    year = request.args.get("year", "")
    text = waste_service.register_csv(
        db.request_session(), web_actor(), whole_number(year, maximum=9999)
    )
    return Response(
        "\ufeff" + text,
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="registre-dechets.csv"'},
    )
