"""Control characters and junk in request headers and cookies: a 4xx or the page, never a 500.

Headers reach the database in two places (the client address behind a trusted proxy, which
login failures record; the user agent, nowhere) and the code in many (the language, the
session cookie, the bearer token, conditional requests): each is tried, on both engines.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlmodel import select

from tests.conftest import CSRF_RE
from workshop.models import LoginFailure
from workshop.services.accounts import issue_token

JUNK = ["\x00", "a\x01b", "\x7f", "é\x00", "\x1b[31m", "ÿ" * 3, " ", "x" * 8000]

HEADERS = [
    "Authorization",
    "Cookie",
    "Accept-Language",
    "Accept",
    "User-Agent",
    "Referer",
    "Origin",
    "If-None-Match",
    "If-Modified-Since",
    "Range",
    "X-CSRFToken",
    "X-Forwarded-For",
    "X-Forwarded-Proto",
    "Content-Type",
]

PAGES = ["/", "/login", "/devices", "/go?tag=A5E2N3WCP", "/static/live.js", "/api/v1/devices"]


@pytest.fixture
def proxied_app(app) -> Iterator[Any]:
    """The workshop behind one trusted reverse proxy, which makes X-Forwarded-* count."""
    from workshop import create_app
    from workshop.db import get_engine

    proxied = create_app(app.config["WORKSHOP"].model_copy(update={"trusted_proxies": 1}))
    yield proxied
    get_engine(proxied).dispose()


def _value(name: str, junk: str) -> str:
    if name == "Authorization":
        return f"Bearer {junk}"
    if name == "Cookie":
        return f"session={junk}; lang={junk}"
    return junk


@pytest.mark.parametrize("name", HEADERS)
def test_junk_in_any_header_never_fails_the_server(proxied_app, db, make_user, name):
    user = make_user("coordinator")
    token = issue_token(db, user=user)
    db.commit()
    client = proxied_app.test_client()
    for junk in JUNK:
        headers = {name: _value(name, junk)}
        for page in PAGES:
            auth = {} if name == "Authorization" else {"Authorization": f"Bearer {token}"}
            extra = auth if page.startswith("/api/") else {}
            answer = client.get(page, headers={**extra, **headers})
            assert answer.status_code < 500, (name, junk[:20], page, answer.status_code)
        login = client.post(
            "/login", data={"email": user.email, "password": "wrong"}, headers=headers
        )
        assert login.status_code < 500, (name, junk[:20], login.status_code)


def test_a_forwarded_address_with_control_characters_is_not_recorded_as_is(
    proxied_app, db, make_user
):
    user = make_user("technician")
    client = proxied_app.test_client()
    environ = {"REMOTE_ADDR": "10.0.0.2"}
    for forwarded in ("203.0.113.5\x00", "\x01", "not an address", "2001:db8::1"):
        headers = {"X-Forwarded-For": forwarded}
        html = client.get("/login", environ_base=environ, headers=headers).get_data(as_text=True)
        match = CSRF_RE.search(html)
        assert match
        data = {"email": user.email, "password": "wrong wrong", "csrf_token": match[1] or match[2]}
        answer = client.post("/login", data=data, environ_base=environ, headers=headers)
        assert answer.status_code == 401, (forwarded, answer.status_code)
    db.commit()
    recorded = {row.remote_addr for row in db.exec(select(LoginFailure)).all()}
    # What is not an IP address is recorded as the proxy's own address, never as sent.
    assert recorded == {"10.0.0.2", "2001:db8::1"}, recorded
