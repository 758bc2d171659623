"""Every API operation gets malformed input: a clear 4xx naming the field, nothing written."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from sqlalchemy import func
from sqlmodel import select

from workshop.api.registry import OPERATIONS
from workshop.models import BenchRecord, Device, Donation, Event, LabelJob
from workshop.services.accounts import issue_token

# A valid body per operation taking one; the bad inputs are derived from it.
VALID_BODIES: dict[str, dict[str, Any]] = {
    "api.transition": {"status": "inventoried", "reason": "scan"},
    "api.create_donation": {
        "donor_id": "{donor_id}",
        "received_on": "2026-11-20",
        "place": "Dépôt",
        "notes": "",
        "items": [
            {"type": "laptop", "count": 2, "serials": ["SN1"], "vendor": "HP", "model": "EliteBook"}
        ],
    },
    "api.add_items": {"items": [{"type": "screen", "count": 1}]},
    "api.heartbeat": {"agent_version": "0.1.0"},
    "api.enroll": {"code": "{code}", "hostname": "poste-3", "agent_version": "0.1.0"},
    "api.enroll_site": {"secret": "{site_secret}", "hostname": "PC 1", "agent_version": "0.1.0"},
    "api.send_record": {
        "idempotency_key": "{key}",
        "kind": "inventory.snapshot",
        "payload": "{snapshot}",
        "created_at": "2026-11-20T09:30:00Z",
    },
    "api.put_disks": {"observed_at": "2026-11-20T09:30:00Z", "disks": "{disks}"},
    "api.bind": {"asset_tag": "{tag}"},
    "api.put_drives_declared": {"count": 2},
    "api.create_printer": {
        "name": "{key}",
        "uri": "tcp://127.0.0.1:9",
        "profile": "tm-t20ii",
        "media": "58mm",
        "qr_mode": "native",
    },
    "api.print_label": {"printer_id": "{printer_id}"},
    "api.bench_result": {"printed": True, "error": "paper out"},
    "api.reserve": {
        "asset_tags": "{available_tags}",
        "organisation_id": "{association_id}",
        "note": "pour l'atelier",
    },
    "api.refuse": {"reason": "plus de stock"},
    "api.confirm": {"comment": "retrait jeudi 14 h"},
    "api.cancel": {"reason": "besoin couvert"},
    "api.handover": {"comment": "remis en main propre"},
    "api.create_need": {
        "device_type": "laptop",
        "quantity": 2,
        "min_ram_gb": 8,
        "ssd_only": True,
        "note": "salle informatique",
        "organisation_id": "{association_id}",
    },
    "api.answer_offer": {"accept": True},
    "api.verify_document": {"key_id": "0123456789abcdef", "payload": {}, "signature": "AAAA"},
    "api.verify_pdf_document": {"pdf": "JVBERi0xLjcgbm90IHJlYWxseQ=="},
    "api.create_task": {
        "kind": "wipe",
        "disk": "sdt",
        "serial": "SER-T",
        "size_bytes": 8192,
        "method": "zero",
        "verify": "sample",
        "asset_tag": None,
    },
    "api.create_machine_diagnostic": {"asset_tag": None},
    "api.put_progress": {
        "phase": "pass 1/1",
        "done_bytes": 4096,
        "total_bytes": 8192,
        "rate_bytes_per_s": 1.5e8,
        "eta_seconds": 0.5,
    },
}
BENCH_OPS = {
    "api.heartbeat",
    "api.send_record",
    "api.put_disks",
    "api.bench_result",
    "api.put_progress",
}
WRONG_TYPES: dict[type, Any] = {str: 12345, int: "many", list: "not-a-list", dict: ["x"]}
# Values a lax parser would coerce into the field's type; JSON types are kept apart.
COERCIBLE: dict[type, list[Any]] = {int: [True, "3"], bool: [0, "true"], float: [True, "1.5"]}
DATE_COERCIBLE = [0, 1700000000, "2026-1-5"]
TIME_COERCIBLE = [0, "2026-11-20T09:30:00", "2026-11-20"]


@pytest.fixture
def setup(db, make_user, make_bench, make_donation, make_device, snapshot):
    from workshop.services.actors import Actor
    from workshop.services.bench_records import receive_record
    from workshop.services.enrollment import create_enrollment_code, create_site_secret
    from workshop.services.printing import create_printer, queue_label

    coordinator = make_user("coordinator")
    bench, bench_token = make_bench()
    donation = make_donation(count=1)
    device = make_device("received", donation=donation)
    token = issue_token(db, user=coordinator)
    _, code = create_enrollment_code(db, Actor(user=coordinator))
    _, site_secret = create_site_secret(db, Actor(user=coordinator), site_name="Site")
    printer = create_printer(
        db,
        Actor(user=coordinator),
        name="Établi",
        uri="usb://0416:5011",
        profile="pos-5890",
        media="58mm",
        bench_id=bench.id,
    )
    job = queue_label(db, Actor(user=coordinator), device, printer, base_url="http://test")
    waiting = receive_record(
        db,
        Actor(bench=bench),
        key="waiting-0001",
        kind="inventory.snapshot",
        payload=snapshot(serial=None, uuid=None),
        extra={},
    )
    db.commit()
    reservation = _pending_reservation(db, make_device)
    return {
        "task_uid": _bench_disks_and_task(db, bench),
        "reservation_id": reservation.id,
        "offer_id": _offer(db, make_device, reservation.organisation_id),
        "available_tag": make_device("available").asset_tag,
        "association_id": reservation.organisation_id,
        "user_token": token,
        "bench_token": bench_token,
        "donation": donation,
        "tag": device.asset_tag,
        "donor_id": donation.donor_id,
        "code": code,
        "site_secret": site_secret,
        "snapshot": snapshot(),
        "record_id": waiting.record.id,
        "printer_id": printer.id,
        "job_id": job.id,
    }


def _bench_disks_and_task(db, bench) -> str:
    """Bench disks sdt (free, for create_task) and sdu (running a diagnostic: its uid)."""
    from datetime import UTC, datetime

    from workshop.services.actors import SYSTEM, Actor
    from workshop.services.bench_tasks import request_task
    from workshop.services.organisations import record_disks

    disks = [
        {"name": name, "serial": {"value": serial, "placeholder": False}, "size_bytes": 8192}
        for name, serial in (("sdt", "SER-T"), ("sdu", "SER-U"))
    ]
    record_disks(db, Actor(bench=bench), disks=disks, observed_at=datetime.now(UTC))
    task = request_task(
        db, SYSTEM, bench.id, kind="diagnose", disk_name="sdu", serial="SER-U", size_bytes=8192
    )
    db.commit()
    return task.uid


def _pending_reservation(db, make_device):
    from workshop.models import OrganisationKind
    from workshop.services.actors import SYSTEM
    from workshop.services.organisations import create_organisation
    from workshop.services.reservations import reserve_devices

    association = create_organisation(db, SYSTEM, kind=OrganisationKind.ASSOCIATION, name="Asso")
    tag = make_device("available").asset_tag
    reservation = reserve_devices(
        db, SYSTEM, asset_tags=[tag], organisation_id=association.id, hold_days=7
    )
    db.commit()
    return reservation


def _offer(db, make_device, organisation_id: int) -> int:
    from workshop.services.actors import SYSTEM
    from workshop.services.needs import create_need, match_needs

    create_need(db, SYSTEM, device_type="laptop", quantity=1, organisation_id=organisation_id)
    make_device("available")
    (offer,) = match_needs(db, hold_days=7)
    db.commit()
    return offer.id


def _token(op, setup) -> str:
    return setup["bench_token"] if op.endpoint in BENCH_OPS else setup["user_token"]


def _path(op, setup) -> str:
    return (
        op.path.replace("<tag>", setup["tag"])
        .replace("<int:donation_id>", str(setup["donation"].id))
        .replace("<int:bench_id>", "1")
        .replace("<int:record_id>", str(setup["record_id"]))
        .replace("<int:job_id>", str(setup["job_id"]))
        .replace("<int:reservation_id>", str(setup["reservation_id"]))
        .replace("<int:offer_id>", str(setup["offer_id"]))
        .replace("<uid>", setup["task_uid"])
    )


def _valid(op, setup) -> dict[str, Any]:
    import uuid

    body = copy.deepcopy(VALID_BODIES[op.endpoint])
    values = {
        "{donor_id}": setup["donor_id"],
        "{code}": setup["code"],
        "{site_secret}": setup["site_secret"],
        "{tag}": setup["tag"],
        "{key}": uuid.uuid4().hex,
        "{snapshot}": setup["snapshot"],
        "{disks}": setup["snapshot"]["disks"],
        "{available_tags}": [setup["available_tag"]],
        "{association_id}": setup["association_id"],
        "{printer_id}": setup["printer_id"],
    }
    return {k: values.get(v, v) if isinstance(v, str) else v for k, v in body.items()}


def _counts(db) -> tuple[int, ...]:
    db.commit()
    return tuple(
        db.exec(select(func.count()).select_from(model)).one()
        for model in (Event, Device, Donation, BenchRecord, LabelJob)
    )


def _max_length(model: Any, key: str) -> int:
    """The declared max_length of a string field (0 when it declares none)."""
    limits = [getattr(m, "max_length", None) for m in model.model_fields[key].metadata]
    return max((n for n in limits if n is not None), default=0)


def _bad_bodies(model: Any, valid: dict[str, Any]) -> list[tuple[str, Any, str | None]]:
    """(description, body, field expected in the error or None)."""
    required = [k for k, f in model.model_fields.items() if f.is_required()]
    cases: list[tuple[str, Any, str | None]] = [("empty object", {}, None)] if required else []
    for key, value in valid.items():
        if key in required:
            missing = {k: v for k, v in valid.items() if k != key}
            cases.append((f"missing {key}", missing, key))
        # Numbers are valid timestamps for pydantic: a date field gets words instead.
        wrong = (
            "yesterday" if key.endswith(("_at", "_on")) else WRONG_TYPES.get(type(value), [1, 2])
        )
        cases.append((f"wrong type {key}", {**valid, key: wrong}, key))
        coercible = (
            TIME_COERCIBLE
            if key.endswith("_at")
            else DATE_COERCIBLE
            if key.endswith("_on")
            else COERCIBLE.get(type(value), [])
        )
        for near in coercible:
            cases.append((f"coercible {key}={near!r}", {**valid, key: near}, key))
        if isinstance(value, str):
            oversized = "x" * max(100_000, _max_length(model, key) + 1)
            cases.append((f"oversized {key}", {**valid, key: oversized}, key))
        if isinstance(value, list) and value and isinstance(value[0], dict):
            for sub in value[0]:
                item = {**value[0], sub: WRONG_TYPES.get(type(value[0][sub]), [1])}
                cases.append(
                    (f"wrong type {key}.0.{sub}", {**valid, key: [item]}, f"{key}.0.{sub}")
                )
    cases.append(("unknown field", {**valid, "surprise": 1}, "surprise"))
    return cases


BODY_OPS = [op for op in OPERATIONS if op.body is not None]


def test_every_body_operation_has_a_valid_example():
    assert {op.endpoint for op in BODY_OPS} == set(VALID_BODIES)


@pytest.mark.parametrize("op", BODY_OPS, ids=lambda op: op.endpoint)
def test_malformed_bodies_are_refused_cleanly(op, setup, api, db):
    before = _counts(db)
    path, token = _path(op, setup), _token(op, setup)
    raw_cases = [
        ("not json", {"data": "status=wiped", "content_type": "text/plain"}, "malformed_json"),
        (
            "broken json",
            {"data": '{"status": ', "content_type": "application/json"},
            "malformed_json",
        ),
        ("json array", {"json": [1, 2]}, "malformed_json"),
        ("json null", {"data": "null", "content_type": "application/json"}, "malformed_json"),
    ]
    for description, kwargs, code in raw_cases:
        response = api(op.method.upper(), path, token=token, **kwargs)
        assert response.status_code == 400, description
        assert response.get_json()["error"]["code"] == code, description
    for description, body, field in _bad_bodies(op.body, _valid(op, setup)):
        response = api(op.method.upper(), path, token=token, json=body)
        assert response.status_code == 422, (description, response.get_json())
        error = response.get_json()["error"]
        assert error["code"] == "invalid" and error["message"], description
        if field:
            assert error["field"] == field, (description, error)
        else:
            assert error["field"], description
    assert _counts(db) == before


@pytest.mark.parametrize("op", BODY_OPS, ids=lambda op: op.endpoint)
def test_the_valid_example_is_accepted(op, setup, api):
    response = api(
        op.method.upper(), _path(op, setup), token=_token(op, setup), json=_valid(op, setup)
    )
    assert response.status_code in (200, 201), response.get_json()


def test_an_integral_number_is_an_integer_as_json_schema_reads_it(setup, api):
    op = next(op for op in BODY_OPS if op.endpoint == "api.put_drives_declared")
    path, token = _path(op, setup), _token(op, setup)
    answer = api("PUT", path, token=token, data='{"count": 2.0}', content_type="application/json")
    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json()["drives_declared"] == 2
    answer = api("PUT", path, token=token, data='{"count": 2.5}', content_type="application/json")
    assert answer.status_code == 422 and answer.get_json()["error"]["field"] == "count"


def test_bad_query_values_name_the_parameter(setup, api):
    token = setup["user_token"]
    for query, field in [
        ("status=bogus", "status"),
        ("limit=0", "limit"),
        ("limit=abc", "limit"),
        ("offset=-1", "offset"),
        ("type=toaster", "type"),
        ("q=" + "x" * 200, "q"),
        ("unknown=1", "unknown"),
    ]:
        response = api("GET", f"/api/v1/devices?{query}", token=token)
        assert response.status_code == 422, query
        assert response.get_json()["error"]["field"] == field, query
    response = api("GET", "/api/v1/organisations?kind=planet", token=token)
    assert response.get_json()["error"]["field"] == "kind"


def test_unknown_ids_and_bad_tags(setup, api):
    token = setup["user_token"]
    assert api("GET", "/api/v1/donations/999999", token=token).status_code == 404
    assert api("GET", "/api/v1/donations/abc", token=token).status_code == 404
    assert api("GET", "/api/v1/benches/999999", token=token).status_code == 404
    response = api("GET", "/api/v1/devices/NOPE", token=token)
    assert response.status_code == 422 and response.get_json()["error"]["field"] == "asset_tag"
    good = setup["tag"]
    typo = good[:-1] + ("0" if good[-1] != "0" else "1")
    response = api("GET", f"/api/v1/devices/{typo}", token=token)
    assert response.status_code in (404, 422)
    response = api(
        "POST",
        "/api/v1/donations",
        token=token,
        json={**_valid(OPS["api.create_donation"], setup), "donor_id": 999999},
    )
    assert response.status_code == 404 and response.get_json()["error"]["field"] == "donor_id"


def test_unknown_route_and_method_answer_json(setup, api):
    response = api("GET", "/api/v1/nothing-here", token=setup["user_token"])
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "not_found"
    response = api("DELETE", "/api/v1/devices", token=setup["user_token"])
    assert response.status_code == 405
    assert response.get_json()["error"]["code"] == "method_not_allowed"


OPS = {op.endpoint: op for op in OPERATIONS}
