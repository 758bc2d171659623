"""Accounts administered in the web UI: open one (a password given or made up), change a role,
close an account (its sessions and API tokens end); coordinators only."""

from __future__ import annotations

import re

import pytest
from sqlmodel import select

from tests.conftest import PASSWORD, WebClient
from tests.helpers.web_pages import login_as as _login
from tests.helpers.web_pages import page_text as _text
from workshop.models import ApiToken, Organisation, User


def _org(db, user):
    org = db.get(Organisation, user.organisation_id)
    db.commit()  # end the read: the app's writes are then seen
    return org


def _new_account(org, **overrides):
    return {
        "full_name": "Gwen Le Bihan",
        "email": "Gwen@Atelier.example",
        "role": "technician",
        "organisation_id": str(org.id),
        "password": "un mot de passe long",
    } | overrides


def test_a_coordinator_opens_an_account_with_a_password(app, web, make_user, db):
    me = _login(web, make_user)
    response = web.post_form("/admin/users/", _new_account(_org(db, me)))
    assert response.status_code == 302, _text(response)
    user = db.exec(select(User).where(User.email == "gwen@atelier.example")).one()
    assert (user.role, user.full_name, user.active) == ("technician", "Gwen Le Bihan", True)
    listing = _text(web.get("/admin/users/"))
    assert "Gwen Le Bihan" in listing and "technicien·ne" in listing
    other = WebClient(app.test_client())
    assert other.login("gwen@atelier.example", "un mot de passe long").status_code == 302


def test_an_account_without_password_gets_one_shown_once(app, web, make_user, db):
    me = _login(web, make_user)
    response = web.post_form("/admin/users/", _new_account(_org(db, me), password=""))
    page = _text(response)
    assert response.status_code == 200 and "Compte ouvert pour gwen@atelier.example." in page
    password = re.search(r'<code class="token" id="made-up-password">([^<]+)</code>', page)[1]
    assert len(password) >= 10
    assert password not in _text(web.get("/admin/users/"))  # shown once
    other = WebClient(app.test_client())
    assert other.login("gwen@atelier.example", password).status_code == 302


@pytest.mark.parametrize(
    ("overrides", "field", "says"),
    [
        ({"email": "gwen"}, "email", "Adresse e-mail : gwen n'est pas une adresse e-mail."),
        ({"password": "court"}, "password", "au moins 10 caractères"),
        ({"full_name": " "}, "full_name", "Nom : de 1 à 200 caractères."),
        (
            {"role": "donor"},
            "organisation_id",
            "le rôle contact donateur revient à une collectivité",
        ),
        ({"organisation_id": "999999"}, "organisation_id", "N'est pas un choix valide."),
        ({"role": "admin"}, "role", "N'est pas un choix valide."),
    ],
)
def test_bad_accounts_are_refused_in_french_under_their_field(
    web, make_user, db, overrides, field, says
):
    me = _login(web, make_user)
    response = web.post_form("/admin/users/", _new_account(_org(db, me), **overrides))
    page = _text(response)
    assert response.status_code in (400, 422), page
    assert says in page and f'id="{field}-error"' in page
    assert db.exec(select(User).where(User.email == "gwen@atelier.example")).first() is None


def test_an_email_already_used_is_refused(web, make_user, db):
    me = _login(web, make_user)
    response = web.post_form("/admin/users/", _new_account(_org(db, me), email=me.email))
    assert response.status_code == 409
    assert f"Un compte existe déjà pour {me.email}." in _text(response)


def test_a_role_changes_with_its_organisation_and_ends_the_sessions(
    app, web, make_user, make_org, db
):
    _login(web, make_user)
    person = make_user("technician")
    theirs = WebClient(app.test_client())
    assert theirs.login(person.email, PASSWORD).status_code == 302
    association = make_org("association", "Les Clés du Goëlo")
    url = f"/admin/users/{person.id}"
    wrong = web.post_form(
        url, {"role": "association", "organisation_id": str(person.organisation_id)}
    )
    assert wrong.status_code == 422
    assert "le rôle membre d'association revient à une association" in _text(wrong)
    response = web.post_form(url, {"role": "association", "organisation_id": str(association.id)})
    assert response.status_code == 302, _text(response)
    db.refresh(person)
    assert (person.role, person.organisation_id) == ("association", association.id)
    assert theirs.get("/stock/").status_code == 302  # logged out: back to the login


def test_a_closed_account_can_neither_log_in_nor_use_its_tokens(app, web, make_user, db, api):
    from workshop.services.accounts import issue_token

    _login(web, make_user)
    person = make_user("technician")
    token = issue_token(db, user=person, label="script")
    db.commit()
    theirs = WebClient(app.test_client())
    assert theirs.login(person.email, PASSWORD).status_code == 302
    assert api("GET", "/api/v1/stock", token=token).status_code == 200
    response = web.post_form(
        f"/admin/users/{person.id}/close", {}, page=f"/admin/users/{person.id}"
    )
    assert response.status_code == 302
    assert "Le compte" in _text(web.get("/admin/users/"))
    assert theirs.get("/stock/").status_code == 302
    assert api("GET", "/api/v1/stock", token=token).status_code == 401
    assert WebClient(app.test_client()).login(person.email, PASSWORD).status_code == 401
    db.expire_all()
    assert db.exec(select(ApiToken).where(ApiToken.user_id == person.id)).one().revoked_at


def test_a_coordinator_cannot_lock_themselves_out(web, make_user, db):
    me = _login(web, make_user)
    page = f"/admin/users/{me.id}"
    response = web.post_form(f"/admin/users/{me.id}/close", {}, page=page)
    assert response.status_code == 302
    assert "Vous ne pouvez pas clore votre propre compte." in _text(web.get(page))
    response = web.post_form(
        page, {"role": "technician", "organisation_id": str(me.organisation_id)}
    )
    assert response.status_code == 403
    assert "Vous ne pouvez pas changer votre propre rôle" in _text(response)
    db.refresh(me)
    assert me.active and me.role == "coordinator"


@pytest.mark.parametrize("role", ["technician", "donor", "association"])
def test_only_coordinators_see_accounts(web, make_user, role):
    user = _login(web, make_user, role)
    assert web.get("/admin/users/").status_code == 403
    assert web.get(f"/admin/users/{user.id}").status_code == 403
    token = web.csrf("/account")
    response = web.post(f"/admin/users/{user.id}/close", data={"csrf_token": token})
    assert response.status_code == 403


def test_unknown_accounts_are_not_found(web, make_user):
    _login(web, make_user)
    assert web.get("/admin/users/999999").status_code == 404
