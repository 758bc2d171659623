"""Signed documents: downloads, verification (upload or QR), revocation, wipe validation."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import IntegerField, StringField
from wtforms.validators import DataRequired, Length, NumberRange

from workshop import db
from workshop.errors import NotFound
from workshop.models import DocumentKind, Donation, IssuedDocument, Role, WipeResult
from workshop.services import devices as device_service
from workshop.services import documents as doc_service
from workshop.services import donations as donation_service
from workshop.services import identity
from workshop.services import wipes as wipe_service
from workshop.services.devices import outcome_name
from workshop.services.documents.common import issuer_name
from workshop.services.erasure_state import erasure_state
from workshop.services.signing import KeyRing
from workshop.web.labels import web_actor
from workshop.web.public_url import public_base_url

bp = Blueprint("documents", __name__)
FILE_NAMES = {
    DocumentKind.ATTESTATION: "attestation-prise-en-charge",
    DocumentKind.ERASURE: "certificat-effacement",
    DocumentKind.DESTINATION: "rapport-devenir",
    DocumentKind.IMPACT: "bilan-impact",
}
DOCUMENT_TITLES = {
    DocumentKind.ATTESTATION: _l("Certificate of collection"),
    DocumentKind.ERASURE: _l("Data erasure certificate"),
    DocumentKind.DESTINATION: _l("Destination report"),
    DocumentKind.IMPACT: _l("Impact summary"),
}
VERIFICATION_TERMS = {
    "full": _l("full"),
    "sample": _l("sampled"),
    "passed": _l("passed"),
    "not_run": _l("not run"),
    "none": _l("none"),
}
WIPE_RESULTS = {
    WipeResult.PASSED: _l("erased"),
    WipeResult.PASSED_WITH_RESERVATIONS: _l("erased with reservations"),
    WipeResult.FAILED: _l("failed"),
    WipeResult.INTERRUPTED: _l("interrupted"),
}


class VerifyForm(FlaskForm):
    document = FileField(_l("Signed PDF document"), validators=[FileRequired()])


class RevokeForm(FlaskForm):
    reason = StringField(_l("Reason for revocation"), validators=[DataRequired(), Length(max=500)])


class DestructionForm(FlaskForm):
    witness = StringField(_l("Witness"), validators=[DataRequired(), Length(max=200)])


def workshop_name() -> str:
    """The workshop's name on documents (its organisation's, else the setting)."""
    settings = current_app.config["WORKSHOP"]
    return issuer_name(db.request_session(), settings.workshop_name)


def key_ring() -> KeyRing:
    """The key folder of this instance."""
    settings = current_app.config["WORKSHOP"]
    return KeyRing(settings.instance_path / "keys", workshop_name())


def issuer() -> doc_service.Issuer:
    """Who signs: the workshop, under one name on every document."""
    return doc_service.Issuer(key_ring(), public_base_url(), workshop_name())


def pdf_response(document: IssuedDocument, name: str) -> Response:
    """A signed PDF as a download."""
    assert document.id is not None
    # The logo of today goes into a document's file when it is first drawn; the file is then
    # kept as it is (the logo is an image, never a signed fact).
    logo = identity.workshop_logo(db.request_session())
    data = doc_service.stored_pdf(
        db.get_engine(current_app), document.id, key_ring(), logo=logo.data if logo else None
    )
    filename = f"{name}-{document.uid}.pdf"
    return Response(
        data,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.route("/.well-known/atelier-keys.json")
def published_keys() -> Any:
    """The workshop's public keys, the old ones included (no login)."""
    return jsonify(key_ring().published())


def issue_in_own_transaction(
    donation_id: int, kind: DocumentKind, part: int | None = None
) -> IssuedDocument:
    """Issue (or find) a donation's document in a writing transaction of its own.

    Downloads are GETs, which read in a deferred transaction; issuing writes, so it runs in a
    transaction that takes the write lock first (SQLite) and locks the donation row
    (PostgreSQL): concurrent downloads queue and all get the same document."""
    actor = web_actor()
    donation_service.get_donation(db.request_session(), actor, donation_id)  # access rule
    with db.session_scope(db.get_engine(current_app)) as session:
        donation = session.get(Donation, donation_id, with_for_update=True)
        assert donation is not None
        return doc_service.issue_for_donation(session, actor, issuer(), kind, donation, part=part)


@bp.route("/donations/<int:donation_id>/documents/<kind>.pdf")
@login_required
def donation_document(donation_id: int, kind: str) -> Any:
    """The current signed document of a donation (issued when its facts changed)."""
    try:
        doc_kind = DocumentKind(kind)
    except ValueError:
        abort(404)
    if doc_kind not in doc_service.KINDS:
        abort(404)
    document = issue_in_own_transaction(donation_id, doc_kind)
    return pdf_response(document, FILE_NAMES[doc_kind])


@bp.route("/donations/<int:donation_id>/documents/erasure/<int:wipe_id>.pdf")
@login_required
def drive_certificate(donation_id: int, wipe_id: int) -> Any:
    """The erasure certificate of one drive."""
    document = issue_in_own_transaction(donation_id, DocumentKind.ERASURE, part=wipe_id)
    return pdf_response(document, FILE_NAMES[DocumentKind.ERASURE])


def _owned_document(uid: str) -> IssuedDocument:
    session, actor = db.request_session(), web_actor()
    document = doc_service.get_document(session, uid)
    if not actor.is_staff and (
        actor.role != Role.DONOR or document.organisation_id != actor.organisation_id
    ):
        raise NotFound(_("No document %(uid)s.", uid=uid), field="uid")
    return document


