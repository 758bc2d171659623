"""Every role against every API endpoint and web page: the expected status, nothing more.

The world: donor organisation A gave a donation; donor B is another collectivité; an
association; a bench with its token. Mutating rows get a fresh device each, so one row's
success does not change the next row's answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from workshop.services.accounts import issue_token

ROLES = ["anonymous", "coordinator", "technician", "donor", "other_donor", "association", "bench"]


@dataclass
class World:
    tokens: dict[str, str | None]
    web: dict[str, Any]
    donation_id: int
    bench_id: int
    other_bench_id: int
    fresh_tag: Any
    fresh_record: Any
    printer_id: int
    fresh_job: Any
    fresh_reservation: Any = None
    association_id: int = 0
    fresh_disk: Any = None
    fresh_task: Any = None
    last_disk: dict[str, Any] | None = None


@pytest.fixture
def world(app, db, make_org, make_user, make_bench, make_donation, make_device, web, snapshot):
    donor_org = make_org("collectivite", "Mairie A")
    users = {
        "coordinator": make_user("coordinator"),
        "technician": make_user("technician"),
        "donor": make_user("donor", org=donor_org),
        "other_donor": make_user("donor"),
        "association": make_user("association"),
    }
    bench, bench_token = make_bench("Établi A")
    other_bench, _ = make_bench("Établi B")
    donation = make_donation(donor=donor_org, count=1)
    from workshop.services.donations import donation_devices

    for device in donation_devices(db, donation):
        device.drives_declared = 1  # a drive known: its erasure certificate can be issued
        db.add(device)
    tokens: dict[str, str | None] = {"anonymous": None, "bench": bench_token}
    for role, user in users.items():
        tokens[role] = issue_token(db, user=user)
    db.commit()
    clients: dict[str, Any] = {}
    from tests.conftest import PASSWORD, WebClient

    for role in ROLES:
        client = WebClient(app.test_client())
        if role in users:
            assert client.login(users[role].email, PASSWORD).status_code == 302
        clients[role] = client

    def fresh_tag() -> str:
        db.commit()
        return make_device("received", donation=make_donation(donor=donor_org, count=1)).asset_tag

    def fresh_record() -> int:
        import uuid

        from workshop.services.actors import Actor
        from workshop.services.bench_records import receive_record

        db.commit()  # start a fresh transaction: the app wrote since our last read
        outcome = receive_record(
            db,
            Actor(bench=other_bench),
            key=uuid.uuid4().hex,
            kind="inventory.snapshot",
            payload=snapshot(serial=None, uuid=None),
            extra={},
        )
        db.commit()
        return outcome.record.id

    from workshop.services.actors import SYSTEM
    from workshop.services.printing import create_printer, queue_label, report_job

    printer = create_printer(
        db,
        SYSTEM,
        name="Imprimante A",
        uri="usb://0416:5011",
        profile="pos-5890",
        media="58mm",
        bench_id=bench.id,
    )
    db.commit()

    def fresh_job() -> int:
        from sqlmodel import select

        from workshop.models import Device

        db.commit()
        device = db.exec(select(Device).where(Device.asset_tag == fresh_tag())).one()
        job = queue_label(db, SYSTEM, device, printer, base_url="http://test")
        report_job(db, SYSTEM, job.id, printed=False, error="paper out")
        db.commit()
        return job.id

    world = World(
        tokens,
        clients,
        donation.id,
        bench.id,
        other_bench.id,
        fresh_tag,
        fresh_record,
        printer.id,
        fresh_job,
    )
    world.association_id = users["association"].organisation_id
    world.fresh_reservation = _reservations(db, make_org, make_device, make_donation, world)
    world.fresh_disk, world.fresh_task = _bench_tasks(db, bench, world)
    return world


def _bench_tasks(db, bench, world) -> tuple[Any, Any]:
    """fresh_disk(): a new free disk on bench A (name); fresh_task(): a queued task on it."""
    import uuid
    from datetime import UTC, datetime

    from workshop.services.actors import SYSTEM, Actor
    from workshop.services.bench_tasks import request_task
    from workshop.services.organisations import record_disks

    def fresh_disk() -> str:
        db.commit()
        name = f"sd{uuid.uuid4().hex[:6]}"
        disk = {"name": name, "model": "M", "serial": {"value": name.upper(), "placeholder": False},
                "size_bytes": 4096, "protected": []}  # fmt: skip
        record_disks(db, Actor(bench=bench), disks=[disk], observed_at=datetime.now(UTC))
        db.commit()
        world.last_disk = disk
        return name

    def fresh_task() -> Any:
        name = fresh_disk()
        task = request_task(db, SYSTEM, bench.id, kind="diagnose", disk_name=name,
                            serial=name.upper(), size_bytes=4096)  # fmt: skip
        db.commit()
        return task

    return fresh_disk, fresh_task


def _reservations(db, make_org, make_device, make_donation, world) -> Any:
    """fresh_reservation(kind): a new reservation id; kind own/other (pending) or handed."""
    from workshop.services.actors import SYSTEM
    from workshop.services.reservations import hand_over, reserve_devices

    other_association = make_org("association", "Autre association")

    def fresh(kind: str) -> int:
        db.commit()
        tag = make_device("available", donation=make_donation(count=1)).asset_tag
        org_id = other_association.id if kind == "other" else world.association_id
        reservation = reserve_devices(
            db, SYSTEM, asset_tags=[tag], organisation_id=org_id, hold_days=7
        )
        if kind == "handed":
            hand_over(db, SYSTEM, reservation)
        if kind == "offer":  # devices offered to one of the association's needs
            from workshop.services.needs import create_need, match_needs
            from workshop.services.reservations import cancel_reservation

            cancel_reservation(db, SYSTEM, reservation)
            create_need(
                db, SYSTEM, device_type="laptop", quantity=1, organisation_id=world.association_id
            )
            reservation = match_needs(db, hold_days=7)[0]
        db.commit()
        return reservation.id

    return fresh


def _expect(**by_role: int) -> dict[str, int]:
    default = by_role.pop("default", None)
    table = {role: by_role.get(role, default) for role in ROLES}
    assert None not in table.values(), by_role
    return table  # type: ignore[return-value]


STAFF_ONLY = dict(coordinator=200, technician=200, anonymous=401, default=403)

API_MATRIX: list[tuple[str, str, Any, dict[str, int]]] = [
    ("GET", "/api/v1/health", None, _expect(default=200)),
    ("GET", "/api/v1/openapi.json", None, _expect(default=200)),
    ("GET", "/api/v1/me", None, _expect(anonymous=401, default=200)),
    ("GET", "/api/v1/devices", None, _expect(anonymous=401, default=200)),
    (
        "GET",
        "/api/v1/devices/{tag}",
        None,
        _expect(anonymous=401, other_donor=404, association=404, default=200),
    ),
    (
        "GET",
        "/api/v1/devices/{tag}/events",
        None,
        _expect(anonymous=401, other_donor=404, association=404, default=200),
    ),
    (
        "POST",
        "/api/v1/devices/{tag}/transitions",
        {"status": "inventoried"},
        _expect(anonymous=401, donor=403, other_donor=404, association=404, default=200),
    ),
    (
        "GET",
        "/api/v1/donations",
        None,
        _expect(anonymous=401, association=403, bench=403, default=200),
    ),
    (
        "POST",
        "/api/v1/donations",
        "new_donation",
        _expect(anonymous=401, coordinator=201, technician=201, default=403),
    ),
    (
        "GET",
        "/api/v1/donations/{donation_id}",
        None,
        _expect(anonymous=401, other_donor=404, association=404, bench=404, default=200),
    ),
    (
        "POST",
        "/api/v1/donations/{donation_id}/items",
        {"items": [{"type": "screen"}]},
        _expect(anonymous=401, coordinator=201, technician=201, donor=403, default=404),
    ),
    ("GET", "/api/v1/organisations", None, _expect(**STAFF_ONLY)),
    ("GET", "/api/v1/benches", None, _expect(**STAFF_ONLY)),
    ("GET", "/api/v1/benches/{bench_id}", None, _expect(bench=200, **STAFF_ONLY)),
    ("GET", "/api/v1/benches/{other_bench_id}", None, _expect(**STAFF_ONLY)),
    (
        "POST",
        "/api/v1/bench/heartbeat",
        {"agent_version": "0.1"},
        _expect(anonymous=401, bench=200, default=403),
    ),
    ("POST", "/api/v1/enroll", {"code": "ZZZZ-ZZZZ"}, _expect(default=403)),
    ("POST", "/api/v1/bench/records", "new_record", _expect(anonymous=401, bench=201, default=403)),
    (
        "PUT",
        "/api/v1/bench/disks",
        {"observed_at": "2026-11-20T10:00:00Z", "disks": []},
        _expect(anonymous=401, bench=200, default=403),
    ),
    ("GET", "/api/v1/benches/{bench_id}/records", None, _expect(bench=200, **STAFF_ONLY)),
    ("GET", "/api/v1/benches/{other_bench_id}/records", None, _expect(**STAFF_ONLY)),
    ("POST", "/api/v1/records/{record_id}/binding", "bind", _expect(**STAFF_ONLY)),
    ("GET", "/api/v1/printers", None, _expect(**STAFF_ONLY)),
    (
        "POST",
        "/api/v1/printers",
        "new_printer",
        _expect(anonymous=401, coordinator=201, default=403),
    ),
    (
        "POST",
        "/api/v1/devices/{tag}/labels",
        "print",
        _expect(anonymous=401, coordinator=201, technician=201, bench=201, donor=403, default=404),
    ),
    ("GET", "/api/v1/label-jobs/{job_id}", None, _expect(bench=200, **STAFF_ONLY)),
    ("POST", "/api/v1/label-jobs/{job_id}/retry", None, _expect(bench=200, **STAFF_ONLY)),
    ("GET", "/api/v1/bench/label-jobs", None, _expect(anonymous=401, bench=200, default=403)),
    (
        "POST",
        "/api/v1/bench/label-jobs/{job_id}/result",
        {"printed": True},
        _expect(anonymous=401, bench=200, default=403),
    ),
    (
        "POST",
        "/api/v1/documents/verification",
        {"key_id": "0123456789abcdef", "payload": {}, "signature": "AAAA"},
        _expect(default=200),
    ),
    (
        "POST",
        "/api/v1/documents/pdf-verification",
        {"pdf": "JVBERi0xLjcgbm90IHJlYWxseQ=="},
        _expect(default=200),
    ),
    (
        "GET",
        "/api/v1/donations/{donation_id}/documents",
        None,
        _expect(anonymous=401, other_donor=404, association=404, bench=404, default=200),
    ),
    ("GET", "/api/v1/devices/{tag}/wipes", None, _expect(**STAFF_ONLY)),
    ("GET", "/api/v1/devices/{tag}/drives", None, _expect(**STAFF_ONLY)),
    ("PUT", "/api/v1/devices/{tag}/drives", {"count": 1}, _expect(**STAFF_ONLY)),
    ("GET", "/api/v1/catalogue", None, _expect(association=200, **STAFF_ONLY)),
    ("GET", "/api/v1/reservations", None, _expect(association=200, **STAFF_ONLY)),
    (
        "POST",
        "/api/v1/reservations",
        "reserve",
        _expect(anonymous=401, coordinator=201, association=201, default=403),
    ),
    ("GET", "/api/v1/reservations/{reservation_id}", None, _expect(association=200, **STAFF_ONLY)),
    (
        "GET",
        "/api/v1/reservations/{other_reservation_id}",
        None,
        _expect(association=404, **STAFF_ONLY),
    ),
    (
        "POST",
        "/api/v1/reservations/{reservation_id}/confirm",
        {},
        _expect(anonymous=401, coordinator=200, default=403),
    ),
    (
        "POST",
        "/api/v1/reservations/{reservation_id}/refuse",
        {"reason": "plus de stock"},
        _expect(anonymous=401, coordinator=200, default=403),
    ),
    (
        "POST",
        "/api/v1/reservations/{reservation_id}/cancel",
        {},
        _expect(anonymous=401, coordinator=200, association=200, default=403),
    ),
    (
        "POST",
        "/api/v1/reservations/{other_reservation_id}/cancel",
        {},
        _expect(anonymous=401, coordinator=200, association=404, default=403),
    ),
    (
        "POST",
        "/api/v1/reservations/{reservation_id}/handover",
        {},
        _expect(anonymous=401, coordinator=200, default=403),
    ),
    ("GET", "/api/v1/needs", None, _expect(association=200, **STAFF_ONLY)),
    (
        "POST",
        "/api/v1/needs",
        "need",
        _expect(anonymous=401, coordinator=201, association=201, default=403),
    ),
    (
        "POST",
        "/api/v1/offers/{offer_reservation_id}/answer",
        {"accept": True},
        _expect(anonymous=401, coordinator=200, association=200, default=403),
    ),
    (
        "POST",
        "/api/v1/benches/{bench_id}/tasks",
        "task",
        _expect(anonymous=401, coordinator=201, technician=201, default=403),
    ),
    (
        "POST",
        "/api/v1/benches/{bench_id}/machine-diagnostic",
        "machine",
        _expect(anonymous=401, coordinator=201, technician=201, default=403),
    ),
    ("GET", "/api/v1/benches/{bench_id}/tasks", None, _expect(bench=200, **STAFF_ONLY)),
    ("GET", "/api/v1/benches/{other_bench_id}/tasks", None, _expect(**STAFF_ONLY)),
    ("POST", "/api/v1/tasks/{task_id}/cancel", None, _expect(**STAFF_ONLY)),
    ("GET", "/api/v1/bench/tasks", None, _expect(anonymous=401, bench=200, default=403)),
    (
        "PUT",
        "/api/v1/bench/tasks/{task_uid}/progress",
        {"phase": "pass 1/1", "done_bytes": 1, "total_bytes": 4096, "rate_bytes_per_s": 1.0},
        _expect(anonymous=401, bench=200, default=403),
    ),
    ("GET", "/api/v1/stock", None, _expect(**STAFF_ONLY)),
    (
        "GET",
        "/api/v1/stock/donations",
        None,
        _expect(anonymous=401, association=403, bench=403, default=200),
    ),
]

WEB_MATRIX: list[tuple[str, str, Any, dict[str, int]]] = [
    ("GET", "/login", None, _expect(default=200)),
    ("GET", "/", None, _expect(anonymous=302, bench=302, default=200)),
    ("GET", "/devices/", None, _expect(anonymous=302, bench=302, default=200)),
    (
        "GET",
        "/devices/{tag}",
        None,
        _expect(anonymous=302, bench=302, other_donor=404, association=404, default=200),
    ),
    (
        "POST",
        "/devices/{tag}",
        {"status": "inventoried"},
        _expect(anonymous=302, bench=302, coordinator=302, technician=302, donor=403, default=404),
    ),
    ("GET", "/donations/", None, _expect(anonymous=302, bench=302, association=403, default=200)),
    (
        "GET",
        "/donations/new",
        None,
        _expect(anonymous=302, bench=302, coordinator=200, technician=200, default=403),
    ),
    (
        "GET",
        "/donations/{donation_id}",
        None,
        _expect(anonymous=302, bench=302, other_donor=404, association=404, default=200),
    ),
    (
        "GET",
        "/benches/",
        None,
        _expect(anonymous=302, bench=302, coordinator=200, technician=200, default=403),
    ),
    (
        "POST",
        "/benches/",
        "new_bench",
        _expect(anonymous=302, bench=302, coordinator=200, default=403),
    ),
    (
        "POST",
        "/benches/",
        {"enroll-bench_name": "Poste 9"},
        _expect(anonymous=302, bench=302, coordinator=200, default=403),
    ),
    (
        "GET",
        "/benches/{bench_id}",
        None,
        _expect(anonymous=302, bench=302, coordinator=200, technician=200, default=403),
    ),
    (
        "GET",
        "/printers/",
        None,
        _expect(anonymous=302, bench=302, coordinator=200, technician=200, default=403),
    ),
    (
        "GET",
        "/devices/{tag}/label.png",
        None,
        _expect(anonymous=302, bench=302, other_donor=404, association=404, default=200),
    ),
    (
        "GET",
        "/devices/{tag}/labels.pdf",
        None,
        _expect(
            anonymous=302,
            bench=302,
            other_donor=404,
            association=404,
            coordinator=200,
            technician=200,
            default=403,
        ),
    ),
    (
        "GET",
        "/donations/{donation_id}/labels.pdf",
        None,
        _expect(
            anonymous=302,
            bench=302,
            other_donor=404,
            association=404,
            coordinator=200,
            technician=200,
            default=403,
        ),
    ),
    (
        "POST",
        "/devices/{tag}/print",
        "print",
        _expect(anonymous=302, bench=302, coordinator=302, technician=302, donor=403, default=404),
    ),
    ("GET", "/verify", None, _expect(default=200)),
    ("GET", "/.well-known/atelier-keys.json", None, _expect(default=200)),
    ("GET", "/d/{tag}", None, _expect(default=200)),
    ("GET", "/portal/", None, _expect(anonymous=302, bench=302, association=403, default=200)),
    (
        "GET",
        "/donations/{donation_id}/documents/attestation.pdf",
        None,
        _expect(anonymous=302, bench=302, other_donor=404, association=404, default=200),
    ),
    (
        "GET",
        "/donations/{donation_id}/documents/erasure.pdf",
        None,
        _expect(anonymous=302, bench=302, other_donor=404, association=404, default=200),
    ),
    ("GET", "/waste/", None, _expect(anonymous=302, bench=302, coordinator=200, default=403)),
    *[
        ("GET", page, None, _expect(anonymous=302, bench=302, coordinator=200, default=403))
        for page in (
            "/admin/",
            "/admin/organisations/",
            "/admin/organisations/new?kind=collectivite",
            "/admin/users/",
            "/admin/workshop/",
            "/admin/benches/",
        )
    ],
    (
        "POST",
        "/admin/organisations/new?kind=association",
        {"name": "Association du tableau des accès", "public_interest": "none"},
        _expect(anonymous=302, bench=302, coordinator=302, default=403),
    ),
    *[
        (
            "GET",
            page,
            None,
            _expect(anonymous=302, bench=302, donor=403, other_donor=403, default=200),
        )
        for page in (
            "/catalogue/",
            "/reservations/",
            "/reservations/{reservation_id}",
            "/reservations/{handed_reservation_id}/bon-de-remise.pdf",
        )
    ],
    (
        "GET",
        "/reservations/{other_reservation_id}",
        None,
        _expect(anonymous=302, bench=302, donor=403, other_donor=403, association=404, default=200),
    ),
    (
        "POST",
        "/catalogue/",
        "reserve_form",
        _expect(anonymous=302, bench=302, coordinator=302, association=302, default=403),
    ),
    (
        "POST",
        "/reservations/{reservation_id}/confirm",
        {"text": ""},
        _expect(anonymous=302, bench=302, coordinator=302, default=403),
    ),
    (
        "POST",
        "/reservations/{reservation_id}/cancel",
        {"text": ""},
        _expect(anonymous=302, bench=302, coordinator=302, association=302, default=403),
    ),
    (
        "GET",
        "/needs/",
        None,
        _expect(anonymous=302, bench=302, donor=403, other_donor=403, default=200),
    ),
    (
        "POST",
        "/reservations/{offer_reservation_id}/decline",
        {"text": ""},
        _expect(anonymous=302, bench=302, coordinator=302, association=302, default=403),
    ),
    (
        "POST",
        "/devices/{tag}/grade",
        {"grade-grade": "A"},
        _expect(anonymous=302, bench=302, coordinator=302, technician=302, donor=403, default=404),
    ),
    (
        "GET",
        "/benches/{bench_id}/stream",
        None,
        _expect(anonymous=302, bench=302, coordinator=200, technician=200, default=403),
    ),
    *[
        (
            "GET",
            page,
            None,
            _expect(anonymous=302, bench=302, coordinator=200, technician=200, default=403),
        )
        for page in ("/benches/stream", "/benches/{bench_id}/disks/{disk}/wipe")
    ],
    (
        "POST",
        "/benches/{bench_id}/disks/{disk}/diagnose",
        "diagnose_form",
        _expect(anonymous=302, bench=302, coordinator=303, technician=303, default=403),
    ),
    (
        "POST",
        "/benches/{bench_id}/machine/diagnose",
        "machine",
        _expect(anonymous=302, bench=302, coordinator=303, technician=303, default=403),
    ),
    (
        "POST",
        "/benches/tasks/{task_id}/cancel",
        {},
        _expect(anonymous=302, bench=302, coordinator=303, technician=303, default=403),
    ),
    (
        "POST",
        "/donations/{donation_id}/labels",
        "print",
        _expect(
            anonymous=302,
            bench=302,
            coordinator=302,
            technician=302,
            other_donor=404,
            association=404,
            default=403,
        ),  # fmt: skip
    ),
    ("GET", "/devices/export.csv", None, _expect(anonymous=302, bench=302, default=200)),
    (
        "GET",
        "/donations/export.csv",
        None,
        _expect(anonymous=302, bench=302, association=403, default=200),
    ),
    (
        "GET",
        "/stock/",
        None,
        _expect(anonymous=302, bench=302, coordinator=200, technician=200, default=403),
    ),
]


def _path(template: str, world: World) -> str:
    values = {
        "donation_id": world.donation_id,
        "bench_id": world.bench_id,
        "other_bench_id": world.other_bench_id,
    }
    if "{tag}" in template:
        values["tag"] = world.fresh_tag()
    if "{record_id}" in template:
        values["record_id"] = world.fresh_record()
    if "{job_id}" in template:
        values["job_id"] = world.fresh_job()
    if "{disk}" in template:
        values["disk"] = world.fresh_disk()
    if "{task_id}" in template or "{task_uid}" in template:
        task = world.fresh_task()
        values["task_id"], values["task_uid"] = task.id, task.uid
    for kind in ("", "other_", "handed_", "offer_"):
        if "{" + kind + "reservation_id}" in template:
            values[f"{kind}reservation_id"] = world.fresh_reservation(kind.rstrip("_") or "own")
    return template.format(**values)


def _body(spec: Any, world: World, db) -> Any:
    if spec == "new_donation":
        from workshop.models import Donation

        donor_id = db.get(Donation, world.donation_id).donor_id
        return {
            "donor_id": donor_id,
            "received_on": "2026-11-20",
            "place": "Dépôt",
            "items": [{"type": "laptop", "count": 1}],
        }
    if spec == "new_record":
        import uuid

        from tests.conftest import build_snapshot

        return {
            "idempotency_key": uuid.uuid4().hex,
            "kind": "inventory.snapshot",
            "payload": build_snapshot(serial=uuid.uuid4().hex[:10]),
        }
    if spec == "print":
        return {"printer_id": world.printer_id}
    if spec == "task":
        name = world.fresh_disk()
        return {"kind": "diagnose", "disk": name, "serial": name.upper(), "size_bytes": 4096}
    if spec == "machine":  # one machine diagnostic at a time: withdraw the last role's
        from sqlmodel import select

        from workshop.models import BenchTask

        db.commit()
        for task in db.exec(select(BenchTask).where(BenchTask.kind == "machine")):
            task.status = "cancelled"
            db.add(task)
        db.commit()
        return {}
    if spec == "diagnose_form":
        assert world.last_disk is not None
        return {"serial": world.last_disk["name"].upper(), "size_bytes": "4096"}
    if spec == "new_printer":
        import uuid

        return {
            "name": uuid.uuid4().hex,
            "uri": "tcp://127.0.0.1:9",
            "profile": "tm-t20ii",
            "media": "58mm",
        }
    if spec == "need":
        return {"device_type": "screen", "quantity": 1, "organisation_id": world.association_id}
    if spec in ("reserve", "reserve_form"):
        db.commit()
        from sqlmodel import select

        from workshop.models import Device
        from workshop.services.actors import SYSTEM
        from workshop.services.devices import transition_device

        device = db.exec(select(Device).where(Device.asset_tag == world.fresh_tag())).one()
        for step in ("inventoried", "tested", "wiped", "graded", "available"):
            transition_device(db, SYSTEM, device, step)
        db.commit()
        if spec == "reserve_form":
            return {"tags": device.asset_tag, "organisation_id": world.association_id}
        return {"asset_tags": [device.asset_tag], "organisation_id": world.association_id}
    if spec == "bind":
        return {"asset_tag": world.fresh_tag()}
    if spec == "new_bench":
        import uuid

        return {"bench-name": f"Établi {uuid.uuid4().hex[:6]}"}
    return spec


def test_api_matrix(world, api, db):
    mismatches = []
    for method, template, spec, expected in API_MATRIX:
        for role in ROLES:
            path = _path(template, world)
            response = api(method, path, token=world.tokens[role], json=_body(spec, world, db))
            if response.status_code != expected[role]:
                mismatches.append(
                    f"{role:12} {method} {template}: {response.status_code} != {expected[role]}"
                )
            if response.status_code >= 400:
                assert set(response.get_json()["error"]) >= {"code", "message", "field"}
    assert not mismatches, "\n".join(mismatches)


def test_web_matrix(world, db):
    mismatches = []
    for method, template, spec, expected in WEB_MATRIX:
        for role in ROLES:
            client = world.web[role]
            path = _path(template, world)
            if method == "GET":
                response = client.get(path)
                response.close()  # a live stream (server-sent events) must not stay open
            else:
                token = client.csrf("/login")
                response = client.post(path, data={**_body(spec, world, db), "csrf_token": token})
            if response.status_code != expected[role]:
                mismatches.append(
                    f"{role:12} {method} {template}: {response.status_code} != {expected[role]}"
                )
    assert not mismatches, "\n".join(mismatches)


def test_bench_token_cannot_act_as_another_bench(world, api):
    response = api("GET", f"/api/v1/benches/{world.other_bench_id}", token=world.tokens["bench"])
    assert response.status_code == 403
    assert "its own bench" in response.get_json()["error"]["message"]


def test_revoked_or_unknown_token_is_refused(world, api, db):
    from sqlmodel import select

    from workshop.models import ApiToken
    from workshop.models.base import utcnow

    for row in db.exec(select(ApiToken)).all():
        row.revoked_at = utcnow()
    db.commit()
    assert api("GET", "/api/v1/me", token=world.tokens["coordinator"]).status_code == 401
    assert api("GET", "/api/v1/me", token="atl_forged").status_code == 401
