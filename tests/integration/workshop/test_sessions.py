"""Sessions end server-side: logout, a new password or a closed account refuse every copy of
the cookie; failed logins lock an account, an address only far later, proxies only when trusted."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlmodel import select

from tests.conftest import CSRF_RE, PASSWORD, WebClient
from workshop.models import LoginFailure, User
from workshop.services import accounts

EXPORT = "/devices/export.csv"


def _logged_in(app, user) -> WebClient:
    web = WebClient(app.test_client())
    assert web.login(user.email, PASSWORD).status_code == 302
    assert web.get(EXPORT).status_code == 200
    return web


def _copy_of(app, web: WebClient) -> WebClient:
    """Another browser holding a copy of `web`'s session cookie."""
    cookie = web.get_cookie("session")
    assert cookie is not None
    thief = WebClient(app.test_client())
    thief.set_cookie("session", cookie.value)
    assert thief.get(EXPORT).status_code == 200  # the copy works before logout
    return thief


def _refused(web: WebClient) -> bool:
    response = web.get(EXPORT)
    return response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_a_cookie_copied_before_logout_is_refused_after(app, make_user):
    web = _logged_in(app, make_user("coordinator"))
    thief = _copy_of(app, web)
    assert web.post("/logout", data={"csrf_token": web.csrf("/")}).status_code == 302
    assert _refused(thief) and _refused(web)


def test_logout_ends_the_account_sessions_on_other_browsers(app, make_user):
    user = make_user("technician")
    desk, tablet = _logged_in(app, user), _logged_in(app, user)
    desk.post("/logout", data={"csrf_token": desk.csrf("/")})
    assert _refused(tablet)
    # Another account's session is untouched, and logging in again works.
    other = _logged_in(app, make_user("technician"))
    assert other.get(EXPORT).status_code == 200
    assert _logged_in(app, user).get(EXPORT).status_code == 200


def test_a_new_password_ends_every_session(app, db, make_user):
    user = make_user("coordinator")
    thief = _copy_of(app, _logged_in(app, user))
    accounts.change_password(db, db.get(User, user.id), password="a new long passphrase")
    db.commit()
    assert _refused(thief)
    web = WebClient(app.test_client())
    assert web.login(user.email, "a new long passphrase").status_code == 302


def test_a_closed_account_sessions_end(app, db, make_user):
    user = make_user("coordinator")
    thief = _copy_of(app, _logged_in(app, user))
    accounts.disable_user(db, db.get(User, user.id))
    db.commit()
    assert _refused(thief)


def test_a_cookie_without_the_right_nonce_is_refused(app, db, make_user):
    user = make_user("coordinator")
    nonce = db.get(User, user.id).session_nonce
    web = _logged_in(app, user)
    for forged in (
        str(user.id),  # what a cookie from before the nonce held
        f"{user.id}:",
        f"{user.id}:{nonce[:-1]}0" if not nonce.endswith("0") else f"{user.id}:{nonce[:-1]}1",
        f"{user.id}:{nonce}:x",
        f"{user.id}:é",  # not ASCII: refused, not a server error
        f"99999999999:{nonce}",
    ):
        with web.session_transaction() as cookie:
            cookie["_user_id"] = forged
        assert _refused(web), forged


def test_failures_lock_the_account_not_the_others_from_the_same_address(app, make_user):
    app.config["WORKSHOP"].login_max_failures = 3
    victim, colleague = make_user("technician"), make_user("technician")
    web = WebClient(app.test_client())
    for _ in range(3):
        assert web.login(victim.email, "wrong wrong wrong").status_code == 401
    assert web.login(victim.email, PASSWORD).status_code == 429
    assert web.login(colleague.email, PASSWORD).status_code == 302


def test_an_address_is_throttled_only_after_many_failures(app, make_user):
    settings = app.config["WORKSHOP"]
    settings.login_max_failures, settings.login_address_max_failures = 3, 5
    users = [make_user("technician") for _ in range(4)]
    web = WebClient(app.test_client())
    for user in users[:3]:
        for _ in range(2):  # below each account's limit
            assert web.login(user.email, "wrong wrong wrong").status_code in (401, 429)
    response = web.login(users[3].email, PASSWORD)
    assert response.status_code == 429  # five failures from this address reached its limit


def _login_from(client: Any, forwarded_for: str, email: str, password: str) -> int:
    environ = {"REMOTE_ADDR": "10.0.0.2"}  # the reverse proxy
    headers = {"X-Forwarded-For": forwarded_for}
    html = client.get("/login", environ_base=environ, headers=headers).get_data(as_text=True)
    match = CSRF_RE.search(html)
    assert match
    data = {"email": email, "password": password, "csrf_token": match.group(1) or match.group(2)}
    response = client.post("/login", data=data, environ_base=environ, headers=headers)
    return response.status_code


@pytest.fixture
def proxied_app(app) -> Iterator[Any]:
    """The same workshop behind one trusted reverse proxy (WORKSHOP_TRUSTED_PROXIES=1)."""
    from workshop import create_app
    from workshop.db import get_engine

    settings = app.config["WORKSHOP"].model_copy(update={"trusted_proxies": 1})
    proxied = create_app(settings)
    yield proxied
    get_engine(proxied).dispose()


def _address_limit(app, failures: int) -> None:
    settings = app.config["WORKSHOP"]
    settings.login_max_failures, settings.login_address_max_failures = 100, failures


