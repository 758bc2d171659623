"""The workshop's own identity in the web UI: name, SIRET, address and a logo (PNG/JPEG, size-
and type-checked) that every document then carries; coordinators only."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from pypdf import PdfReader
from sqlmodel import select

from tests.helpers.web_pages import login_as as _login
from tests.helpers.web_pages import page_text as _text
from tests.integration.documents.conftest import pdf_text, render_page_one
from workshop.models import Organisation, OrganisationLogo

IDENTITY = {
    "id-name": "Atelier Réemploi Armor (SCIC)",
    "id-siret": "212 200 935 00014",
    "id-address": "2 rue du Port",
    "id-postal_code": "22000",
    "id-city": "Saint-Brieuc",
    "id-email": "contact@atelier.example",
    "id-phone": "02 96 11 22 33",
}


def _image(fmt: str, size: tuple[int, int] = (120, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (11, 92, 173)).save(out, fmt)
    return out.getvalue()


def _upload(web, data: bytes, name: str = "logo.png"):
    token = web.csrf("/admin/workshop/")
    return web.post(
        "/admin/workshop/logo",
        data={"csrf_token": token, "logo-csrf_token": token, "logo-logo": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def _workshop(db):
    db.rollback()  # a fresh read: what the app committed
    return db.exec(select(Organisation).where(Organisation.kind == "workshop")).first()


def test_the_identity_is_saved_on_the_workshop_organisation(web, make_user, db):
    me = _login(web, make_user)
    response = web.post_form("/admin/workshop/", IDENTITY)
    assert response.status_code == 302, _text(response)
    org = _workshop(db)
    assert org.id == me.organisation_id  # the coordinator's own organisation, not a second one
    assert (org.name, org.siret, org.siren, org.city) == (
        "Atelier Réemploi Armor (SCIC)",
        "21220093500014",
        "212200935",
        "Saint-Brieuc",
    )
    page = _text(web.get("/admin/workshop/"))
    assert 'value="21220093500014"' in page


def test_the_first_save_registers_the_workshop_when_none_exists(app, db):
    from workshop.models import OrganisationKind
    from workshop.services.actors import SYSTEM
    from workshop.services.identity import save_identity, workshop_organisation
    from workshop.services.organisations import OrganisationInput

    assert workshop_organisation(db) is None
    org = save_identity(db, SYSTEM, OrganisationInput(name="Atelier du Trégor"))
    assert org.kind == OrganisationKind.WORKSHOP and workshop_organisation(db) is org


@pytest.mark.parametrize(
    ("field", "value", "says"),
    [
        ("id-siret", "21220093500015", "SIRET : la clé de contrôle de 21220093500015 est fausse"),
        ("id-siret", "2122009350", "SIRET : 2122009350 ne compte pas 14 chiffres."),
        ("id-name", "", "Nom : indiquez le nom de l'organisation."),
        ("id-postal_code", "ABCDE", "Code postal : ABCDE ne compte pas 5 chiffres."),
    ],
)
def test_bad_identity_is_refused_in_french(web, make_user, db, field, value, says):
    _login(web, make_user)
    response = web.post_form("/admin/workshop/", IDENTITY | {field: value})
    page = _text(response)
    assert response.status_code == 422, page
    assert says in page and f'id="{field}-error"' in page
    assert _workshop(db).siret is None


def test_a_png_logo_is_kept_shown_and_printed_on_documents(
    web, make_user, make_org, make_donation, db, artifacts_dir
):
    _login(web, make_user)
    assert web.post_form("/admin/workshop/", IDENTITY).status_code == 302
    response = _upload(web, _image("PNG"))
    assert response.status_code == 302, _text(response)
    logo = db.exec(select(OrganisationLogo)).one()
    assert logo.content_type == "image/png"
    page = web.get("/admin/workshop/").get_data(as_text=True)
    assert 'alt="Le logo de l&#39;atelier"' in page or 'alt="Le logo de l\'atelier"' in page
    image = web.get("/admin/workshop/logo.img")
    assert image.status_code == 200 and image.mimetype == "image/png"
    donation = make_donation(donor=make_org("collectivite"))
    pdf = web.get(f"/donations/{donation.id}/documents/attestation.pdf")
    assert pdf.status_code == 200
    text = pdf_text(pdf.get_data())
    assert "SIRET de l'organisme 21220093500014" in text
    assert "2 rue du Port 22000 Saint-Brieuc" in text
    reader = PdfReader(io.BytesIO(pdf.get_data()))
    assert reader.pages[0].images, "the logo is drawn on the first page"
    render_page_one(pdf.get_data(), artifacts_dir / "documents-attestation-logo")


def test_a_jpeg_replaces_the_png_and_can_be_removed(web, make_user, db):
    _login(web, make_user)
    assert web.post_form("/admin/workshop/", IDENTITY).status_code == 302
    assert _upload(web, _image("PNG")).status_code == 302
    assert _upload(web, _image("JPEG"), "logo.jpg").status_code == 302
    db.rollback()  # a fresh read: what the app committed
    assert db.exec(select(OrganisationLogo)).one().content_type == "image/jpeg"
    response = web.post_form("/admin/workshop/logo/remove", {}, page="/admin/workshop/")
    assert response.status_code == 302
    db.rollback()  # a fresh read: what the app committed
    assert db.exec(select(OrganisationLogo)).all() == []
    assert web.get("/admin/workshop/logo.img").status_code == 404


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"GIF89a" + b"\0" * 100, "Logo : seule une image PNG ou JPEG est acceptée."),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "seule une image PNG ou JPEG"),
        (b"\x89PNG\r\n\x1a\n" + b"garbage" * 20, "Logo : l'image est illisible"),
        (_image("PNG")[:60], "Logo : l'image est illisible"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * (600 * 1024), "Logo : le fichier dépasse 512 Kio."),
        (_image("PNG", (4100, 10)), "Logo : 4000 pixels de côté au plus."),
        (b"", "Logo : seule une image PNG ou JPEG est acceptée."),
    ],
)
def test_bad_logos_are_refused_naming_the_field(web, make_user, db, data, says):
    _login(web, make_user)
    assert web.post_form("/admin/workshop/", IDENTITY).status_code == 302
    response = _upload(web, data)
    page = _text(response)
    assert response.status_code in (400, 422), page
    assert says in page and 'id="logo-logo-error"' in page
    assert db.exec(select(OrganisationLogo)).all() == []


def test_a_form_without_a_file_asks_for_one(web, make_user):
    _login(web, make_user)
    assert web.post_form("/admin/workshop/", IDENTITY).status_code == 302
    response = web.post_form("/admin/workshop/logo", {}, page="/admin/workshop/")
    assert response.status_code == 400
    assert "Logo : choisissez un fichier PNG ou JPEG." in _text(response)


def test_a_gif_named_png_is_still_refused(web, make_user, db):
    _login(web, make_user)
    assert web.post_form("/admin/workshop/", IDENTITY).status_code == 302
    assert _upload(web, _image("GIF"), "logo.png").status_code == 422


@pytest.mark.parametrize("role", ["technician", "donor", "association"])
def test_only_coordinators_change_the_identity(web, make_user, role):
    _login(web, make_user, role)
    assert web.get("/admin/workshop/").status_code == 403
    assert web.get("/admin/workshop/logo.img").status_code == 403
    token = web.csrf("/account")
    response = web.post("/admin/workshop/", data=IDENTITY | {"csrf_token": token})
    assert response.status_code == 403


def test_the_handover_receipt_carries_the_logo_too(app, db):
    from datetime import UTC, datetime

    from workshop.services.actors import SYSTEM
    from workshop.services.handover_receipt import ReceiptFacts, render_receipt
    from workshop.services.identity import save_identity, set_logo, workshop_logo
    from workshop.services.organisations import OrganisationInput

    save_identity(db, SYSTEM, OrganisationInput(name="Atelier du Trégor"))
    set_logo(db, SYSTEM, _image("JPEG"))
    logo = workshop_logo(db)
    facts = ReceiptFacts(
        reference="R-1",
        workshop_name="Atelier du Trégor",
        association_name="NST",
        association_address="",
        handed_over_at=datetime(2026, 12, 1, tzinfo=UTC),
        lines=[],
        logo=logo.data,
    )
    with_logo = PdfReader(io.BytesIO(render_receipt(facts)))
    assert with_logo.pages[0].images
    plain = ReceiptFacts(**{**facts.__dict__, "logo": None})
    assert not PdfReader(io.BytesIO(render_receipt(plain))).pages[0].images
