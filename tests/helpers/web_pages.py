"""Small helpers of the web integration tests: log in as a new user of a role, read a page."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

from tests.conftest import PASSWORD


def login_as(web: Any, make_user: Callable[..., Any], role: str = "coordinator") -> Any:
    """A new user of `role`, logged in on the test client; the user."""
    user = make_user(role)
    assert web.login(user.email, PASSWORD).status_code == 302
    return user


def page_text(response: Any) -> str:
    """A page's HTML with its entities decoded (French apostrophes, accents)."""
    return html.unescape(response.get_data(as_text=True))
