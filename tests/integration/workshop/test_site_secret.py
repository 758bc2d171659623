"""Site enrolment secrets: every PC booted from a site's bench image enrols as its own session."""

from __future__ import annotations

import pytest
from sqlmodel import select

from workshop.errors import Forbidden, ValidationFailed
from workshop.models import Bench, SiteSecret
from workshop.services.actors import Actor
from workshop.services.enrollment import create_site_secret, revoke_site_secret


def _enrol(api, secret, hostname="Bench PC ATL-0001"):
    return api("POST", "/api/v1/enroll/site", json={"secret": secret, "hostname": hostname})


def test_each_booted_pc_becomes_its_own_session_of_the_site(api, db, make_user):
    row, secret = create_site_secret(db, Actor(user=make_user("coordinator")), site_name="Lannion")
    db.commit()
    assert len(secret) == 24 and secret.count("-") == 4
    assert row.secret_hash != secret and secret.replace("-", "") not in row.secret_hash
    first, second = _enrol(api, secret.lower()), _enrol(api, secret)
    assert first.status_code == second.status_code == 201
    a, b = first.get_json(), second.get_json()
    assert a["bench_id"] != b["bench_id"] and a["token"] != b["token"]
    assert a["bench_name"] == "Lannion · Bench PC ATL-0001"
    # The booted PC's QR codes point where people reach the workshop, not at its boot URL.
    assert a["public_url"] == "http://atelier.test"
    assert b["bench_name"] == "Lannion · Bench PC ATL-0001 (2)"
    assert api("GET", "/api/v1/me", token=a["token"]).get_json()["bench_id"] == a["bench_id"]
    benches = db.exec(select(Bench)).all()
    assert {bench.site_secret_id for bench in benches} == {row.id}


def test_unknown_revoked_or_replaced_secrets_are_refused(api, db, make_user):
    actor = Actor(user=make_user("coordinator"))
    _, old = create_site_secret(db, actor, site_name="Lannion")
    _, new = create_site_secret(db, actor, site_name="Lannion")  # replaces the old one
    db.commit()
    assert len(db.exec(select(SiteSecret)).all()) == 1
    db.commit()  # end the read before the API writes (SQLite snapshot)
    refused = _enrol(api, old)
    assert refused.status_code == 403
    assert refused.get_json()["error"]["code"] == "invalid_site_secret"
    assert _enrol(api, new).status_code == 201
    revoke_site_secret(db, actor, site_name="Lannion")
    db.commit()
    assert _enrol(api, new).status_code == 403
    short = _enrol(api, "ABCD")
    assert short.status_code == 422 and short.get_json()["error"]["field"] == "secret"
    assert len(db.exec(select(Bench)).all()) == 1


def test_only_a_coordinator_creates_a_site_secret(db, make_user):
    with pytest.raises(Forbidden):
        create_site_secret(db, Actor(user=make_user("technician")), site_name="Lannion")
    with pytest.raises(ValidationFailed):
        create_site_secret(db, Actor(user=make_user("coordinator")), site_name="  ")
