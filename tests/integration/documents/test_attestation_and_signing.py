"""Attestation de prise en charge: the PDF states the donation, carries a signature that verifies,
and the verification page tells valid / invalid / revoked."""

from __future__ import annotations

import io
import json

from pypdf import PdfReader, PdfWriter

from tests.conftest import PASSWORD
from tests.integration.documents.conftest import pdf_text, render_page_one
from workshop.services import asset_tags


def _donor_setup(make_org, make_user, make_donation, db):
    donor = make_org("collectivite", "Mairie de Lamballe-Armor")
    donor.siren = "212200937"
    db.add(donor)
    db.commit()
    contact = make_user("donor", org=donor)
    donation = make_donation(donor=donor, count=3)
    return donor, contact, donation


def _download(web, donation_id: int, kind: str) -> bytes:
    response = web.get(f"/donations/{donation_id}/documents/{kind}.pdf")
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/pdf"
    return response.get_data()


def test_attestation_states_donor_items_and_commitment(
    app, db, web, make_org, make_user, make_donation, artifacts_dir
):
    donor, contact, donation = _donor_setup(make_org, make_user, make_donation, db)
    make_org("workshop", "Atelier Réemploi Armor (SCIC)")
    from workshop.services.donations import donation_devices

    devices = donation_devices(db, donation)
    devices[0].serial = "5CG1234XYZ"
    db.add(devices[0])
    db.commit()
    assert web.login(contact.email, PASSWORD).status_code == 302
    data = _download(web, donation.id, "attestation")
    text = pdf_text(data)
    assert "Attestation de prise en charge" in text
    assert "Atelier Réemploi Armor (SCIC)" in text
    assert "Mairie de Lamballe-Armor" in text and "212200937" in text
    assert donation.reference in text and donation.place in text
    assert donation.received_on.strftime("%d/%m/%Y") in text
    for device in devices:
        assert asset_tags.display(device.asset_tag) in text
    assert "5CG1234XYZ" in text
    assert "réemploi" in text and "/verify/" in text
    # One name for the workshop: its organisation's, in the header and as the signer.
    assert "Atelier de réemploi" not in text  # the setting's default, used when no org exists
    assert text.count("Atelier Réemploi Armor (SCIC)") >= 2
    render_page_one(data, artifacts_dir / "documents-attestation")


def test_the_embedded_signature_verifies_and_a_tampered_payload_does_not(
    app, db, web, make_org, make_user, make_donation
):
    _donor, contact, donation = _donor_setup(make_org, make_user, make_donation, db)
    web.login(contact.email, PASSWORD)
    data = _download(web, donation.id, "attestation")
    from workshop.services.documents.pdf import extract_envelope

    envelope = extract_envelope(data)
    assert envelope and envelope["alg"] == "Ed25519" and len(envelope["key_id"]) == 16
    # Same facts: the same document again (same uid), not a new issue.
    assert extract_envelope(_download(web, donation.id, "attestation")) == envelope

    verdict = _upload(web, data)
    assert 'data-verdict="valid"' in verdict and donation.reference in verdict

    payload = json.loads(envelope["payload"])
    payload["facts"]["item_count"] = 30
    from workshop.services.canonical import canonical_json

    tampered = _with_envelope(data, {**envelope, "payload": canonical_json(payload)})
    assert 'data-verdict="invalid"' in _upload(web, tampered)
    assert 'data-verdict="invalid"' in _upload(web, b"%PDF-1.4 not really")


