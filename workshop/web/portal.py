"""Donor portal: a donor contact sees its organisation's donations, their devices' states and
every document to download (the services restrict a donor to its own organisation)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, current_app, render_template, request
from flask_babel import gettext as _
from flask_login import login_required

from workshop import db
from workshop.models import DocumentKind, Role
from workshop.services import documents as doc_service
from workshop.services import donations as donation_service
from workshop.services.documents import destination, impact
from workshop.services.documents.common import status_counts
from workshop.web.documents import issuer, pdf_response
from workshop.web.labels import web_actor
from workshop.web.query_args import whole_number

bp = Blueprint("portal", __name__, url_prefix="/portal")


@bp.route("/")
@login_required
def index() -> Any:
    """The donations the user may see, with device states and document links."""
    session = db.request_session()
    rows = donation_service.list_donations(session, web_actor())
    counts = status_counts(session, [d.id for d, _n in rows if d.id is not None])
    years = sorted({d.received_on.year for d, _n in rows}, reverse=True)
    return render_template("documents/portal.html", rows=rows, counts=counts, years=years)


def _organisation_id() -> int:
    """The donor's own organisation; staff name one with ?organisation=<id>."""
    actor = web_actor()
    if actor.is_staff:
        value = request.args.get("organisation", "")
        organisation_id = whole_number(value)
        if not organisation_id:
            abort(400, description=_("Name the organisation: ?organisation=<id>."))
        return organisation_id
    if actor.role != Role.DONOR or actor.organisation_id is None:
        abort(403)
    return actor.organisation_id


@bp.route("/destinations-<int:year>.csv")
@login_required
def destinations_csv(year: int) -> Any:
    """The yearly destination export of a donor (donations received that year)."""
    org_id = _organisation_id()
    text = destination.yearly_csv(db.request_session(), org_id, year)
    return Response(
        "\ufeff" + text,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="devenir-{year}.csv"'},
    )


@bp.route("/impact-<int:year>.pdf")
@login_required
def yearly_impact(year: int) -> Any:
    """The signed yearly impact summary of a donor."""
    actor, org_id = web_actor(), _organisation_id()
    # Issuing writes: a transaction of its own that takes the write lock first (see documents).
    with db.session_scope(db.get_engine(current_app)) as session:
        facts = impact.yearly_facts(session, org_id, year)
        document = doc_service.issue(
            session,
            actor,
            issuer(),
            DocumentKind.IMPACT,
            subject=f"organisation:{org_id}:year:{year}",
            facts=facts,
            donation_id=None,
            organisation_id=org_id,
        )
    return pdf_response(document, f"bilan-impact-{year}")
