"""Administration (coordinators): the menu, and the organisations the workshop deals with —
donor collectivités and recipient associations."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)

from workshop import db
from workshop.errors import NotFound, WorkshopError
from workshop.models import OrganisationKind, PublicInterest
from workshop.services import organisations as org_service
from workshop.services.actors import require_coordinator
from workshop.web.labels import web_actor

bp = Blueprint("admin", __name__, url_prefix="/admin")

KIND_LABELS = {
    OrganisationKind.COLLECTIVITE: _l("Donors (collectivités)"),
    OrganisationKind.ASSOCIATION: _l("Associations"),
}
NEW_LABELS = {
    OrganisationKind.COLLECTIVITE: _l("New donor"),
    OrganisationKind.ASSOCIATION: _l("New association"),
}
PUBLIC_INTEREST_LABELS = {
    PublicInterest.NONE: _l("neither"),
    PublicInterest.RUP: _l("recognised as being of public utility (RUP)"),
    PublicInterest.RIG: _l("of general interest (RIG)"),
}


def coordinators_only() -> Any:
    """Before every administration page: log in first, then coordinators only (403)."""
    from workshop.app import login_manager

    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    require_coordinator(web_actor())
    return None


bp.before_request(coordinators_only)


class OrganisationForm(FlaskForm):
    name = StringField(_l("Name"), render_kw={"maxlength": 200})
    siren = StringField(
        _l("SIREN"),
        description=_l("9 digits, checked by their key (e.g. 212 200 935)."),
        render_kw={"inputmode": "numeric", "maxlength": 20},
    )
    rna = StringField(
        _l("RNA number"),
        description=_l("W followed by 9 characters (e.g. W223001234)."),
        render_kw={"maxlength": 20},
    )
    public_interest = SelectField(
        _l("Public-interest status"),
        choices=[SelectChoice(k.value, v) for k, v in PUBLIC_INTEREST_LABELS.items()],
        description=_l(
            "Only RUP and RIG associations may resell donated devices, at capped prices."
        ),
    )
    address = TextAreaField(_l("Address"), render_kw={"maxlength": 300, "rows": 2})
    postal_code = StringField(
        _l("Postal code"), render_kw={"inputmode": "numeric", "maxlength": 10}
    )
    city = StringField(_l("City"), render_kw={"maxlength": 100})
    contact_name = StringField(_l("Contact"), render_kw={"maxlength": 200})
    email = EmailField(_l("E-mail address"), render_kw={"maxlength": 254})
    phone = StringField(_l("Phone"), render_kw={"maxlength": 30, "inputmode": "tel"})
    public_name_allowed = BooleanField(_l("Its name may appear on public device pages"))


def organisation_form(kind: OrganisationKind, **kwargs: Any) -> OrganisationForm:
    """The form of an organisation of this kind: an association's own fields only for one."""
    form = OrganisationForm(**kwargs)
    if kind != OrganisationKind.ASSOCIATION:
        del form.rna
        del form.public_interest
    if kind != OrganisationKind.COLLECTIVITE:
        del form.public_name_allowed
    return form


def form_input(form: OrganisationForm, kind: OrganisationKind) -> org_service.OrganisationInput:
    """The form's texts as the service takes them."""
    association = kind == OrganisationKind.ASSOCIATION
    collectivite = kind == OrganisationKind.COLLECTIVITE
    interest = form.public_interest.data if association else None
    return org_service.OrganisationInput(
        name=form.name.data or "",
        siren=form.siren.data or "",
        rna=(form.rna.data or "") if association else "",
        address=form.address.data or "",
        postal_code=form.postal_code.data or "",
        city=form.city.data or "",
        contact_name=form.contact_name.data or "",
        email=form.email.data or "",
        phone=form.phone.data or "",
        public_interest=PublicInterest(interest or PublicInterest.NONE),
        public_name_allowed=collectivite and bool(form.public_name_allowed.data),
    )


def show_error(form: FlaskForm, exc: WorkshopError) -> int:
    """Put a service's refusal under the field it names (flashed when no field is shown)."""
    target = getattr(form, exc.field, None) if exc.field else None
    if target is not None and hasattr(target, "errors"):
        target.errors = [*target.errors, exc.message]
    else:
        flash(exc.message, "error")
    return exc.status


def _kind(value: str | None) -> OrganisationKind:
    """The kind named in the address: a donor or an association (the workshop has its page)."""
    for kind in KIND_LABELS:
        if kind.value == value:
            return kind
    raise NotFound(_("No such kind of organisation."), field="kind")


@bp.route("/")
def index() -> Any:
    """The administration menu."""
    return render_template("admin/index.html")


@bp.route("/organisations/")
def organisations() -> Any:
    """Donors and associations, each with its registry numbers, place and contact."""
    session, actor = db.request_session(), web_actor()
    groups = [
        (kind, label, org_service.list_organisations(session, actor, kind))
        for kind, label in KIND_LABELS.items()
    ]
    return render_template(
        "admin/organisations.html",
        groups=groups,
        new_labels=NEW_LABELS,
        interest_labels=PUBLIC_INTEREST_LABELS,
    )


@bp.route("/organisations/new", methods=["GET", "POST"])
def new_organisation() -> Any:
    """Register a donor or an association (?kind=collectivite|association)."""
    session, actor = db.request_session(), web_actor()
    kind = _kind(request.args.get("kind"))
    form = organisation_form(kind)
    status = 200
    if form.validate_on_submit():
        try:
            org = org_service.register_organisation(
                session, actor, kind=kind, data=form_input(form, kind)
            )
        except WorkshopError as exc:
            status = show_error(form, exc)
        else:
            flash(_("%(name)s registered.", name=org.name), "info")
            if request.args.get("next") == "donation" and kind == OrganisationKind.COLLECTIVITE:
                return redirect(url_for("donations.new", donor=org.id))
            return redirect(url_for("admin.organisations"))
    elif request.method == "POST":
        status = 400
    title = NEW_LABELS[kind]
    return render_template(
        "admin/organisation_form.html", form=form, kind=kind, title=title
    ), status


@bp.route("/organisations/<int:organisation_id>", methods=["GET", "POST"])
def edit_organisation(organisation_id: int) -> Any:
    """Change a donor's or an association's identity."""
    session, actor = db.request_session(), web_actor()
    org = org_service.get_organisation(session, actor, organisation_id)
    kind = _kind(org.kind)
    form = organisation_form(kind, obj=org)
    status = 200
    if request.method == "GET" and kind == OrganisationKind.ASSOCIATION:
        form.public_interest.data = PublicInterest(org.public_interest).value
    if form.validate_on_submit():
        try:
            org_service.update_organisation(session, actor, organisation_id, form_input(form, kind))
        except WorkshopError as exc:
            status = show_error(form, exc)
        else:
            flash(_("%(name)s saved.", name=org.name), "info")
            return redirect(url_for("admin.organisations"))
    elif request.method == "POST":
        status = 400
    return (
        render_template(
            "admin/organisation_form.html", form=form, kind=kind, title=org.name, org=org
        ),
        status,
    )
