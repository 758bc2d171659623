"""Donations: list with filters and per-state counts, CSV export, intake form, detail."""

from __future__ import annotations

import io
from datetime import date, datetime
from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    FieldList,
    FormField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from workshop import db
from workshop.errors import WorkshopError
from workshop.models import DeviceStatus, DeviceType, OrganisationKind
from workshop.services import csv_export
from workshop.services import devices as device_service
from workshop.services import donations as donation_service
from workshop.services import organisations as org_service
from workshop.services import stock as stock_service
from workshop.web.labels import STATUS_LABELS, TYPE_LABELS, web_actor
from workshop.web.query_args import page_number, whole_number

bp = Blueprint("donations", __name__, url_prefix="/donations")
ITEM_ROWS = 6
PAGE_SIZE = 50


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


def _date_arg(name: str, label: str, problems: list[str]) -> date | None:
    value = request.args.get(name, "").strip()[:20]
    if not value:
        return None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    problems.append(
        _(
            "%(field)s: %(value)s is not a date (expected YYYY-MM-DD); filter ignored.",
            field=label,
            value=value,
        )
    )
    return None


def _filters() -> tuple[donation_service.DonationFilters, list[str]]:
    """The list's filters from the query string, and what was ignored and why."""
    problems: list[str] = []
    donor = request.args.get("donor", "").strip()
    donor_id = None
    if whole_number(donor):
        donor_id = whole_number(donor)
    elif donor:
        problems.append(_("Donor: %(value)s is not a donor; filter ignored.", value=donor[:20]))
    state = request.args.get("status", "").strip()
    status = None
    if state:
        try:
            status = DeviceStatus(state)
        except ValueError:
            problems.append(
                _("State: %(value)s is not a device state; filter ignored.", value=state[:20])
            )
    received_from = _date_arg("from", _("Received from"), problems)
    received_to = _date_arg("to", _("Received until"), problems)
    if received_from and received_to and received_from > received_to:
        problems.append(_("The start date is after the end date: no donation can match."))
    filters = donation_service.DonationFilters(
        donor_id=donor_id,
        received_from=received_from,
        received_to=received_to,
        search=request.args.get("q", "").strip()[:100],
        status=status,
    )
    return filters, problems


def _filter_args(filters: donation_service.DonationFilters) -> dict[str, Any]:
    """The filters as query-string arguments for links that keep them (None: left out)."""
    return {
        "donor": filters.donor_id or None,
        "from": filters.received_from.isoformat() if filters.received_from else None,
        "to": filters.received_to.isoformat() if filters.received_to else None,
        "q": filters.search or None,
        "status": filters.status.value if filters.status else None,
    }


@bp.route("/")
@login_required
def index() -> Any:
    """Donations the user may see, filtered, with their devices counted per state."""
    session, actor = db.request_session(), web_actor()
    filters, problems = _filters()
    page_arg = request.args.get("page", "1")
    number = page_number(page_arg)
    result = stock_service.donation_summaries(
        session, actor, filters, limit=PAGE_SIZE, offset=(number - 1) * PAGE_SIZE
    )
    donors = (
        org_service.list_organisations(session, actor, OrganisationKind.COLLECTIVITE)
        if actor.is_staff
        else []
    )
    return render_template(
        "donations/list.html",
        result=result,
        filters=filters,
        filter_args=_filter_args(filters),
        problems=problems,
        donors=donors,
        statuses=STATUS_LABELS,
        # Translated once for the up to 50 × 12 links of the page.
        state_labels={state.value: str(label) for state, label in STATUS_LABELS.items()},
        name_format=_("%(ref)s, %(state)s: %(n)s"),
        page=number,
        pages=max(1, -(-result.matching // PAGE_SIZE)),
    )


@bp.route("/export.csv")
@login_required
def export_csv() -> Any:
    """The filtered donation list as CSV, like the device list's (UTF-8 BOM and ';')."""
    session, actor = db.request_session(), web_actor()
    filters, problems = _filters()
    if problems:
        abort(400, description=" ".join(problems))
    result = stock_service.donation_summaries(session, actor, filters, limit=None)
    out = io.StringIO()
    writer = csv_export.writer(out)
    states = stock_service.STATES
    writer.writerow(
        [_("Reference"), _("Donor"), _("Received on"), _("Place"), _("Devices")]
        + [str(STATUS_LABELS[s]) for s in states]
    )
    for row in result.rows:
        writer.writerow(
            [
                row.donation.reference,
                row.donor_name,
                row.donation.received_on.isoformat(),
                row.donation.place,
                row.total,
            ]
            + [row.counts.get(s.value, 0) for s in states]
        )
    writer.writerow(
        [_("Total"), "", "", "", result.devices] + [result.totals.get(s.value, 0) for s in states]
    )
    return Response(
        "\ufeff" + out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=dons.csv"},
    )


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new() -> Any:
    """Intake: a donation from one of the registered collectivités and its items, counted per
    type; a coordinator may register a new donor on the way (it comes back selected)."""
    session, actor = db.request_session(), web_actor()
    donors = org_service.list_organisations(session, actor, OrganisationKind.COLLECTIVITE)
    form = DonationForm()
    form.donor_id.choices = [SelectChoice(o.id, o.name) for o in donors]
    for entry in form.items.entries:
        entry.form.type.choices = [
            SelectChoice(t.value, str(label)) for t, label in TYPE_LABELS.items()
        ]
    if request.method == "GET" and whole_number(request.args.get("donor", "")):
        # Back from registering a new donor (its id is in the address).
        form.donor_id.data = whole_number(request.args.get("donor", ""))
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
    """A donation, its devices counted per state, and the devices."""
    session, actor = db.request_session(), web_actor()
    donation = donation_service.get_donation(session, actor, donation_id)
    from workshop.models import Organisation

    donor = session.get(Organisation, donation.donor_id)
    devices = donation_service.donation_devices(session, donation)
    counts = stock_service.status_counts(
        session, actor, device_service.DeviceFilters(donation_id=donation.id)
    )
    return render_template(
        "donations/detail.html",
        donation=donation,
        donor=donor,
        devices=devices,
        state_counts=counts,
        statuses=STATUS_LABELS,
    )
