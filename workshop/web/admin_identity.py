"""The workshop's own identity (coordinators): name, SIRET, address, and the logo printed on
every document."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import EmailField, StringField, TextAreaField

from workshop import db
from workshop.errors import WorkshopError
from workshop.services import identity
from workshop.services.organisations import OrganisationInput
from workshop.web.admin import coordinators_only, show_error
from workshop.web.labels import web_actor

bp = Blueprint("admin_identity", __name__, url_prefix="/admin/workshop")
bp.before_request(coordinators_only)


class IdentityForm(FlaskForm):
    name = StringField(
        _l("Name"),
        description=_l("As documents and receipts name the workshop."),
        render_kw={"maxlength": 200},
    )
    siret = StringField(
        _l("SIRET"),
        description=_l("14 digits, checked by their key; the first 9 are the SIREN."),
        render_kw={"inputmode": "numeric", "maxlength": 20},
    )
    address = TextAreaField(_l("Address"), render_kw={"maxlength": 300, "rows": 2})
    postal_code = StringField(
        _l("Postal code"), render_kw={"inputmode": "numeric", "maxlength": 10}
    )
    city = StringField(_l("City"), render_kw={"maxlength": 100})
    email = EmailField(_l("E-mail address"), render_kw={"maxlength": 254})
    phone = StringField(_l("Phone"), render_kw={"maxlength": 30, "inputmode": "tel"})


class LogoForm(FlaskForm):
    logo = FileField(
        _l("Logo"),
        description=_l("PNG or JPEG, at most %(n)s KiB.", n=identity.MAX_LOGO_BYTES // 1024),
        render_kw={"accept": "image/png,image/jpeg"},
    )


def _input(form: IdentityForm) -> OrganisationInput:
    return OrganisationInput(
        name=form.name.data or "",
        siret=form.siret.data or "",
        address=form.address.data or "",
        postal_code=form.postal_code.data or "",
        city=form.city.data or "",
        email=form.email.data or "",
        phone=form.phone.data or "",
    )


@bp.route("/", methods=["GET", "POST"])
def index() -> Any:
    """The identity form and the logo."""
    session, actor = db.request_session(), web_actor()
    org = identity.workshop_organisation(session)
    form, logo_form = IdentityForm(obj=org, prefix="id"), LogoForm(prefix="logo")
    status = 200
    if request.method == "POST" and form.validate_on_submit():
        try:
            identity.save_identity(session, actor, _input(form))
        except WorkshopError as exc:
            status = show_error(form, exc)
        else:
            flash(_("The workshop's identity is saved."), "info")
            return redirect(url_for("admin_identity.index"))
    elif request.method == "POST":
        status = 400
    return _page(form, logo_form, status)


def _page(form: IdentityForm, logo_form: LogoForm, status: int) -> Any:
    session = db.request_session()
    org = identity.workshop_organisation(session)
    logo = identity.workshop_logo(session)
    return (
        render_template("admin/identity.html", form=form, logo_form=logo_form, org=org, logo=logo),
        status,
    )


@bp.route("/logo", methods=["POST"])
def upload_logo() -> Any:
    """Replace the logo with the uploaded PNG or JPEG."""
    session, actor = db.request_session(), web_actor()
    org = identity.workshop_organisation(session)
    form, logo_form = IdentityForm(obj=org, prefix="id", formdata=None), LogoForm(prefix="logo")
    upload = logo_form.logo.data
    if not logo_form.validate_on_submit() or upload is None or not upload.filename:
        logo_form.logo.errors = [_("Logo: choose a PNG or JPEG file.")]
        return _page(form, logo_form, 400)
    data = upload.read(identity.MAX_LOGO_BYTES + 1)
    try:
        identity.set_logo(session, actor, data)
    except WorkshopError as exc:
        return _page(form, logo_form, show_error(logo_form, exc))
    flash(_("Logo saved: it is printed on the next documents."), "info")
    return redirect(url_for("admin_identity.index"))


@bp.route("/logo/remove", methods=["POST"])
def remove_logo() -> Any:
    """Documents go back to having no logo."""
    identity.remove_logo(db.request_session(), web_actor())
    flash(_("Logo removed."), "info")
    return redirect(url_for("admin_identity.index"))


@bp.route("/logo.img")
def logo_image() -> Any:
    """The logo itself, for the preview on this page."""
    logo = identity.workshop_logo(db.request_session())
    if logo is None:
        abort(404)
    return Response(logo.data, mimetype=logo.content_type, headers={"Cache-Control": "no-store"})
