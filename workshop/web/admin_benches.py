"""Administration of benches (coordinators): every bench with its state, site secrets for the
bench image, revoking a bench. Enrolment codes are issued on the benches' board."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField

from workshop import db
from workshop.errors import WorkshopError
from workshop.models import SiteSecret
from workshop.services import enrollment
from workshop.services import organisations as org_service
from workshop.web.admin import coordinators_only, show_error
from workshop.web.labels import web_actor

bp = Blueprint("admin_benches", __name__, url_prefix="/admin/benches")
bp.before_request(coordinators_only)


class SiteSecretForm(FlaskForm):
    site_name = StringField(
        _l("Site"),
        description=_l("A new secret replaces the site's old one: rebuild its bench image."),
        render_kw={"maxlength": 100},
    )


def _page(form: SiteSecretForm, secret: str = "", status: int = 200) -> Any:
    session, actor = db.request_session(), web_actor()
    secrets = enrollment.list_site_secrets(session, actor)
    sites = {s.id: s.site_name for s in secrets}
    page = render_template(
        "admin/benches.html",
        benches=org_service.list_benches(session, actor),
        secrets=secrets,
        sites=sites,
        form=form,
        secret=secret,
    )
    return page, status


@bp.route("/", methods=["GET", "POST"])
def index() -> Any:
    """The benches and the site secrets; the form to create (or renew) a site's secret."""
    session, actor = db.request_session(), web_actor()
    form = SiteSecretForm()
    if form.validate_on_submit():
        try:
            row, secret = enrollment.create_site_secret(
                session, actor, site_name=form.site_name.data or ""
            )
        except WorkshopError as exc:
            return _page(form, status=show_error(form, exc))
        flash(
            _(
                "Secret of %(site)s created: copy it now, it is shown only once.",
                site=row.site_name,
            ),
            "info",
        )
        # Shown in this answer only (never in a cookie); only its hash is kept.
        return _page(SiteSecretForm(formdata=None), secret=secret)
    if form.is_submitted():
        return _page(form, status=400)
    return _page(form)


@bp.route("/<int:bench_id>/revoke", methods=["POST"])
def revoke(bench_id: int) -> Any:
    """Withdraw a bench: its tokens stop working."""
    bench = org_service.revoke_bench(db.request_session(), web_actor(), bench_id)
    flash(_("Bench %(name)s revoked: its token no longer works.", name=bench.name), "info")
    return redirect(url_for("admin_benches.index"))


@bp.route("/sites/<int:secret_id>/revoke", methods=["POST"])
def revoke_secret(secret_id: int) -> Any:
    """Stop new enrolments with a site's secret (the benches already enrolled keep working)."""
    session, actor = db.request_session(), web_actor()
    row = session.get(SiteSecret, secret_id)
    if row is None:
        return _page(SiteSecretForm(formdata=None), status=404)
    enrollment.revoke_site_secret(session, actor, site_name=row.site_name)
    flash(_("Secret of %(site)s revoked.", site=row.site_name), "info")
    return redirect(url_for("admin_benches.index"))
