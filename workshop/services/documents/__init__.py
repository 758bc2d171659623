"""Signed documents for donors: issue (or reuse) a document, draw and sign its PDF, revoke it.

A document's payload is ``{"document": {uid, kind, issuer, issued_at, verify_url}, "facts": …}``.
Asking twice for the same document while its facts did not change returns the same issued
document (same uid, same signature); when the facts changed a new one is issued. The PDF is drawn
from the stored payload alone.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reportlab.platypus import Flowable
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from workshop.errors import NotFound, ValidationFailed
from workshop.i18n import _
from workshop.models import DocumentKind, Donation, IssuedDocument, IssuedDocumentFile
from workshop.models.base import utcnow
from workshop.services.actors import Actor, require_coordinator
from workshop.services.documents import pades, pdf
from workshop.services.documents.common import french_date
from workshop.services.documents.verification import (  # noqa: F401  (the package's API)
    Verdict,
    check_pdf,
    verify_pdf,
    verify_signed,
    verify_uid,
)
from workshop.services.events import append_event
from workshop.services.sealing import checkpoints_for
from workshop.services.signing import KeyRing, Signed, payload_digest


@dataclass(frozen=True)
class Issuer:
    """Who signs and where documents are verified (built from the settings by the caller)."""

    ring: KeyRing
    base_url: str
    name: str

    def verify_url(self, uid: str) -> str:
        """The public verification page of a document."""
        return f"{self.base_url.rstrip('/')}/verify/{uid}"


@dataclass(frozen=True)
class Kind:
    """How one kind of document is titled, built from the database and drawn."""

    title: str
    facts: Callable[[Session, Donation, int | None], dict[str, Any]]
    body: Callable[[dict[str, Any]], list[Flowable]]


KINDS: dict[DocumentKind, Kind] = {}


def _latest(session: Session, kind: DocumentKind, subject: str) -> IssuedDocument | None:
    query = (
        select(IssuedDocument)
        .where(IssuedDocument.kind == kind, IssuedDocument.subject == subject)
        .where(col(IssuedDocument.revoked_at).is_(None))
        .order_by(col(IssuedDocument.id).desc())
    )
    return session.exec(query).first()


def issue_for_donation(
    session: Session,
    actor: Actor,
    issuer: Issuer,
    kind: DocumentKind,
    donation: Donation,
    *,
    part: int | None = None,
) -> IssuedDocument:
    """The current signed document of this kind for a donation (issued when facts changed).

    `part` narrows a document to one element (the erasure certificate of one wipe record)."""
    kind = DocumentKind(kind)
    facts = KINDS[kind].facts(session, donation, part)
    subject = f"donation:{donation.id}" + (f":{part}" if part is not None else "")
    return issue(
        session,
        actor,
        issuer,
        kind,
        subject=subject,
        facts=facts,
        donation_id=donation.id,
        organisation_id=donation.donor_id,
    )


def issue(
    session: Session,
    actor: Actor,
    issuer: Issuer,
    kind: DocumentKind,
    *,
    subject: str,
    facts: dict[str, Any],
    donation_id: int | None,
    organisation_id: int | None,
) -> IssuedDocument:
    """Sign and record a document about `subject`, or return the current one if facts match."""
    found = _latest(session, kind, subject)
    if found is not None and json.loads(found.payload)["facts"] == facts:
        return found
    uid = secrets.token_hex(8)
    issued_at = utcnow().replace(microsecond=0)
    header: dict[str, Any] = {
        "uid": uid,
        "kind": kind.value,
        "title": KINDS[kind].title,
        "issuer": issuer.name,
        "issued_at": issued_at.isoformat(),
        "verify_url": issuer.verify_url(uid),
    }
    # The log as of this document: every event committed before it was sealed after its
    # commit, so the latest checkpoint covers the facts above (services/sealing.py).
    anchors = checkpoints_for(session.get_bind())
    latest = anchors.latest() if anchors is not None else None
    if latest is not None:
        header["log"] = {"tree_size": latest.tree_size, "root_hash": latest.root_hash}
    signed = issuer.ring.sign({"document": header, "facts": facts})
    document = IssuedDocument(
        uid=uid,
        kind=kind,
        subject=subject,
        donation_id=donation_id,
        organisation_id=organisation_id,
        key_id=signed.key_id,
        payload=signed.payload_text,
        payload_hash=payload_digest(signed.payload_text),
        signature=signed.signature,
        issued_at=issued_at,
        issued_by=actor.label,
    )
    session.add(document)
    session.flush()
    append_event(
        session,
        actor,
        "document.issued",
        donation_id=donation_id,
        data={"uid": uid, "kind": kind.value, "subject": subject, "key_id": signed.key_id},
    )
    return document


def render_pdf(document: IssuedDocument, ring: KeyRing, *, logo: bytes | None = None) -> bytes:
    """The signed PDF of an issued document, drawn from its stored payload (and the workshop's
    logo of today, when it has one: an image on the page, never a signed fact).

    The envelope is attached first, then the whole file is signed (PAdES) with the PDF key of
    the generation that signed the envelope; the signature's /Reason names uid and payload."""
    payload = json.loads(document.payload)
    head = payload["document"]
    layout = pdf.Layout(
        title=head["title"],
        issuer=head["issuer"],
        uid=head["uid"],
        verify_url=head["verify_url"],
        key_id=document.key_id,
        issued_at=french_date(head["issued_at"]),
        body=KINDS[DocumentKind(document.kind)].body(payload["facts"]),
        logo=logo,
    )
    signed = Signed(document.payload, document.signature, document.key_id)
    data = pdf.embed(pdf.render(layout), signed)
    key_file, cert_file = ring.pdf_signing_files(document.key_id)
    reason = pades.signature_reason(document.uid, payload_digest(document.payload))
    return pades.sign(data, key_file, cert_file, reason=reason, name=head["issuer"])