def _upload(web, data: bytes) -> str:
    response = web.post(
        "/verify",
        data={"document": (io.BytesIO(data), "doc.pdf"), "csrf_token": web.csrf("/verify")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _with_envelope(data: bytes, envelope: dict) -> bytes:
    from workshop.services.documents.pdf import ATTACHMENT_NAME, INFO_KEY

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    text = json.dumps(envelope)
    # Replace both copies of the signature block.
    writer._root_object["/Names"]["/EmbeddedFiles"]["/Names"].clear()  # noqa: SLF001
    writer.add_attachment(ATTACHMENT_NAME, text.encode())
    writer.add_metadata({INFO_KEY: text})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_document_signed_by_a_foreign_key_is_invalid(app, db, make_org, make_donation, tmp_path):
    from workshop.services import documents as doc_service
    from workshop.services.actors import SYSTEM
    from workshop.services.documents.pdf import extract_envelope
    from workshop.services.signing import KeyRing
    from workshop.web.documents import FILE_NAMES  # noqa: F401

    donation = make_donation(count=1)
    foreign = doc_service.Issuer(KeyRing(tmp_path / "foreign"), "http://x", "Faux atelier")
    document = doc_service.issue_for_donation(db, SYSTEM, foreign, "attestation", donation)
    db.commit()
    data = doc_service.render_pdf(document, foreign.ring)
    ours = KeyRing(app.config["WORKSHOP"].instance_path / "keys")
    ours.ensure()
    verdict = doc_service.verify_pdf(db, ours, data)
    assert verdict.status == "invalid"
    assert extract_envelope(data)["key_id"] in verdict.reason


def test_revoked_document_is_reported_revoked(app, db, web, make_user, make_donation):
    coordinator = make_user("coordinator")
    donation = make_donation(count=1)
    web.login(coordinator.email, PASSWORD)
    data = _download(web, donation.id, "attestation")
    from workshop.services.documents.pdf import extract_envelope

    uid = json.loads(extract_envelope(data)["payload"])["document"]["uid"]
    page = f"/donations/{donation.id}"
    response = web.post_form(f"/documents/{uid}/revocation", {"reason": "erreur de lot"}, page)
    assert response.status_code == 302
    verdict = _upload(web, data)
    assert 'data-verdict="revoked"' in verdict and "erreur de lot" in verdict
    qr_page = web.get(f"/verify/{uid}").get_data(as_text=True)
    assert 'data-verdict="revoked"' in qr_page
    # A new request issues a fresh, valid document.
    fresh = _download(web, donation.id, "attestation")
    assert 'data-verdict="valid"' in _upload(web, fresh)


def test_published_keys_keep_old_keys_after_rotation(app, db, web, make_user, make_donation):
    from workshop.services.signing import KeyRing

    ring = KeyRing(app.config["WORKSHOP"].instance_path / "keys")
    coordinator = make_user("coordinator")
    donation = make_donation(count=1)
    web.login(coordinator.email, PASSWORD)
    old = _download(web, donation.id, "attestation")
    before = ring.active_key_id()
    after = ring.rotate()
    published = web.get("/.well-known/atelier-keys.json").get_json()
    ids = {k["key_id"] for k in published["keys"]}
    assert {before, after} <= ids and before != after
    assert 'data-verdict="valid"' in _upload(web, old)
    mode = (ring.private_dir / f"{after}.pem").stat().st_mode & 0o777
    assert mode == 0o600


def test_the_printed_qr_code_opens_the_verification_page(
    app, db, web, make_user, make_donation, tmp_path
):
    import subprocess

    pyzbar = __import__("pytest").importorskip("pyzbar.pyzbar")
    from PIL import Image

    coordinator = make_user("coordinator")
    donation = make_donation(count=1)
    web.login(coordinator.email, PASSWORD)
    data = _download(web, donation.id, "attestation")
    (tmp_path / "doc.pdf").write_bytes(data)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "150",
            "-singlefile",
            str(tmp_path / "doc.pdf"),
            str(tmp_path / "p"),
        ],
        check=True,
        timeout=60,
    )
    (decoded,) = pyzbar.decode(Image.open(tmp_path / "p.png"))
    url = decoded.data.decode()
    base = app.config["WORKSHOP"].public_base_url
    assert url.startswith(f"{base}/verify/")
    page = web.get(url.removeprefix(base)).get_data(as_text=True)
    assert 'data-verdict="valid"' in page and donation.reference in page
