"""API: verify an envelope (valid / altered / unknown), list a donation's documents, wipes."""

from __future__ import annotations

import json

from tests.conftest import PASSWORD
from workshop.services.accounts import issue_token


def test_envelope_verification_and_document_list(app, db, web, api, make_user, make_donation):
    coordinator = make_user("coordinator")
    donation = make_donation(count=1)
    web.login(coordinator.email, PASSWORD)
    pdf = web.get(f"/donations/{donation.id}/documents/attestation.pdf").get_data()
    from workshop.services.documents.pdf import extract_envelope

    envelope = extract_envelope(pdf)
    body = {
        "key_id": envelope["key_id"],
        "signature": envelope["signature"],
        "payload": json.loads(envelope["payload"]),
    }
    answer = api("POST", "/api/v1/documents/verification", json=body).get_json()
    assert answer["status"] == "valid" and answer["payload"]["facts"]["item_count"] == 1
    body["payload"]["facts"]["item_count"] = 2
    answer = api("POST", "/api/v1/documents/verification", json=body).get_json()
    assert answer["status"] == "invalid" and answer["payload"] is None
    body["payload"]["facts"]["item_count"] = 1.5
    response = api("POST", "/api/v1/documents/verification", json=body)
    assert response.status_code == 422 and response.get_json()["error"]["field"] == "payload"

    token = issue_token(db, user=coordinator)
    db.commit()
    listed = api("GET", f"/api/v1/donations/{donation.id}/documents", token=token).get_json()
    assert [d["kind"] for d in listed] == ["attestation"]
    assert listed[0]["payload_hash"] and listed[0]["revoked_at"] is None


def test_only_a_coordinator_revokes(db, web, make_user, make_donation):
    donation = make_donation(count=1)
    coordinator, technician = make_user("coordinator"), make_user("technician")
    web.login(coordinator.email, PASSWORD)
    web.get(f"/donations/{donation.id}/documents/attestation.pdf")
    from workshop.services.documents import documents_of_donation

    db.commit()
    (document,) = documents_of_donation(db, donation)
    web.post_form("/logout", {}, "/")
    web.login(technician.email, PASSWORD)
    page = f"/donations/{donation.id}"
    response = web.post_form(f"/documents/{document.uid}/revocation", {"reason": "non"}, page)
    assert response.status_code == 403
    db.refresh(document)
    assert document.revoked_at is None
