"""The public device page shows facts and no person; the donor portal shows only the donor's own
donations with their documents."""

from __future__ import annotations

from tests.conftest import PASSWORD
from workshop.services import asset_tags


def _handed_over(db, make_device, make_org):
    from workshop.services.actors import SYSTEM
    from workshop.services.devices import transition_device

    device = make_device("reserved")
    association = make_org("association", "Trégor Solidaire")
    device.recipient_id = association.id
    db.add(device)
    transition_device(db, SYSTEM, device, "handed_over")
    db.commit()
    return device, association


def test_public_page_shows_history_without_people(app, db, web, make_device, make_org, make_user):
    from workshop.models import Donation, Organisation

    device, association = _handed_over(db, make_device, make_org)
    donor = db.get(Organisation, db.get(Donation, device.donation_id).donor_id)
    contact = make_user("donor", org=donor)
    device.serial = "SERIALSECRET1"
    db.add(device)
    db.commit()
    page = web.get(f"/d/{asset_tags.display(device.asset_tag)}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert asset_tags.display(device.asset_tag) in html
    assert "une association" in html  # the kind of recipient, never its name
    for private in (
        association.name,
        contact.full_name,
        contact.email,
        "SERIALSECRET1",
        donor.name,
    ):
        assert private not in html, private
    donor.public_name_allowed = True
    db.add(donor)
    db.commit()
    assert donor.name in web.get(f"/d/{device.asset_tag.lower()}").get_data(as_text=True)
    assert web.get("/d/ZZZZ-ZZZZ-Z").status_code in (404, 422)


def test_public_page_of_a_failed_wipe_never_says_erased(
    db, web, make_bench, send_wipe, tested_devices
):
    (device,) = tested_devices(count=1)
    bench, _ = make_bench()
    send_wipe(bench, device, status="failed")
    html = web.get(f"/d/{device.asset_tag}").get_data(as_text=True)
    assert 'data-wipe="failed"' in html and "tous les disques effacés" not in html


def test_portal_lists_own_donations_with_documents(db, web, make_org, make_user, make_donation):
    mine, other = make_org("collectivite", "Mairie A"), make_org("collectivite", "Mairie B")
    own = make_donation(donor=mine, count=2)
    theirs = make_donation(donor=other, count=1)
    contact = make_user("donor", org=mine)
    web.login(contact.email, PASSWORD)
    html = web.get("/portal/").get_data(as_text=True)
    assert own.reference in html and theirs.reference not in html
    assert f"/donations/{own.id}/documents/attestation.pdf" in html
    assert f"/donations/{own.id}/documents/erasure.pdf" in html
    assert web.get(f"/donations/{theirs.id}/documents/attestation.pdf").status_code == 404
    # An issued document of another donor cannot be fetched by its uid either.
    coordinator = make_user("coordinator")
    from workshop.services import documents as doc_service
    from workshop.services.actors import Actor
    from workshop.services.signing import KeyRing

    ring = KeyRing(web.application.config["WORKSHOP"].instance_path / "keys")
    issuer = doc_service.Issuer(ring, "http://t", "Atelier")
    document = doc_service.issue_for_donation(
        db, Actor(user=coordinator), issuer, "attestation", theirs
    )
    db.commit()
    assert web.get(f"/documents/{document.uid}.pdf").status_code == 404


def test_the_public_page_says_what_became_of_the_device_never_reconditionne(web, make_device):
    expected = {
        "received": "l'atelier le contrôle et le prépare pour le réemploi",
        "wipe_failed": "l'atelier le contrôle et le prépare pour le réemploi",
        "available": "il attend son nouvel utilisateur",
        "handed_over": "préparé par l'atelier et remis pour être réemployé",
        "parts": "ses pièces servent à réparer d'autres équipements",
        "recycled": "il a été confié à une filière de recyclage",
    }
    for status, words in expected.items():
        device = make_device(status)
        page = web.get(f"/d/{device.asset_tag}").get_data(as_text=True)
        summary = page.split("<p data-summary>")[1].split("</p>")[0]
        assert words in summary, (status, summary)
        assert "reconditionné" not in page, status