def test_behind_a_trusted_proxy_clients_are_counted_apart(proxied_app, db, make_user):
    _address_limit(proxied_app, 3)
    user = make_user("technician")
    client = proxied_app.test_client()
    for _ in range(3):
        assert _login_from(client, "203.0.113.5", user.email, "wrong wrong wrong") == 401
    db.commit()
    addresses = {row.remote_addr for row in db.exec(select(LoginFailure)).all()}
    assert addresses == {"203.0.113.5"}
    assert _login_from(client, "203.0.113.5", user.email, PASSWORD) == 429
    assert _login_from(client, "198.51.100.7", user.email, PASSWORD) == 302


def test_without_the_setting_x_forwarded_for_is_ignored(app, db, make_user):
    _address_limit(app, 3)
    user = make_user("technician")
    client = app.test_client()
    for _ in range(3):
        assert _login_from(client, "203.0.113.5", user.email, "wrong wrong wrong") == 401
    db.commit()
    addresses = {row.remote_addr for row in db.exec(select(LoginFailure)).all()}
    assert addresses == {"10.0.0.2"}
    assert _login_from(client, "198.51.100.7", user.email, PASSWORD) == 429


def _cli(app, *args: str, stdin: str | None = None) -> Any:
    from click.testing import CliRunner

    from workshop.cli import main

    url = app.config["WORKSHOP"].resolved_database_url()
    env = {"WORKSHOP_DATABASE_URL": url, "WORKSHOP_INSTANCE_PATH": str(app.instance_path)}
    return CliRunner().invoke(main, list(args), env=env, input=stdin)


def test_operator_commands_end_sessions(app, db, make_user):
    user = make_user("coordinator")
    thief = _copy_of(app, _logged_in(app, user))
    result = _cli(app, "end-sessions", user.email)
    assert result.exit_code == 0, result.output
    assert _refused(thief)
    thief = _copy_of(app, _logged_in(app, user))
    short = _cli(app, "set-password", user.email, "--password", "short")
    assert short.exit_code == 1 and "at least 10 characters" in short.output
    assert not _refused(thief)  # a refused password changes nothing
    result = _cli(app, "set-password", user.email, "--password", "another passphrase")
    assert result.exit_code == 0, result.output
    assert _refused(thief)
    assert WebClient(app.test_client()).login(user.email, "another passphrase").status_code == 302
    unknown = _cli(app, "end-sessions", "nobody@example.org")
    assert unknown.exit_code == 1 and "no user" in unknown.output
    token = accounts.issue_token(db, user=db.get(User, user.id))
    db.commit()
    api = app.test_client()
    assert api.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    signed_in = WebClient(app.test_client())
    assert signed_in.login(user.email, "another passphrase").status_code == 302
    result = _cli(app, "close-account", user.email)
    assert result.exit_code == 0, result.output
    assert _refused(signed_in)
    assert api.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert WebClient(app.test_client()).login(user.email, "another passphrase").status_code == 401


def _change_password(web: WebClient, current: str, new: str, again: str | None = None) -> Any:
    form = {"current": current, "new": new, "again": new if again is None else again}
    return web.post_form("/account", form, page="/account")


def test_the_account_page_changes_the_password_and_ends_the_other_sessions(app, db, make_user):
    user = make_user("technician")
    here, elsewhere = _logged_in(app, user), _logged_in(app, user)
    page = here.get("/account").get_data(as_text=True)
    assert "Mon compte" in page and user.email in page and "Changer mon mot de passe" in page
    new = "a much longer new one"
    answer = _change_password(here, PASSWORD, new)
    assert answer.status_code == 302 and answer.headers["Location"] == "/account"
    assert "Vos autres sessions ont pris fin" in here.get("/account").get_data(as_text=True)
    assert here.get(EXPORT).status_code == 200  # this browser stays signed in
    assert _refused(elsewhere)  # the other one does not
    assert WebClient(app.test_client()).login(user.email, PASSWORD).status_code == 401
    assert WebClient(app.test_client()).login(user.email, new).status_code == 302


def test_the_account_page_refuses_a_wrong_current_password_short_or_differing_ones(
    app, db, make_user
):
    user = make_user("technician")
    web = _logged_in(app, user)
    wrong = _change_password(web, "not my password", "a much longer new one")
    assert wrong.status_code == 401
    assert "Ce n&#39;est pas votre mot de passe actuel" in wrong.get_data(as_text=True)
    db.expire_all()
    assert db.exec(select(LoginFailure).where(LoginFailure.email == user.email)).all()
    short = _change_password(web, PASSWORD, "short")
    assert short.status_code == 400 and 'id="new-error"' in short.get_data(as_text=True)
    differ = _change_password(web, PASSWORD, "a much longer new one", "another long one!")
    assert differ.status_code == 400
    assert "Les deux mots de passe diffèrent" in differ.get_data(as_text=True)
    assert web.get(EXPORT).status_code == 200
    assert WebClient(app.test_client()).login(user.email, PASSWORD).status_code == 302
    # A session that tries passwords is locked like a login form would be.
    for _ in range(app.config["WORKSHOP"].login_max_failures):
        _change_password(web, "guess guess guess", "a much longer new one")
    assert _change_password(web, PASSWORD, "a much longer new one").status_code == 429
