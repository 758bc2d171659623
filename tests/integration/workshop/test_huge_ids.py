"""An id too large for the database, in a URL or a query, is refused cleanly, never a 500."""

from __future__ import annotations

import re

from tests.conftest import PASSWORD
from workshop.services.accounts import issue_token

HUGE = str(2**40)


def _int_rules(app):
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods and "int" in str(rule.rule) and "<int:" in rule.rule:
            yield rule


def test_every_get_route_with_a_huge_id_is_not_found(app, api, web, db, make_user):
    coordinator = make_user("coordinator", email="c@example.org")
    token = issue_token(db, user=coordinator)
    db.commit()
    web.login("c@example.org", PASSWORD)
    checked = 0
    for rule in _int_rules(app):
        path = re.sub(r"<int:[^>]+>", HUGE, rule.rule)
        path = re.sub(r"<[^>]+>", "X", path)
        if path.startswith("/api/"):
            response = api("GET", path, token=token)
        else:
            response = web.get(path)
            response.close()
        # 405 where the same path also takes another method: Werkzeug's matcher says so.
        assert response.status_code in (404, 405), (rule.rule, response.status_code)
        checked += 1
    assert checked >= 10


def test_a_huge_id_in_a_query_is_refused_naming_it(api, db, make_user):
    token = issue_token(db, user=make_user("coordinator"))
    db.commit()
    response = api("GET", f"/api/v1/devices?donation_id={HUGE}", token=token)
    assert response.status_code == 422
    assert response.get_json()["error"]["field"] == "donation_id"
