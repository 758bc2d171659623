"""Login and logout."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, EqualTo, Length

from workshop import db
from workshop.errors import NotAuthenticated, TooManyAttempts, WorkshopError
from workshop.models import User
from workshop.services import accounts
from workshop.web.security import client_address

bp = Blueprint("auth", __name__)


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])


class PasswordForm(FlaskForm):
    current = PasswordField(
        _l("Current password"),
        validators=[DataRequired(), Length(max=200)],
        render_kw={"autocomplete": "current-password"},
    )
    new = PasswordField(
        _l("New password"),
        validators=[DataRequired(), Length(min=accounts.MIN_PASSWORD_LENGTH, max=200)],
        description=_l(
            "At least %(n)s characters. Every other session of your account ends.",
            n=accounts.MIN_PASSWORD_LENGTH,
        ),
        render_kw={"autocomplete": "new-password"},
    )
    again = PasswordField(
        _l("New password, again"),
        validators=[DataRequired(), EqualTo("new", message=_l("The two passwords differ."))],
        render_kw={"autocomplete": "new-password"},
    )


def _safe_next(target: str | None) -> str:
    # Only same-site paths: never redirect to another host after login.
    if target and target.startswith("/") and not urlsplit(target).netloc and "\\" not in target:
        return target
    return url_for("main.dashboard")


def _authenticate(session: Any, email: str, password: str) -> User:
    """A password check counted like a login (the lock and the throttle of the settings)."""
    settings = current_app.config["WORKSHOP"]
    return accounts.authenticate(
        session,
        email=email,
        password=password,
        remote_addr=client_address(),
        max_failures=settings.login_max_failures,
        window_seconds=settings.login_window_seconds,
        address_max_failures=settings.login_address_max_failures,
    )


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    """The login form; failures are counted per account and per address."""
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        session = db.request_session()
        try:
            user = _authenticate(session, form.email.data or "", form.password.data or "")
        except TooManyAttempts:
            flash(_("Too many failed attempts. Wait a few minutes before trying again."), "error")
            status = 429
        except NotAuthenticated:
            session.commit()  # keep the failure even though the response is an error
            flash(_("Wrong e-mail address or password."), "error")
            status = 401
        else:
            login_user(user)
            if user.locale:
                from flask import session as cookie_session

                cookie_session["lang"] = user.locale
            return redirect(_safe_next(request.args.get("next")))
    elif request.method == "POST":
        status = 400
    return render_template("login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout() -> Any:
    """End the account's sessions everywhere (POST with CSRF token, so a link cannot log
    people out): a cookie copied before logout is refused from then on."""
    session = db.request_session()
    user = session.get(User, current_user.id)
    if user is not None:
        accounts.end_sessions(session, user)  # committed with the request
    logout_user()
    flash(_("You are logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account() -> Any:
    """The signed-in person's account: who they are, and a new password.

    The current password is checked like a login (its failures count towards the lock), so a
    session left open on a shared computer cannot be turned into the account. A new password
    ends every other session of the account; this browser stays signed in.
    """
    form = PasswordForm()
    status = 200
    if form.validate_on_submit():
        session = db.request_session()
        try:
            user = _authenticate(session, current_user.email, form.current.data or "")
            accounts.change_password(session, user, password=form.new.data or "")
        except TooManyAttempts:
            flash(_("Too many failed attempts. Wait a few minutes before trying again."), "error")
            status = 429
        except NotAuthenticated:
            session.commit()  # keep the failure even though the response is an error
            form.current.errors = [_("This is not your current password.")]
            status = 401
        except WorkshopError as exc:
            form.new.errors = [exc.message]
            status = exc.status
        else:
            login_user(user)  # this browser, with the account's new session nonce
            flash(_("Password changed. Your other sessions have ended."), "info")
            return redirect(url_for("auth.account"))
    elif request.method == "POST":
        status = 400
    return render_template("account.html", form=form), status
