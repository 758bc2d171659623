"""Administration of organisations in the web UI: donors and associations listed, registered
and edited by coordinators only, every bad input refused in French naming its field."""

from __future__ import annotations

import html

import pytest
from sqlmodel import select

from tests.helpers.web_pages import login_as as _login
from tests.helpers.web_pages import page_text as _text
from workshop.models import Organisation

DONOR = {
    "name": "Mairie de Plérin",
    "siren": "212 200 935",
    "address": "Rue de la Mairie",
    "postal_code": "22190",
    "city": "Plérin",
    "contact_name": "Service informatique",
    "email": "DSI@plerin.example",
    "phone": "02 96 00 00 00",
    "public_interest": "none",
    "public_name_allowed": "y",
}


def test_a_coordinator_registers_a_donor_and_sees_it_listed(web, make_user, db):
    _login(web, make_user)
    url = "/admin/organisations/new?kind=collectivite"
    response = web.post_form(url, DONOR)
    assert response.status_code == 302, _text(response)
    org = db.exec(select(Organisation).where(Organisation.name == "Mairie de Plérin")).one()
    assert (org.kind, org.siren, org.postal_code, org.email) == (
        "collectivite",
        "212200935",
        "22190",
        "dsi@plerin.example",
    )
    assert org.public_name_allowed and org.public_interest == "none"
    listing = _text(web.get("/admin/organisations/"))
    assert "Mairie de Plérin" in listing and "212200935" in listing
    assert "Donateurs (collectivités)" in listing


def test_an_association_keeps_its_rna_and_rup_status(web, make_user, db):
    _login(web, make_user)
    data = {"name": "Emmaüs Connect 22", "rna": "w223001234", "public_interest": "rup"}
    response = web.post_form("/admin/organisations/new?kind=association", data)
    assert response.status_code == 302, _text(response)
    org = db.exec(select(Organisation).where(Organisation.name == "Emmaüs Connect 22")).one()
    assert (org.kind, org.rna, org.public_interest) == ("association", "W223001234", "rup")
    assert "reconnue d'utilité publique (RUP)" in _text(web.get("/admin/organisations/"))


@pytest.mark.parametrize(
    ("field", "value", "says"),
    [
        ("siren", "212200937", "SIREN : la clé de contrôle de 212200937 est fausse"),
        ("siren", "12345", "SIREN : 12345 ne compte pas 9 chiffres."),
        ("postal_code", "2219", "Code postal : 2219 ne compte pas 5 chiffres."),
        ("email", "pas-une-adresse", "Adresse e-mail : pas-une-adresse n'est pas une adresse"),
        ("phone", "appelez-nous", "Téléphone : appelez-nous n'est pas un numéro"),
        ("name", "   ", "Nom : indiquez le nom de l'organisation."),
        ("city", "x" * 101, "Commune : 100 caractères au plus."),
    ],
)
def test_bad_input_is_refused_in_french_under_its_field(web, make_user, db, field, value, says):
    _login(web, make_user)
    response = web.post_form("/admin/organisations/new?kind=collectivite", DONOR | {field: value})
    page = _text(response)
    assert response.status_code in (400, 422), page
    assert says in page
    assert f'id="{field}-error"' in page
    assert not db.exec(select(Organisation).where(Organisation.name == "Mairie de Plérin")).all()


def test_an_association_with_a_wrong_rna_or_status_is_refused(web, make_user):
    _login(web, make_user)
    url = "/admin/organisations/new?kind=association"
    response = web.post_form(url, {"name": "NST", "rna": "W12", "public_interest": "none"})
    assert response.status_code == 422
    assert "Numéro RNA : W12 n'est pas un W suivi de 9 caractères" in _text(response)
    response = web.post_form(url, {"name": "NST", "public_interest": "reconnue"})
    assert response.status_code == 400  # not one of the choices
    assert 'id="public_interest-error"' in _text(response)


def test_only_an_association_has_an_rna_or_a_status(db, make_org):
    from workshop.errors import ValidationFailed
    from workshop.models import PublicInterest
    from workshop.services.actors import SYSTEM
    from workshop.services.organisations import OrganisationInput, update_organisation

    donor = make_org("collectivite")
    for data, field in (
        (OrganisationInput(name=donor.name, rna="W223001234"), "rna"),
        (OrganisationInput(name=donor.name, public_interest=PublicInterest.RIG), "public_interest"),
    ):
        with pytest.raises(ValidationFailed) as caught:
            update_organisation(db, SYSTEM, donor.id, data)
        assert caught.value.field == field


def test_a_second_organisation_of_the_same_name_is_refused(web, make_user, make_org):
    _login(web, make_user)
    make_org("association", "Mairie de Plérin")
    response = web.post_form("/admin/organisations/new?kind=collectivite", DONOR)
    assert response.status_code == 409
    assert "Une organisation nommée Mairie de Plérin existe déjà." in _text(response)


