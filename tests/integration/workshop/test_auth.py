"""Login, logout, rate limiting, CSRF, cookie flags, password storage, redirects."""

from __future__ import annotations

from sqlmodel import select

from tests.conftest import PASSWORD
from workshop.models import LoginFailure, User


def test_login_and_logout(web, make_user):
    user = make_user("technician")
    response = web.login(user.email, PASSWORD)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert web.get("/").status_code == 200
    response = web.post("/logout", data={"csrf_token": web.csrf("/")})
    assert response.status_code == 302
    assert web.get("/").status_code == 302


def test_wrong_password_is_refused_and_counted(web, make_user, db):
    user = make_user("technician")
    response = web.login(user.email, "wrong password!")
    assert response.status_code == 401
    assert "Adresse e-mail ou mot de passe incorrect" in response.get_data(as_text=True)
    db.commit()
    assert len(db.exec(select(LoginFailure)).all()) == 1


def test_login_is_rate_limited_then_cleared(app, web, make_user):
    app.config["WORKSHOP"].login_max_failures = 3
    user = make_user("technician")
    for _ in range(3):
        assert web.login(user.email, "nope nope nope").status_code == 401
    # Even the right password is refused while locked out.
    response = web.login(user.email, PASSWORD)
    assert response.status_code == 429
    assert "Trop de tentatives" in response.get_data(as_text=True)
    app.config["WORKSHOP"].login_window_seconds = 1
    import time

    time.sleep(1.1)
    assert web.login(user.email, PASSWORD).status_code == 302


def test_forms_without_csrf_token_are_refused(web, make_user, db):
    user = make_user("coordinator")
    web.login(user.email, PASSWORD)
    response = web.post("/benches/", data={"name": "Sans jeton"})
    assert response.status_code == 400
    response = web.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 400


def test_session_cookie_flags(web, make_user):
    user = make_user("technician")
    response = web.login(user.email, PASSWORD)
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_secure_cookie_in_production_settings():
    import pytest
    from pydantic import ValidationError

    from workshop.settings import WorkshopSettings

    with pytest.raises(ValidationError, match="WORKSHOP_SECRET_KEY"):
        WorkshopSettings(env="production")
    settings = WorkshopSettings(
        env="production", secret_key="x" * 40, public_base_url="https://atelier.example.org"
    )
    assert settings.secret_key == "x" * 40


def test_passwords_are_stored_as_argon2id(make_user, db):
    user = make_user("technician")
    stored = db.exec(select(User).where(User.id == user.id)).one().password_hash
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_open_redirect_after_login_is_refused(web, make_user):
    user = make_user("technician")
    token = web.csrf("/login")
    response = web.post(
        "/login?next=https://evil.example/",
        data={"email": user.email, "password": PASSWORD, "csrf_token": token},
    )
    assert response.headers["Location"] == "/"


def test_disabled_account_cannot_log_in(web, make_user, db):
    user = make_user("technician")
    row = db.get(User, user.id)
    row.active = False
    db.commit()
    assert web.login(user.email, PASSWORD).status_code == 401
