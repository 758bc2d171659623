"""Administration of accounts (coordinators): list, create, change a role, close an account."""

from __future__ import annotations

import secrets
from typing import Any

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectChoice, SelectField, StringField

from workshop import db
from workshop.errors import WorkshopError
from workshop.i18n import ROLE_LABELS
from workshop.models import Organisation, Role
from workshop.services import accounts
from workshop.services import organisations as org_service
from workshop.web.admin import coordinators_only, show_error
from workshop.web.labels import web_actor

bp = Blueprint("admin_users", __name__, url_prefix="/admin/users")
bp.before_request(coordinators_only)


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=[])
    organisation_id = SelectField(
        _l("Organisation"),
        choices=[],
        description=_l(
            "Coordinators and technicians belong to the workshop, donor contacts to a "
            "collectivité, association members to an association."
        ),
    )


class UserForm(RoleForm):
    full_name = StringField(_l("Name"), render_kw={"maxlength": 200})
    email = EmailField(_l("E-mail address"), render_kw={"maxlength": 254})
    password = PasswordField(
        _l("Initial password (optional)"),
        description=_l(
            "At least %(n)s characters. Left empty, a password is made up and shown once, "
            "to hand over; the person changes it on My account.",
            n=accounts.MIN_PASSWORD_LENGTH,
        ),
        render_kw={"autocomplete": "new-password", "maxlength": 200},
    )


def _choices(form: RoleForm, organisations: list[Organisation]) -> None:
    form.role.choices = [SelectChoice(r.value, str(label)) for r, label in ROLE_LABELS.items()]
    form.organisation_id.choices = [SelectChoice(str(o.id), o.name) for o in organisations]


def _organisation_id(form: RoleForm) -> int:
    value = form.organisation_id.data or ""
    return int(value) if value.isdigit() else 0


@bp.route("/", methods=["GET", "POST"])
def index() -> Any:
    """Every account with its role and organisation; the form to open one."""
    session, actor = db.request_session(), web_actor()
    organisations = org_service.list_organisations(session, actor)
    form = UserForm()
    _choices(form, organisations)
    status, made_up = 200, ""
    if form.validate_on_submit():
        password = form.password.data or ""
        made_up = "" if password else secrets.token_urlsafe(12)
        try:
            user = accounts.create_user(
                session,
                actor,
                email=form.email.data or "",
                full_name=form.full_name.data or "",
                password=password or made_up,
                role=Role(form.role.data),
                organisation_id=_organisation_id(form),
            )
        except WorkshopError as exc:
            status = show_error(form, exc)
        else:
            flash(_("Account opened for %(email)s.", email=user.email), "info")
            if not made_up:
                return redirect(url_for("admin_users.index"))
            # Shown in this answer only (never in a cookie), then forgotten: only its hash stays.
            form = UserForm(formdata=None)
            _choices(form, organisations)
    elif form.is_submitted():
        status = 400
    names = {o.id: o.name for o in organisations}
    users = accounts.list_users(session, actor)
    page = render_template(
        "admin/users.html",
        form=form,
        users=users,
        names=names,
        made_up=made_up if status == 200 else "",
    )
    return page, status


@bp.route("/<int:user_id>", methods=["GET", "POST"])
def edit(user_id: int) -> Any:
    """One account: change its role (and organisation), or close it."""
    session, actor = db.request_session(), web_actor()
    user = accounts.get_user(session, actor, user_id)
    form = RoleForm(data={"role": user.role, "organisation_id": str(user.organisation_id)})
    _choices(form, org_service.list_organisations(session, actor))
    status = 200
    if form.validate_on_submit():
        try:
            accounts.change_role(
                session,
                actor,
                user,
                role=Role(form.role.data),
                organisation_id=_organisation_id(form),
            )
        except WorkshopError as exc:
            status = show_error(form, exc)
        else:
            role = ROLE_LABELS[Role(user.role)]
            flash(_("%(name)s now has the role %(role)s.", name=user.full_name, role=role), "info")
            return redirect(url_for("admin_users.index"))
    elif form.is_submitted():
        status = 400
    org = session.get(Organisation, user.organisation_id) if user.organisation_id else None
    return render_template("admin/user.html", form=form, user=user, org=org), status


@bp.route("/<int:user_id>/close", methods=["POST"])
def close(user_id: int) -> Any:
    """Close an account: no more login, its sessions end, its API tokens are revoked."""
    session, actor = db.request_session(), web_actor()
    user = accounts.get_user(session, actor, user_id)
    try:
        accounts.close_account(session, actor, user)
    except WorkshopError as exc:
        flash(exc.message, "error")
        return redirect(url_for("admin_users.edit", user_id=user_id))
    flash(_("The account %(email)s is closed.", email=user.email), "info")
    return redirect(url_for("admin_users.index"))