def test_a_coordinator_edits_a_donor(web, make_user, make_org, db):
    _login(web, make_user)
    donor = make_org("collectivite", "Mairie de Paimpol")
    url = f"/admin/organisations/{donor.id}"
    form = _text(web.get(url))
    assert 'value="Mairie de Paimpol"' in form
    response = web.post_form(url, DONOR | {"name": "Ville de Paimpol", "city": "Paimpol"})
    assert response.status_code == 302, _text(response)
    db.refresh(donor)
    assert (donor.name, donor.city, donor.siren) == ("Ville de Paimpol", "Paimpol", "212200935")
    # A wrong edit changes nothing.
    response = web.post_form(url, DONOR | {"name": "Autre nom", "siren": "111111111"})
    assert response.status_code == 422
    db.expire_all()
    assert db.get(Organisation, donor.id).name == "Ville de Paimpol"


def test_unknown_kinds_and_organisations_are_not_found(web, make_user):
    _login(web, make_user)
    assert web.get("/admin/organisations/new?kind=workshop").status_code == 404
    assert web.get("/admin/organisations/new?kind=bogus").status_code == 404
    assert web.get("/admin/organisations/999999").status_code == 404


@pytest.mark.parametrize("role", ["technician", "donor", "association"])
def test_only_coordinators_administer(web, make_user, make_org, role):
    _login(web, make_user, role)
    donor = make_org("collectivite")
    for url in ("/admin/", "/admin/organisations/", f"/admin/organisations/{donor.id}"):
        assert web.get(url).status_code == 403, url
    token = web.csrf("/account")
    response = web.post(
        "/admin/organisations/new?kind=collectivite", data=DONOR | {"csrf_token": token}
    )
    assert response.status_code == 403


def test_anonymous_people_are_sent_to_the_login(web):
    response = web.get("/admin/organisations/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_form_without_its_csrf_token_is_refused(web, make_user, db):
    _login(web, make_user)
    response = web.post("/admin/organisations/new?kind=collectivite", data=DONOR)
    assert response.status_code == 400
    assert not db.exec(select(Organisation).where(Organisation.name == "Mairie de Plérin")).all()


def test_english_is_available(web, make_user):
    _login(web, make_user)
    page = _text(web.get("/admin/organisations/?lang=en"))
    assert "Donors (collectivités)" in page and "New association" in page


def test_a_choice_outside_the_list_is_refused_in_french(web, make_user):
    _login(web, make_user)
    url = "/admin/organisations/new?kind=association"
    page = _text(web.post_form(url, {"name": "NST", "public_interest": "reconnue"}))
    assert "N'est pas un choix valide." in page


def test_new_donation_offers_the_registered_donors_and_a_new_one(web, make_user, make_org, db):
    _login(web, make_user)
    make_org("collectivite", "Mairie de Lannion")
    make_org("association", "Les Clés du Goëlo")
    form = _text(web.get("/donations/new"))
    assert ">Mairie de Lannion</option>" in form and "Les Clés du Goëlo" not in form
    link = "/admin/organisations/new?kind=collectivite&amp;next=donation"
    assert link in web.get("/donations/new").get_data(as_text=True)
    response = web.post_form(html.unescape(link), DONOR, page="/admin/organisations/")
    assert response.status_code == 302
    donor = db.exec(select(Organisation).where(Organisation.name == "Mairie de Plérin")).one()
    assert response.headers["Location"] == f"/donations/new?donor={donor.id}"
    form = _text(web.get(response.headers["Location"]))
    assert f'<option selected value="{donor.id}">Mairie de Plérin</option>' in form


def test_a_technician_records_donations_but_registers_no_donor(web, make_user, make_org):
    _login(web, make_user, "technician")
    make_org("collectivite", "Mairie de Lannion")
    form = _text(web.get("/donations/new"))
    assert "Mairie de Lannion" in form and "Enregistrer un nouveau donateur" not in form


def test_the_command_line_applies_the_same_checks(app, db):
    from click.testing import CliRunner

    from workshop.cli import main

    url = app.config["WORKSHOP"].resolved_database_url()
    env = {"WORKSHOP_DATABASE_URL": url, "WORKSHOP_INSTANCE_PATH": str(app.instance_path)}
    base = ["create-organisation", "--kind", "association", "--name", "NST"]
    wrong = CliRunner().invoke(main, [*base, "--siren", "212200937"], env=env)
    assert wrong.exit_code == 1 and "SIREN: 212200937 has a wrong check digit" in wrong.output
    result = CliRunner().invoke(
        main,
        [*base, "--siren", "212 200 935", "--rna", "W223001234", "--public-interest", "rig"],
        env=env,
    )
    assert result.exit_code == 0, result.output
    org = db.exec(select(Organisation).where(Organisation.name == "NST")).one()
    assert (org.siren, org.rna, org.public_interest) == ("212200935", "W223001234", "rig")
