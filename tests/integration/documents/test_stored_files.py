"""An issued document is drawn and signed once: later downloads (by the donation's link or by the
document's uid) serve the very bytes stored then, so every copy a donor holds is the same file."""

from __future__ import annotations

import hashlib
import json

from sqlmodel import select

from tests.conftest import PASSWORD
from tests.integration.documents.conftest import pdf_text
from workshop.models import IssuedDocument, IssuedDocumentFile
from workshop.services import documents as doc_service
from workshop.services.documents.pdf import extract_envelope


def test_a_document_is_rendered_once_and_served_as_stored(
    app, db, web, make_user, make_donation, monkeypatch
):
    drawn = []
    real = doc_service.render_pdf

    def counting(document, ring, **options):
        drawn.append(document.uid)
        return real(document, ring, **options)

    monkeypatch.setattr(doc_service, "render_pdf", counting)
    coordinator = make_user("coordinator")
    donation = make_donation(count=2)
    web.login(coordinator.email, PASSWORD)
    first = web.get(f"/donations/{donation.id}/documents/attestation.pdf").get_data()
    again = web.get(f"/donations/{donation.id}/documents/attestation.pdf").get_data()
    uid = json.loads(extract_envelope(first)["payload"])["document"]["uid"]
    by_uid = web.get(f"/documents/{uid}.pdf").get_data()
    assert first.startswith(b"%PDF") and first == again == by_uid
    assert drawn == [uid]  # the PAdES signature's time would differ on a second drawing
    db.expire_all()
    document = db.exec(select(IssuedDocument).where(IssuedDocument.uid == uid)).one()
    stored = db.get(IssuedDocumentFile, document.id)
    assert stored is not None and stored.pdf == first
    assert stored.sha256 == hashlib.sha256(first).hexdigest()


def test_changed_facts_give_a_new_document_with_its_own_file(
    app, db, web, make_user, make_donation
):
    coordinator = make_user("coordinator")
    donation = make_donation(count=1)
    web.login(coordinator.email, PASSWORD)
    first = web.get(f"/donations/{donation.id}/documents/attestation.pdf").get_data()
    donation.place = "Déchetterie de Ploufragan"
    db.add(donation)
    db.commit()
    second = web.get(f"/donations/{donation.id}/documents/attestation.pdf").get_data()
    assert "Ploufragan" not in pdf_text(first) and "Ploufragan" in pdf_text(second)
    uids = {json.loads(extract_envelope(d)["payload"])["document"]["uid"] for d in (first, second)}
    assert len(uids) == 2
    db.expire_all()
    assert len(db.exec(select(IssuedDocumentFile)).all()) == 2
