"""Security headers on HTML pages, PDF downloads and API answers (issue 13, item 4)."""

from __future__ import annotations

from tests.conftest import PASSWORD


def _assert_common_headers(response) -> None:
    headers = response.headers
    policy = headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "'unsafe-inline'" not in policy
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert "geolocation=()" in headers["Permissions-Policy"]
    assert "microphone=()" in headers["Permissions-Policy"]


def test_html_pages_of_signed_in_staff_allow_the_camera_for_the_scanner(web, make_user):
    user = make_user("technician")
    assert web.login(user.email, PASSWORD).status_code == 302
    response = web.get("/")
    assert response.status_code == 200 and response.mimetype == "text/html"
    _assert_common_headers(response)
    assert "camera=(self)" in response.headers["Permissions-Policy"]
    assert "scan.js" in response.get_data(as_text=True)
    assert "Strict-Transport-Security" not in response.headers


def test_the_login_page_has_no_scanner_so_no_camera(web):
    response = web.get("/login")
    assert response.status_code == 200
    _assert_common_headers(response)
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert "scan.js" not in response.get_data(as_text=True)


def test_pdf_downloads_carry_the_headers(web, make_org, make_user, make_donation):
    donor = make_org("collectivite", "Mairie de Plérin")
    contact = make_user("donor", org=donor)
    donation = make_donation(donor=donor, count=1)
    assert web.login(contact.email, PASSWORD).status_code == 302
    response = web.get(f"/donations/{donation.id}/documents/attestation.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    _assert_common_headers(response)
    assert "camera=()" in response.headers["Permissions-Policy"]


def test_api_answers_and_errors_carry_the_headers(api):
    response = api("GET", "/api/v1/devices")
    assert response.status_code == 401 and response.is_json
    _assert_common_headers(response)
    assert "camera=()" in response.headers["Permissions-Policy"]
    missing = api("GET", "/api/v1/no-such-thing")
    assert missing.status_code == 404
    _assert_common_headers(missing)


def test_static_files_carry_nosniff(web):
    response = web.get("/static/scan.js")
    assert response.status_code == 200
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_hsts_only_when_cookies_are_secure(app, web, monkeypatch):
    assert "Strict-Transport-Security" not in web.get("/login").headers
    monkeypatch.setattr(app.config["WORKSHOP"], "session_cookie_secure", True)
    response = web.get("/login")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
