"""Benches in the administration: every bench listed, a revoked bench's token refused, site
secrets for the bench image created once-shown and revoked; coordinators only."""

from __future__ import annotations

import re

import pytest
from sqlmodel import select

from tests.helpers.web_pages import login_as as _login
from tests.helpers.web_pages import page_text as _text
from workshop.models import SiteSecret


def test_a_revoked_bench_can_no_longer_use_its_token(web, make_user, make_bench, api, db):
    _login(web, make_user)
    bench, token = make_bench("Établi 7")
    assert api("POST", "/api/v1/bench/heartbeat", token=token, json={}).status_code == 200
    page = _text(web.get("/admin/benches/"))
    assert "Établi 7" in page and "actif" in page
    url = f"/admin/benches/{bench.id}/revoke"
    assert web.post_form(url, {}, page="/admin/benches/").status_code == 302
    assert "Établi Établi 7 révoqué : son jeton ne fonctionne plus." in _text(
        web.get("/admin/benches/")
    )
    assert api("POST", "/api/v1/bench/heartbeat", token=token, json={}).status_code == 401
    db.rollback()
    db.refresh(bench)
    assert bench.active is False


def test_a_site_secret_is_shown_once_and_enrols_until_revoked(web, make_user, api, db):
    _login(web, make_user)
    response = web.post_form("/admin/benches/", {"site_name": "Saint-Brieuc"})
    page = _text(response)
    assert response.status_code == 200, page
    secret = re.search(r'<code class="token" id="site-secret">([^<]+)</code>', page)[1]
    assert "Secret de Saint-Brieuc créé" in page
    assert secret not in _text(web.get("/admin/benches/"))
    enrolled = api("POST", "/api/v1/enroll/site", json={"secret": secret, "hostname": "pc-1"})
    assert enrolled.status_code == 201, enrolled.get_json()
    row = db.exec(select(SiteSecret)).one()
    db.commit()
    assert "Saint-Brieuc · pc-1" in _text(web.get("/admin/benches/"))
    url = f"/admin/benches/sites/{row.id}/revoke"
    assert web.post_form(url, {}, page="/admin/benches/").status_code == 302
    again = api("POST", "/api/v1/enroll/site", json={"secret": secret, "hostname": "pc-2"})
    assert again.status_code == 403


def test_a_site_without_a_name_is_refused_naming_the_field(web, make_user):
    _login(web, make_user)
    response = web.post_form("/admin/benches/", {"site_name": "  "})
    assert response.status_code == 422
    page = _text(response)
    assert 'id="site_name-error"' in page


def test_unknown_benches_and_secrets_are_not_found(web, make_user):
    _login(web, make_user)
    assert web.post_form("/admin/benches/999/revoke", {}, page="/admin/benches/").status_code == 404
    url = "/admin/benches/sites/999/revoke"
    assert web.post_form(url, {}, page="/admin/benches/").status_code == 404


@pytest.mark.parametrize("role", ["technician", "donor", "association"])
def test_only_coordinators_revoke(web, make_user, make_bench, api, role):
    _login(web, make_user, role)
    bench, token = make_bench()
    assert web.get("/admin/benches/").status_code == 403
    response = web.post(
        f"/admin/benches/{bench.id}/revoke", data={"csrf_token": web.csrf("/account")}
    )
    assert response.status_code == 403
    assert api("POST", "/api/v1/bench/heartbeat", token=token, json={}).status_code == 200