@bp.route("/documents/<uid>.pdf")
@login_required
def download(uid: str) -> Any:
    """An issued document again, revoked or not (the verification page says which)."""
    document = _owned_document(uid)
    return pdf_response(document, FILE_NAMES[DocumentKind(document.kind)])


@bp.route("/documents/<uid>/revocation", methods=["POST"])
@login_required
def revoke(uid: str) -> Any:
    """A coordinator revokes a document, saying why."""
    form = RevokeForm()
    if not form.validate_on_submit():
        flash(_("Say why the document is revoked."), "error")
        return redirect(request.referrer or url_for("main.dashboard"))
    document = doc_service.revoke(db.request_session(), web_actor(), uid, reason=form.reason.data)
    flash(_("Document %(uid)s revoked.", uid=uid), "info")
    if document.donation_id is None:
        return redirect(request.referrer or url_for("main.dashboard"))
    return redirect(url_for("donations.detail", donation_id=document.donation_id))


@bp.route("/verify", methods=["GET", "POST"])
def verify() -> Any:
    """Anyone uploads a PDF: valid, invalid or revoked, with the signed content."""
    form = VerifyForm()
    verdict = None
    if form.validate_on_submit():
        data = form.document.data.read()
        verdict = doc_service.verify_pdf(db.request_session(), key_ring(), data)
    status = 400 if request.method == "POST" and verdict is None else 200
    return render_template("documents/verify.html", form=form, verdict=verdict), status


@bp.route("/verify/<uid>")
def verify_uid(uid: str) -> Any:
    """The page a document's QR code opens."""
    verdict = doc_service.verify_uid(db.request_session(), key_ring(), uid[:64])
    return render_template("documents/verify.html", form=VerifyForm(), verdict=verdict)


@bp.route("/wipes/<int:wipe_id>/validation", methods=["POST"])
@login_required
def validate_wipe(wipe_id: int) -> Any:
    """A coordinator validates a wipe record."""
    if not FlaskForm().validate_on_submit():
        abort(400)
    row = wipe_service.validate_wipe(db.request_session(), web_actor(), wipe_id)
    flash(_("Wipe record validated."), "info")
    return _back_to_device(row.device_id)


@bp.route("/wipes/<int:wipe_id>/destruction", methods=["POST"])
@login_required
def destruction(wipe_id: int) -> Any:
    """Staff record that a drive which was not erased was destroyed, and who witnessed it."""
    form = DestructionForm()
    if not form.validate_on_submit():
        flash(_("Name who witnessed the destruction."), "error")
        return redirect(request.referrer or url_for("main.dashboard"))
    row = wipe_service.record_destruction(
        db.request_session(), web_actor(), wipe_id, witness=form.witness.data
    )
    flash(_("Destruction recorded."), "info")
    return _back_to_device(row.device_id)


class DrivesForm(FlaskForm):
    count = IntegerField(_l("Drives counted in the case"), validators=[NumberRange(0, 32)])


@bp.route("/devices/<tag>/drives-declared", methods=["POST"])
@login_required
def declare_drives(tag: str) -> Any:
    """Staff record how many drives they counted in the case."""
    session, actor = db.request_session(), web_actor()
    device = device_service.get_device(session, actor, tag)
    form = DrivesForm()
    if not form.validate_on_submit() or form.count.data is None:
        flash(_("The number of drives must be a whole number from 0 to 32."), "error")
        return redirect(url_for("devices.detail", tag=device.asset_tag))
    wipe_service.declare_drives(session, actor, device, form.count.data)
    flash(_("Drives counted: %(count)s.", count=form.count.data), "info")
    return redirect(url_for("devices.detail", tag=device.asset_tag))


def _back_to_device(device_id: int | None) -> Any:
    from workshop.models import Device

    device = db.request_session().get(Device, device_id) if device_id else None
    if device is None:
        return redirect(url_for("main.dashboard"))
    return redirect(url_for("devices.detail", tag=device.asset_tag))


def document_title(kind: str) -> Any:
    """A kind of document as the reader's language names it (the kind itself when unknown)."""
    try:
        return DOCUMENT_TITLES.get(DocumentKind(kind), kind)
    except ValueError:
        return kind


def signed_date(value: Any) -> str:
    """A date or timestamp of a signed payload (ISO text) in the reader's language."""
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return str(format_date(moment, "long"))


@bp.app_context_processor
def _document_helpers() -> dict[str, Any]:
    def donation_documents(donation: Donation) -> list[IssuedDocument]:
        return doc_service.documents_of_donation(db.request_session(), donation)

    def device_wipes_visible() -> bool:
        return current_user.is_authenticated and current_user.role in (
            Role.COORDINATOR,
            Role.TECHNICIAN,
            Role.DONOR,
        )

    def device_wipes(device: Any) -> list[Any]:
        if not device_wipes_visible():
            return []
        return wipe_service.device_wipes(db.request_session(), device)

    def device_drives(device: Any) -> list[Any]:
        if not device_wipes_visible():
            return []
        return erasure_state(db.request_session(), device).drives

    return {
        "device_drives": device_drives,
        "drive_outcome": outcome_name,
        "donation_documents": donation_documents,
        "device_wipes": device_wipes,
        "document_kinds": [k for k in DocumentKind if k in doc_service.KINDS],
        "document_title": document_title,
        "signed_date": signed_date,
        "wipe_result_label": lambda r: WIPE_RESULTS.get(WipeResult(r), r),
        "verification_term": lambda t: VERIFICATION_TERMS.get(t, t),
    }
