"""Donations: list, intake form, detail."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    FieldList,
    FormField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from workshop import db
from workshop.errors import WorkshopError
from workshop.models import DeviceType, OrganisationKind
from workshop.services import donations as donation_service
from workshop.services import organisations as org_service
from workshop.web.labels import TYPE_LABELS, web_actor

bp = Blueprint("donations", __name__, url_prefix="/donations")
ITEM_ROWS = 6


class ItemForm(FlaskForm):
    class Meta:
        csrf = False  # sub-form: the parent form carries the token

    type = SelectField(_l("Type"), choices=[])
    count = IntegerField(_l("Count"), validators=[Optional(), NumberRange(min=1, max=500)])
    serials = TextAreaField(
        _l("Serial numbers (one per line, optional)"), validators=[Length(max=20000)]
    )
    model = StringField(_l("Model (optional)"), validators=[Length(max=200)])

    def validate_serials(self, field: Any) -> None:
        serials = [s for s in (field.data or "").splitlines() if s.strip()]
        if any(len(s) > 100 for s in serials):
            raise ValidationError(_("A serial number has at most 100 characters."))
        if serials and len(serials) > (self.count.data or 0):
            raise ValidationError(_("More serial numbers than devices."))


class DonationForm(FlaskForm):
    donor_id = SelectField(_l("Donor"), coerce=int, validators=[DataRequired()])
    received_on = DateField(_l("Received on"), validators=[DataRequired()], default=date.today)
    place = StringField(_l("Place of collection"), validators=[DataRequired(), Length(max=200)])
    notes = TextAreaField(_l("Notes"), validators=[Length(max=2000)])
    items = FieldList(FormField(ItemForm), min_entries=ITEM_ROWS, max_entries=50)


def _lines(form: DonationForm) -> list[donation_service.ItemLine]:
    lines = []
    for entry in form.items.entries:
        item = entry.form
        if not item.count.data:
            continue
        lines.append(
            donation_service.ItemLine(
                type=DeviceType(item.type.data),
                count=item.count.data,
                serials=[s.strip() for s in (item.serials.data or "").splitlines() if s.strip()],
                model=(item.model.data or "").strip() or None,
            )
        )
    return lines


@bp.route("/")
@login_required
def index() -> Any:
    """Donations the user may see."""
    rows = donation_service.list_donations(db.request_session(), web_actor())
    return render_template("donations/list.html", donations=rows)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new() -> Any:
    """Intake: a donation from a collectivité and its items, counted per type."""
    session, actor = db.request_session(), web_actor()
    donors = org_service.list_organisations(session, actor, OrganisationKind.COLLECTIVITE)
    form = DonationForm()
    form.donor_id.choices = [(o.id, o.name) for o in donors]
    for entry in form.items.entries:
        entry.form.type.choices = [(t.value, str(label)) for t, label in TYPE_LABELS.items()]
    status = 200
    if form.validate_on_submit():
        try:
            donation = donation_service.create_donation(
                session,
                actor,
                donor_id=form.donor_id.data,
                received_on=form.received_on.data,
                place=form.place.data or "",
                notes=form.notes.data or "",
                items=_lines(form),
            )
        except WorkshopError as exc:
            flash(exc.message, "error")
            status = exc.status
        else:
            flash(_("Donation %(ref)s recorded.", ref=donation.reference), "info")
            return redirect(url_for("donations.detail", donation_id=donation.id))
    elif request.method == "POST":
        status = 400
    return render_template("donations/new.html", form=form), status


@bp.route("/<int:donation_id>")
@login_required
def detail(donation_id: int) -> Any:
    """A donation and its devices."""
    session = db.request_session()
    donation = donation_service.get_donation(session, web_actor(), donation_id)
    from workshop.models import Organisation

    donor = session.get(Organisation, donation.donor_id)
    devices = donation_service.donation_devices(session, donation)
    return render_template("donations/detail.html", donation=donation, donor=donor, devices=devices)
