"""Verifying a document: its PDF signature, its signed content, their binding, the register.

A PDF is valid when all of these hold, checked in this order (the first failure is the reason):

1. it carries an Ed25519 envelope that verifies with one of the workshop's published keys;
2. it carries exactly one PDF signature (PAdES), intact, covering every byte of the file, made
   with one of the workshop's published certificates (pades.py);
3. that certificate is the one of the envelope's key generation, and the signature's /Reason
   names the envelope's document uid and payload SHA-256: the envelope belongs to this file;
4. (with a database) the workshop issued that payload and did not revoke it.

Steps 1–3 need only the published keys document, so `workshop verify-document` runs them offline.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, select

from workshop.i18n import _
from workshop.models import IssuedDocument
from workshop.services.documents import pades, pdf
from workshop.services.pdf_keys import certificates_by_id
from workshop.services.signing import (
    Check,
    KeyRing,
    Signed,
    payload_digest,
    public_keys_by_id,
    verify_envelope,
)


@dataclass(frozen=True)
class Verdict:
    """The answer of the verification page: valid, invalid or revoked, and why."""

    status: str
    reason: str
    payload: dict[str, Any] | None = None
    document: IssuedDocument | None = None


def check_pdf(data: bytes, published: dict[str, Any]) -> Check:
    """Steps 1–3 on a PDF file, against a published keys document (no database)."""
    envelope = pdf.extract_envelope(data)
    if envelope is None:
        return Check(False, _("This file carries no Atelier signature."))
    check = verify_envelope(envelope, public_keys_by_id(published))
    if not check.valid or check.payload is None:
        return check
    certificates = certificates_by_id(published)
    try:
        signature = pades.read_signature(data, list(certificates.values()))
    except pades.PdfSignatureInvalid as exc:
        return Check(False, exc.reason)
    return _bound(signature, envelope, check.payload, certificates)


def _bound(
    signature: pades.PdfSignature,
    envelope: dict[str, Any],
    payload: dict[str, Any],
    certificates: dict[str, bytes],
) -> Check:
    kid = envelope["key_id"]
    if certificates.get(kid) != signature.certificate:
        pdf_kid = next((k for k, der in certificates.items() if der == signature.certificate), "")
        return Check(
            False,
            _(
                "The PDF was signed with the certificate of key %(pdf_key)s but its signed "
                "content with key %(key)s: they do not belong together.",
                pdf_key=pdf_kid,
                key=kid,
            ),
        )
    head = payload.get("document")
    uid = str(head.get("uid")) if isinstance(head, dict) else ""
    expected = pades.signature_reason(uid, payload_digest(envelope["payload"]))
    if signature.reason != expected:
        return Check(
            False,
            _("The PDF signature names another document than the signed content it carries."),
        )
    return Check(
        True, _("The PDF and its signed content are intact and signed by the workshop."), payload
    )


def _in_register(session: Session, check: Check, payload_text: str) -> Verdict:
    """The verdict once the register of issued documents and revocations is consulted."""
    if not check.valid:
        return Verdict("invalid", check.reason)
    digest = payload_digest(payload_text)
    document = session.exec(
        select(IssuedDocument).where(IssuedDocument.payload_hash == digest)
    ).first()
    if document is None:
        return Verdict("invalid", _("The signature is valid but the workshop never issued it."))
    if document.revoked_at is not None:
        reason = _("Revoked: %(reason)s", reason=document.revoked_reason or "")
        return Verdict("revoked", reason, check.payload, document)
    return Verdict("valid", check.reason, check.payload, document)


def verify_signed(session: Session, ring: KeyRing, envelope: dict[str, Any] | None) -> Verdict:
    """Check a signature envelope alone (no PDF) against the published keys and the register."""
    if envelope is None:
        return Verdict("invalid", _("This file carries no Atelier signature."))
    check = verify_envelope(envelope, public_keys_by_id(ring.published()))
    return _in_register(session, check, str(envelope.get("payload")))


def verify_pdf(session: Session, ring: KeyRing, data: bytes) -> Verdict:
    """Verify an uploaded PDF: its PDF signature, its envelope, their binding, the register."""
    check = check_pdf(data, ring.published())
    if not check.valid:
        return Verdict("invalid", check.reason)
    envelope = pdf.extract_envelope(data)
    assert envelope is not None  # check_pdf verified it
    return _in_register(session, check, str(envelope["payload"]))


def verify_uid(session: Session, ring: KeyRing, uid: str) -> Verdict:
    """Verify the stored document a QR code points to (its signature is checked again)."""
    document = session.exec(select(IssuedDocument).where(IssuedDocument.uid == uid)).first()
    if document is None:
        return Verdict("invalid", _("No document %(uid)s was issued.", uid=uid))
    envelope = Signed(document.payload, document.signature, document.key_id).envelope()
    return verify_signed(session, ring, envelope)
