"""Benches talking to the server: enrollment, idempotent records, inventory matching, disks."""

from __future__ import annotations

import json
import threading

from sqlalchemy import func
from sqlmodel import Session, select

from workshop.models import Bench, BenchRecord, Component, Device, Event
from workshop.services.actors import Actor
from workshop.services.enrollment import create_enrollment_code


def _send(api, token, payload, key="key-00000001", **extra):
    body = {"idempotency_key": key, "kind": "inventory.snapshot", "payload": payload, **extra}
    return api("POST", "/api/v1/bench/records", token=token, json=body)


def _count(db, model):
    db.commit()
    return db.exec(select(func.count()).select_from(model)).one()


def test_enrollment_code_is_one_time(api, db, make_user):
    coordinator = make_user("coordinator")
    _, code = create_enrollment_code(db, Actor(user=coordinator), bench_name="Établi 4")
    db.commit()
    response = api("POST", "/api/v1/enroll", json={"code": code.lower(), "hostname": "live"})
    assert response.status_code == 201
    body = response.get_json()
    assert body["bench_name"] == "Établi 4" and body["token"].startswith("atl_")
    assert api("GET", "/api/v1/me", token=body["token"]).get_json()["bench_id"] == body["bench_id"]
    again = api("POST", "/api/v1/enroll", json={"code": code})
    assert again.status_code == 403
    assert again.get_json()["error"]["code"] == "invalid_enrollment_code"
    stored = db.exec(select(Bench)).one()
    assert body["token"] not in json.dumps(stored.model_dump(mode="json"))


def test_expired_code_is_refused(api, db, make_user):
    from datetime import timedelta

    from workshop.models import EnrollmentCode
    from workshop.models.base import utcnow

    row, code = create_enrollment_code(db, Actor(user=make_user("coordinator")))
    row.expires_at = utcnow() - timedelta(seconds=1)
    db.commit()
    assert api("POST", "/api/v1/enroll", json={"code": code}).status_code == 403
    assert db.exec(select(EnrollmentCode)).one().used_at is None


def test_new_machine_creates_a_device_then_replay_is_a_duplicate(api, db, make_bench, snapshot):
    bench, token = make_bench()
    first = _send(api, token, snapshot())
    assert first.status_code == 201
    result = first.get_json()["result"]
    assert result["match"] == "created" and len(result["asset_tag"]) == 9
    replay = _send(api, token, snapshot())
    assert replay.status_code == 200
    assert replay.get_json() == {**first.get_json(), "status": "duplicate"}
    assert _count(db, Device) == 1 and _count(db, BenchRecord) == 1
    device = db.exec(select(Device)).one()
    assert (device.vendor, device.serial, device.type, device.status) == (
        "LENOVO",
        "PF0QMY5N",
        "laptop",
        "inventoried",
    )
    kinds = {c.kind for c in db.exec(select(Component))}
    assert kinds == {"cpu", "memory", "disk", "battery", "gpu", "network"}


def test_reused_key_with_other_content_is_a_conflict(api, make_bench, snapshot):
    _, token = make_bench()
    assert _send(api, token, snapshot()).status_code == 201
    response = _send(api, token, snapshot(serial="OTHER123"))
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "idempotency_conflict"


def test_known_machine_matches_by_serial_or_uuid(api, db, make_bench, snapshot):
    _, token = make_bench()
    _send(api, token, snapshot(), key="key-first-1")
    by_uuid = _send(api, token, snapshot(serial=None), key="key-second")
    assert by_uuid.get_json()["result"]["match"] == "existing"
    by_serial = _send(api, token, snapshot(uuid=None), key="key-third-3")
    assert by_serial.get_json()["result"]["match"] == "existing"
    assert _count(db, Device) == 1


def test_placeholder_serials_never_merge_two_machines(api, db, make_bench, snapshot):
    _, token = make_bench()
    placeholder = "To be filled by O.E.M."
    one = _send(api, token, snapshot(serial=placeholder, uuid=None), key="key-oem-0001")
    two = _send(api, token, snapshot(serial=placeholder, uuid=None), key="key-oem-0002")
    for response in (one, two):
        assert response.status_code == 201
        assert response.get_json()["result"]["match"] == "unidentified"
    assert _count(db, Device) == 0
    waiting = db.exec(select(BenchRecord).where(BenchRecord.needs_binding)).all()
    assert len(waiting) == 2


def test_waiting_snapshot_is_bound_to_a_scanned_tag(
    api, db, make_bench, make_device, make_user, snapshot
):
    from workshop.services.accounts import issue_token

    _, bench_token = make_bench()
    device = make_device("received")
    token = issue_token(db, user=make_user("technician"))
    db.commit()
    sent = _send(api, bench_token, snapshot(serial="0123456789", uuid=None))
    assert sent.get_json()["result"]["match"] == "unidentified"
    record = db.exec(select(BenchRecord)).one()
    label = f"{device.asset_tag[:4]}-{device.asset_tag[4:8]}-{device.asset_tag[8]}"
    response = api(
        "POST",
        f"/api/v1/records/{record.id}/binding",
        token=token,
        json={"asset_tag": label.lower()},
    )
    assert response.status_code == 200
    assert response.get_json()["result"]["asset_tag"] == device.asset_tag
    db.commit()
    db.expire_all()
    assert db.get(Device, device.id).status == "inventoried"
    again = api(
        "POST", f"/api/v1/records/{record.id}/binding", token=token, json={"asset_tag": label}
    )
    assert again.status_code == 404


