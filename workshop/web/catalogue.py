"""The catalogue of available devices (spec cards, filters) and the reservation form."""

from __future__ import annotations

import math
from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, SelectMultipleField, StringField
from wtforms.validators import Length

from workshop import db
from workshop.errors import WorkshopError
from workshop.models import DeviceType, Grade, OrganisationKind, Role
from workshop.services import catalogue as catalogue_service
from workshop.services import organisations as org_service
from workshop.services import reservations as reservation_service
from workshop.web.labels import TYPE_LABELS, web_actor

bp = Blueprint("catalogue", __name__, url_prefix="/catalogue")
STORAGE_KINDS = ("ssd", "hdd", "emmc")


class ReserveForm(FlaskForm):
    tags = SelectMultipleField(_l("Devices"), choices=[], validate_choice=False)
    organisation_id = SelectField(_l("For the association"), coerce=int, choices=[])
    note = StringField(_l("Note for the workshop (optional)"), validators=[Length(max=500)])


# Each number filter: its label (for the message) and the values that make sense.
NUMBER_FILTERS: dict[str, tuple[Any, Any, float, float]] = {
    "min_ram_gb": (_l("RAM at least (GB)"), float, 0, 4096),
    "min_storage_gb": (_l("Storage at least (GB)"), int, 0, 1_000_000),
    "max_battery_wear": (_l("Battery wear at most (percent)"), float, 0, 100),
}


def _number(name: str, problems: list[str]) -> Any:
    label, cast, low, high = NUMBER_FILTERS[name]
    text = request.args.get(name, "").strip()
    if not text:
        return None
    try:
        value = cast(text.replace(",", "."))
    except ValueError:
        value = None
    if value is None or not math.isfinite(value) or not low <= value <= high:
        bounds = {"low": format(low, "g"), "high": format(high, "g")}
        problems.append(
            _(
                "%(filter)s: %(value)s is not a number between %(low)s and %(high)s; this "
                "filter was not applied.",
                filter=label,
                value=repr(text[:20]),
                **bounds,
            )
        )
        return None
    return value


def _choice(name: str, allowed: Any, label: Any, problems: list[str]) -> Any:
    value = request.args.get(name) or None
    if value is not None and value not in allowed:
        problems.append(
            _(
                "%(filter)s: %(value)s is not one of the choices; this filter was not applied.",
                filter=label,
                value=repr(value[:20]),
            )
        )
        return None
    return value


def _filters(problems: list[str]) -> catalogue_service.CatalogueFilters:
    """The filters of the query string; what cannot be one is named in `problems`, not used."""
    return catalogue_service.CatalogueFilters(
        type=_choice("type", set(DeviceType), _l("Type"), problems),
        min_ram_gb=_number("min_ram_gb", problems),
        min_storage_gb=_number("min_storage_gb", problems),
        storage_kind=_choice("storage_kind", STORAGE_KINDS, _l("Storage kind"), problems),
        cpu=request.args.get("cpu", "")[:100].strip(),
        grade=_choice("grade", set(Grade), _l("Grade"), problems),
        max_battery_wear=_number("max_battery_wear", problems),
    )


def _form() -> ReserveForm:
    session, actor = db.request_session(), web_actor()
    form = ReserveForm()
    if actor.role == Role.COORDINATOR:
        associations = org_service.list_organisations(session, actor, OrganisationKind.ASSOCIATION)
        form.organisation_id.choices = [SelectChoice(o.id, o.name) for o in associations]
    else:
        del form.organisation_id
    return form


@bp.route("/", methods=["GET", "POST"])
@login_required
def index() -> Any:
    """Available devices with their spec cards; tick devices and reserve them."""
    session, actor = db.request_session(), web_actor()
    reservation_service.expire_holds(session)
    form, status = _form(), 200
    if form.validate_on_submit():
        try:
            reservation = reservation_service.reserve_devices(
                session,
                actor,
                asset_tags=list(form.tags.data or []),
                organisation_id=form.organisation_id.data if "organisation_id" in form else None,
                note=form.note.data or "",
                hold_days=current_app.config["WORKSHOP"].hold_days,
            )
        except WorkshopError as exc:
            session.rollback()
            flash(exc.message, "error")
            status = exc.status
        else:
            flash(
                _(
                    "Reservation %(ref)s recorded: the devices are held until %(date)s.",
                    ref=reservation_service.reference(reservation),
                    date=_date(reservation.expires_at),
                ),
                "info",
            )
            return redirect(url_for("reservations.detail", reservation_id=reservation.id))
    elif request.method == "POST":
        status = 400
    problems: list[str] = []
    filters = _filters(problems)
    if problems and status == 200:
        status = 400
    cards = catalogue_service.browse_catalogue(session, actor, filters)
    return render_template(
        "reservations/catalogue.html",
        cards=cards,
        filters=filters,
        filter_problems=problems,
        form=form,
        types=TYPE_LABELS,
        grades=list(Grade),
        storage_kinds=STORAGE_KINDS,
    ), status


def _date(value: Any) -> str:
    from flask_babel import format_datetime

    return str(format_datetime(value, "short"))
