"""The edge policy (workshop/input_policy.py): hostile JSON, huge integers and control characters
get a 400 naming the rule and the field, identically on SQLite and PostgreSQL, never a 500."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from tests.conftest import PASSWORD
from workshop.input_policy import MAX_DEPTH, MAX_ITEMS, MAX_VALUES
from workshop.models import Device, Donation
from workshop.services.accounts import issue_token

JSON_ENDPOINTS = [
    "/api/v1/enroll",
    "/api/v1/documents/verification",
    "/api/v1/documents/pdf-verification",
    "/api/v1/bench/records",
    "/api/v1/donations",
]


def _nested(depth: int, leaf: str = "1") -> str:
    return '{"a": ' * depth + leaf + "}" * depth


def _refused(response, rule: str, field: str | None = None) -> dict:
    assert response.status_code == 400, response.get_data(as_text=True)[:300]
    error = response.get_json()["error"]
    assert error["code"] == "refused_input" and error["details"]["rule"] == rule, error
    assert rule in error["message"], error
    if field is not None:
        assert error["field"] == field, error
    return error


@pytest.fixture
def tokens(db, make_user, make_bench):
    """A coordinator's token and a bench's token."""
    user_token = issue_token(db, user=make_user("coordinator"))
    _, bench_token = make_bench()
    db.commit()
    return {"user": user_token, "bench": bench_token}


@pytest.mark.parametrize("path", JSON_ENDPOINTS)
@pytest.mark.parametrize("depth", [100_000, MAX_DEPTH + 1])
def test_deeply_nested_json_is_refused_with_or_without_a_token(api, tokens, path, depth):
    body = _nested(depth)
    token = tokens["bench"] if "bench" in path else tokens["user"]
    response = api("POST", path, token=token, data=body, content_type="application/json")
    _refused(response, "max_depth")
    anonymous = api("POST", path, data=body, content_type="application/json")
    assert anonymous.status_code in (400, 401), anonymous.status_code


def test_nesting_inside_a_free_form_field_is_limited_and_named(api):
    payload = json.loads(_nested(MAX_DEPTH))
    body = {"key_id": "0123456789abcdef", "payload": payload, "signature": "AAAA"}
    error = _refused(api("POST", "/api/v1/documents/verification", json=body), "max_depth")
    assert error["field"].startswith("payload.a.a"), error
    body["payload"] = json.loads(_nested(MAX_DEPTH - 2))
    assert api("POST", "/api/v1/documents/verification", json=body).status_code == 200


def test_too_many_items_are_refused(api):
    body = {"key_id": "0123456789abcdef", "payload": {"x": [0] * (MAX_ITEMS + 1)}, "signature": ""}
    _refused(api("POST", "/api/v1/documents/verification", json=body), "max_items", "payload.x")
    body["payload"] = {str(i): [0] * MAX_ITEMS for i in range(MAX_VALUES // MAX_ITEMS + 1)}
    _refused(api("POST", "/api/v1/documents/verification", json=body), "max_values")


def _donation(donor_id, **fields):
    return {
        "donor_id": donor_id,
        "received_on": "2026-11-20",
        "place": "Dépôt",
        "items": [{"type": "laptop", "count": 1}],
        **fields,
    }


@pytest.mark.parametrize(
    "number", ["1" + "0" * 40, "-1" + "0" * 40, "9" * 5000, "9223372036854775808"]
)
def test_integers_beyond_64_bits_are_refused_naming_the_field(api, tokens, db, number):
    raw = json.dumps(_donation(0)).replace('"donor_id": 0', f'"donor_id": {number}')
    response = api(
        "POST", "/api/v1/donations", token=tokens["user"], data=raw, content_type="application/json"
    )
    _refused(response, "int64", "donor_id")
    assert db.exec(select(Donation)).all() == []


def test_ids_beyond_32_bits_are_invalid_and_the_largest_is_unknown(api, tokens):
    # Row ids are INTEGER columns: PostgreSQL would fail on 2**31, SQLite would just not find it.
    for donor_id in (2**31, 2**63 - 1):
        response = api("POST", "/api/v1/donations", token=tokens["user"], json=_donation(donor_id))
        assert response.status_code == 422, response.get_json()
        assert response.get_json()["error"]["field"] == "donor_id"
    printer = {"name": "p", "uri": "tcp://127.0.0.1:9", "profile": "tm-t20ii", "media": "58mm"}
    response = api(
        "POST", "/api/v1/printers", token=tokens["user"], json={**printer, "bench_id": 2**40}
    )
    assert response.status_code == 422 and response.get_json()["error"]["field"] == "bench_id"
    response = api("POST", "/api/v1/donations", token=tokens["user"], json=_donation(2**31 - 1))
    assert response.status_code == 404 and response.get_json()["error"]["field"] == "donor_id"


def test_infinite_numbers_are_refused(api, tokens):
    for number in ("1e400", "NaN", "Infinity"):
        raw = '{"status": "inventoried", "reason": "x", "n": ' + number + "}"
        response = api(
            "POST",
            "/api/v1/devices/X/transitions",
            token=tokens["user"],
            data=raw,
            content_type="application/json",
        )
        _refused(response, "finite_number", "n")


@pytest.mark.parametrize("char", ["\x00", "\x01", "\x1b", "\x7f", "\ud800"])
def test_control_characters_in_api_json_are_refused_naming_the_field(
    api, tokens, make_org, db, char
):
    donor = make_org("collectivite")
    body = _donation(donor.id, place=f"Dé{char}pôt")
    raw = json.dumps(body)  # ensure_ascii: the lone surrogate travels as \\ud800
    response = api(
        "POST", "/api/v1/donations", token=tokens["user"], data=raw, content_type="application/json"
    )
    error = _refused(response, "control_character", "place")
    assert error["details"]["character"] == f"U+{ord(char):04X}"
    body = _donation(donor.id, items=[{"type": "laptop", "count": 1, "vendor": f"H{char}P"}])
    response = api("POST", "/api/v1/donations", token=tokens["user"], json=body)
    _refused(response, "control_character", "items.0.vendor")
    assert db.exec(select(Donation)).all() == []
    # TAB, CR and LF are not refused where a text may span lines.
    body = _donation(donor.id, notes="ligne 1\r\nligne 2\tfin")
    response = api("POST", "/api/v1/donations", token=tokens["user"], json=body)
    assert response.status_code == 201, response.get_json()
    db.commit()
    assert db.exec(select(Donation)).one().notes == "ligne 1\r\nligne 2\tfin"


def test_nul_in_api_query_strings_and_paths_is_refused(api, tokens):
    response = api("GET", "/api/v1/devices?q=%00", token=tokens["user"])
    _refused(response, "control_character", "q")
    response = api("GET", "/api/v1/stock?q=a%00b", token=tokens["user"])
    _refused(response, "control_character", "q")
    response = api("GET", "/api/v1/devices/AB%00CD", token=tokens["user"])
    _refused(response, "control_character", "tag")
    anonymous = api("GET", "/api/v1/devices?q=%00")
    _refused(anonymous, "control_character", "q")


def test_nul_in_the_anonymous_login_form_is_refused_in_french(web, make_user):
    user = make_user("coordinator")
    token = web.csrf("/login")
    for data in (
        {"email": "a\x00@example.org", "password": "x"},
        {"email": user.email, "password": PASSWORD + "\x00"},
    ):
        response = web.post("/login", data={**data, "csrf_token": token})
        assert response.status_code == 400
        page = response.get_data(as_text=True)
        assert "caractère de contrôle" in page and "U+0000" in page, page[-800:]
    assert web.login(user.email, PASSWORD).status_code == 302


def test_nul_in_page_query_strings_is_refused(web, make_user):
    user = make_user("coordinator")
    assert web.login(user.email, PASSWORD).status_code == 302
    for url, field in [
        ("/devices/?q=%00", "q"),
        ("/donations/?q=%00", "q"),
        ("/go?tag=%00", "tag"),
        ("/go?tag=AB%01", "tag"),
        ("/devices/?q=a%0Ab", "q"),
    ]:
        response = web.get(url)
        assert response.status_code == 400, url
        page = response.get_data(as_text=True)
        assert f"Le champ « {field} » contient un caractère de contrôle" in page, url
    assert web.get("/go?tag=%20").status_code == 302


def test_nul_in_a_donation_form_field_is_refused(web, make_user, make_org, db):
    user = make_user("coordinator")
    donor = make_org("collectivite")
    assert web.login(user.email, PASSWORD).status_code == 302
    form = {
        "donor_id": str(donor.id),
        "received_on": "2026-11-20",
        "place": "Mairie",
        "notes": "déposé\x00",
    }
    for i in range(6):
        form |= {f"items-{i}-type": "laptop", f"items-{i}-count": "1" if i == 0 else ""}
    response = web.post_form("/donations/new", form)
    assert response.status_code == 400
    assert "« notes »" in response.get_data(as_text=True)
    assert db.exec(select(Donation)).all() == []
    response = web.post_form("/donations/new", {**form, "notes": "déposé\r\nau local"})
    assert response.status_code == 302, response.get_data(as_text=True)[-500:]


def test_search_wildcards_are_matched_literally(api, tokens, make_device, db, web, make_user):
    devices = [make_device("received") for _ in range(3)]
    for device, model in zip(
        devices, ["Remise 50% ThinkPad", "500 GB ThinkPad", "x_y"], strict=True
    ):
        device.model = model
        db.add(device)
    db.commit()

    def models(query: str) -> set[str]:
        response = api("GET", f"/api/v1/devices?q={query}", token=tokens["user"])
        assert response.status_code == 200, response.get_json()
        return {item["model"] for item in response.get_json()["items"]}

    assert models("50%25") == {"Remise 50% ThinkPad"}
    assert models("0_") == set()
    assert models("x_") == {"x_y"}
    assert models("%25") == {"Remise 50% ThinkPad"}
    assert models("%5C") == set()
    assert models("ThinkPad") == {"Remise 50% ThinkPad", "500 GB ThinkPad"}
    assert len(db.exec(select(Device)).all()) == 3


def test_donation_searches_match_wildcards_literally(make_org, make_donation, api, tokens):
    make_donation(donor=make_org("collectivite", "Mairie_Nord"))
    make_donation(donor=make_org("collectivite", "MairieXNord"))

    def donors(query: str) -> set[str]:
        response = api("GET", f"/api/v1/stock/donations?q={query}", token=tokens["user"])
        assert response.status_code == 200, response.get_json()
        return {item["donor_name"] for item in response.get_json()["items"]}

    assert donors("Mairie_N") == {"Mairie_Nord"}
    assert donors("Mairie%25") == set()
    assert donors("Nord") == {"Mairie_Nord", "MairieXNord"}


def test_query_integers_beyond_64_bits_are_refused_naming_the_parameter(api, tokens):
    response = api("GET", "/api/v1/stock/donations?offset=1" + "0" * 40, token=tokens["user"])
    _refused(response, "int64", "offset")
    response = api("GET", f"/api/v1/stock/donations?offset={2**40}", token=tokens["user"])
    assert response.status_code == 200, response.get_json()


def test_page_query_numbers_beyond_the_database_or_not_ascii_are_not_errors(web, make_user):
    user = make_user("coordinator")
    assert web.login(user.email, PASSWORD).status_code == 302
    huge = "1" + "0" * 40
    # "²" passes str.isdigit() but not int(); 10**40 overflowed OFFSET.
    for url, status in [
        (f"/devices/?page={huge}", 200),
        (f"/donations/?page={huge}", 200),
        ("/devices/?page=%C2%B2", 200),
        ("/donations/?page=%C2%B2", 200),
        ("/donations/?donor=%C2%B2", 200),
        ("/devices/?donation=%C2%B2", 400),
        (f"/devices/?donation={huge}", 400),
        ("/waste/register.csv?year=%C2%B2", 200),
    ]:
        assert web.get(url).status_code == status, url
