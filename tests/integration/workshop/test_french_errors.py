"""Errors that used to reach French pages in English: Werkzeug's, Flask-Login's, the labels'."""

from __future__ import annotations

from tests.conftest import PASSWORD


def test_the_login_prompt_and_error_pages_speak_french(web, make_user):
    login = web.get("/devices/", follow_redirects=True).get_data(as_text=True)
    assert "Connectez-vous pour accéder à cette page." in login
    assert "Please log in" not in login
    assert web.login(make_user("coordinator").email, PASSWORD).status_code == 302
    missing = web.get("/no/such/page")
    assert missing.status_code == 404
    page = missing.get_data(as_text=True)
    assert "Cette page n&#39;existe pas, ou plus." in page
    assert "The requested URL" not in page
    english = web.get("/no/such/page?lang=en").get_data(as_text=True)
    assert "This page does not exist, or no longer." in english


def test_an_api_error_keeps_its_english_unless_french_is_asked(api):
    answer = api("GET", "/api/v1/no-such-thing")
    assert answer.get_json()["error"]["message"] == "This page does not exist, or no longer."
    french = api("GET", "/api/v1/no-such-thing", headers={"Accept-Language": "fr"})
    assert french.get_json()["error"]["message"] == "Cette page n'existe pas, ou plus."


def test_printer_settings_errors_speak_french(web, api, db, make_user):
    from workshop.services.accounts import issue_token

    assert web.login(make_user("coordinator").email, PASSWORD).status_code == 302
    base = {"name": "P", "profile": "tm-t20ii", "media": "58mm", "qr_mode": "", "bench_id": ""}
    for uri, french in [
        ("gopher://x", "type d&#39;adresse inconnu ; utilisez l&#39;un de"),
        ("tcp://10.0.0.9:99999", "le port doit être un nombre de 1 à 65535"),
        ("usb://zz", "forme attendue usb://VID:PID en hexadécimal"),
    ]:
        page = web.post_form("/printers/", {**base, "uri": uri}, page="/printers/")
        assert page.status_code == 422 and french in page.get_data(as_text=True), uri
    token = issue_token(db, user=make_user("coordinator"))
    db.commit()
    body = {"name": "Q", "uri": "tcp://10.0.0.9", "profile": "x", "media": "58mm"}
    fr = {"Accept-Language": "fr"}
    answer = api("POST", "/api/v1/printers", token=token, json=body, headers=fr).get_json()
    assert answer["error"]["field"] == "profile"
    assert answer["error"]["message"].startswith("modèle d'imprimante inconnu 'x' ; modèles connus")


def test_the_site_has_an_icon(web):
    page = web.get("/login").get_data(as_text=True)
    assert 'rel="icon" type="image/svg+xml" href="/static/favicon.svg"' in page
    for path in ("/favicon.ico", "/static/favicon.svg"):
        answer = web.get(path)
        assert answer.status_code == 200 and answer.mimetype == "image/svg+xml", path
        assert answer.get_data().startswith(b"<svg")