def test_snapshot_bound_at_the_bench_goes_to_that_device(
    api, db, make_bench, make_device, snapshot
):
    _, token = make_bench()
    device = make_device("received")
    response = _send(api, token, snapshot(), asset_tag=device.asset_tag)
    assert response.get_json()["result"] == {
        "match": "bound",
        "asset_tag": device.asset_tag,
        "label": f"{device.asset_tag[:4]}-{device.asset_tag[4:8]}-{device.asset_tag[8]}",
    }
    unknown = _send(api, token, snapshot(), key="key-unknown1", asset_tag="0000-0000-0")
    assert unknown.status_code == 404 and unknown.get_json()["error"]["field"] == "asset_tag"


def test_added_and_removed_parts_are_events(api, db, make_bench, snapshot):
    _, token = make_bench()
    _send(
        api,
        token,
        snapshot(disks=[("DISK-A", 10**11)], memory=[("RAM-A", 2**33)]),
        key="key-inv-0001",
    )
    assert not [e for e in db.exec(select(Event)) if e.kind.startswith("component.")]
    _send(
        api,
        token,
        snapshot(disks=[("DISK-B", 10**11)], memory=[("RAM-A", 2**33), ("RAM-B", 2**33)]),
        key="key-inv-0002",
    )
    db.commit()
    changes = sorted(
        (e.kind, json.loads(e.data)["serial"])
        for e in db.exec(select(Event))
        if e.kind.startswith("component.")
    )
    assert changes == [
        ("component.added", "DISK-B"),
        ("component.added", "RAM-B"),
        ("component.removed", "DISK-A"),
    ]
    gone = db.exec(select(Component).where(Component.serial == "DISK-A")).one()
    assert gone.removed_at is not None


def test_same_key_sent_concurrently_arrives_once(app, engine, make_bench, snapshot):
    _, token = make_bench()
    client_results: list[int] = []

    def send() -> None:
        client = app.test_client()
        response = client.post(
            "/api/v1/bench/records",
            headers={"Authorization": f"Bearer {token}"},
            json={
                "idempotency_key": "key-race-0001",
                "kind": "inventory.snapshot",
                "payload": snapshot(),
            },
        )
        client_results.append(response.status_code)

    threads = [threading.Thread(target=send) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(client_results) == [200] * 5 + [201]
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(BenchRecord)).one() == 1
        assert session.exec(select(func.count()).select_from(Device)).one() == 1


def test_bench_reports_its_disks(api, make_bench, make_user, db, snapshot):
    from workshop.services.accounts import issue_token

    bench, token = make_bench()
    disks = snapshot()["disks"]
    response = api(
        "PUT",
        "/api/v1/bench/disks",
        token=token,
        json={"observed_at": "2026-11-20T10:00:00Z", "disks": disks},
    )
    assert response.status_code == 200 and response.get_json() == {"count": 1}
    staff = issue_token(db, user=make_user("technician"))
    db.commit()
    seen = api("GET", f"/api/v1/benches/{bench.id}", token=staff).get_json()
    assert [d["serial"]["value"] for d in seen["disks"]] == ["S3Z9NB0K123456"]
    bad = api(
        "PUT",
        "/api/v1/bench/disks",
        token=token,
        json={"observed_at": "2026-11-20T10:00:00Z", "disks": [{"name": "sda"}]},
    )
    assert bad.status_code == 422 and bad.get_json()["error"]["field"].startswith("disks.0.")


def test_api_reads_while_a_bench_writes_never_fail(app, db, make_bench, make_user, snapshot):
    """Token reads write last_used_at: they must queue behind writers, not fail "locked"."""
    from workshop.services.accounts import issue_token

    _, bench_token = make_bench()
    staff = issue_token(db, user=make_user("technician"))
    db.commit()
    statuses: list[int] = []

    def writer(n: int) -> None:
        client = app.test_client()
        for i in range(8):
            response = client.post(
                "/api/v1/bench/records",
                headers={"Authorization": f"Bearer {bench_token}"},
                json={
                    "idempotency_key": f"key-w{n}-{i:04d}",
                    "kind": "inventory.snapshot",
                    "payload": snapshot(serial=f"SN-{n}-{i}"),
                },
            )
            statuses.append(response.status_code)

    def reader() -> None:
        client = app.test_client()
        for _ in range(16):
            for path in ("/api/v1/me", "/api/v1/devices?limit=5"):
                statuses.append(
                    client.get(path, headers={"Authorization": f"Bearer {staff}"}).status_code
                )

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(2)]
    threads += [threading.Thread(target=reader) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(statuses) == 2 * 8 + 3 * 32
    assert set(statuses) <= {200, 201}, sorted(set(statuses))
