"""Needs: an association says what it needs; matching devices are offered to the oldest need."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from workshop import db
from workshop.errors import WorkshopError
from workshop.models import DeviceType, OrganisationKind, Role
from workshop.services import needs as need_service
from workshop.services import organisations as org_service
from workshop.web.labels import TYPE_LABELS, web_actor

bp = Blueprint("needs", __name__, url_prefix="/needs")


class NeedForm(FlaskForm):
    device_type = SelectField(_l("Type"), choices=[])
    quantity = IntegerField(
        _l("How many"), validators=[DataRequired(), NumberRange(min=1, max=100)], default=1
    )
    min_ram_gb = IntegerField(
        _l("RAM at least (GB)"), validators=[Optional(), NumberRange(min=0, max=4096)]
    )
    min_storage_gb = IntegerField(
        _l("Storage at least (GB)"), validators=[Optional(), NumberRange(min=0, max=100000)]
    )
    ssd_only = BooleanField(_l("SSD only"))
    note = StringField(_l("Note for the workshop (optional)"), validators=[Length(max=500)])
    organisation_id = SelectField(_l("For the association"), coerce=int, choices=[])


@bp.route("/", methods=["GET", "POST"])
@login_required
def index() -> Any:
    """The needs the user may see, and the form to post one."""
    session, actor = db.request_session(), web_actor()
    form, status = NeedForm(), 200
    form.device_type.choices = [
        SelectChoice(t.value, str(label)) for t, label in TYPE_LABELS.items()
    ]
    if actor.role == Role.COORDINATOR:
        associations = org_service.list_organisations(session, actor, OrganisationKind.ASSOCIATION)
        form.organisation_id.choices = [SelectChoice(o.id, o.name) for o in associations]
    else:
        del form.organisation_id
    if form.validate_on_submit():
        try:
            need_service.create_need(
                session,
                actor,
                device_type=DeviceType(form.device_type.data),
                quantity=form.quantity.data or 1,
                min_ram_gb=form.min_ram_gb.data,
                min_storage_gb=form.min_storage_gb.data,
                ssd_only=bool(form.ssd_only.data),
                note=form.note.data or "",
                organisation_id=form.organisation_id.data if "organisation_id" in form else None,
            )
            offers = need_service.match_needs(
                session, hold_days=current_app.config["WORKSHOP"].hold_days
            )
        except WorkshopError as exc:
            session.rollback()
            flash(exc.message, "error")
            status = exc.status
        else:
            flash(_offers_made(len(offers)), "info")
            return redirect(url_for("needs.index"))
    elif request.method == "POST":
        status = 400
    rows = need_service.list_needs(session, actor)
    return render_template("reservations/needs.html", needs=rows, form=form), status


@bp.route("/<int:need_id>/close", methods=["POST"])
@login_required
def close(need_id: int) -> Any:
    """The need is over: nothing more will be offered for it."""
    form = FlaskForm()
    if form.validate_on_submit():
        need_service.close_need(db.request_session(), web_actor(), need_id)
        flash(_("Need closed."), "info")
    return redirect(url_for("needs.index"))


def _offers_made(count: int) -> str:
    if count == 0:
        return _("Need recorded; no device to offer right now.")
    if count == 1:
        return _("Need recorded; one offer made right away.")
    return _("Need recorded; %(n)s offers made right away.", n=count)