def stored_pdf(
    engine: Engine, document_id: int, ring: KeyRing, *, logo: bytes | None = None
) -> bytes:
    """The PDF of an issued document: drawn and signed at its first download, in a transaction
    of its own, then served as stored (the payload never changes, so neither do the bytes).

    Two first downloads at once both draw it; the first row stored wins and both answers are
    that row's bytes, so every copy of a document is the same file."""
    with Session(engine) as session:
        found = session.get(IssuedDocumentFile, document_id)
        if found is not None:
            return found.pdf
        document = session.get(IssuedDocument, document_id)
        if document is None:
            raise NotFound(_("No document %(id)s.", id=document_id), field="uid")
        data = render_pdf(document, ring, logo=logo)
        session.add(
            IssuedDocumentFile(
                document_id=document_id, pdf=data, sha256=hashlib.sha256(data).hexdigest()
            )
        )
        try:
            session.commit()
        except IntegrityError:
            session.rollback()
            stored = session.get(IssuedDocumentFile, document_id)
            assert stored is not None
            return stored.pdf
        return data


def documents_of_donation(session: Session, donation: Donation) -> list[IssuedDocument]:
    """Every document issued for a donation, newest first (revoked ones included)."""
    query = select(IssuedDocument).where(IssuedDocument.donation_id == donation.id)
    return list(session.exec(query.order_by(col(IssuedDocument.id).desc())))


def get_document(session: Session, uid: str) -> IssuedDocument:
    """An issued document by its public uid."""
    document = session.exec(select(IssuedDocument).where(IssuedDocument.uid == uid)).first()
    if document is None:
        raise NotFound(_("No document %(uid)s.", uid=uid), field="uid")
    return document


def revoke(session: Session, actor: Actor, uid: str, *, reason: str) -> IssuedDocument:
    """Revoke a document: verification then answers "revoked" with the reason."""
    require_coordinator(actor)
    reason = reason.strip()
    if not reason:
        raise ValidationFailed(_("Say why the document is revoked."), field="reason")
    document = get_document(session, uid)
    if document.revoked_at is None:
        document.revoked_at, document.revoked_reason = utcnow(), reason[:500]
        session.add(document)
        append_event(
            session,
            actor,
            "document.revoked",
            donation_id=document.donation_id,
            data={"uid": uid, "reason": reason[:500]},
        )
    return document


# Importing the kinds registers them in KINDS.
from workshop.services.documents import (  # noqa: E402, F401
    attestation,
    destination,
    erasure,
    impact,
)
