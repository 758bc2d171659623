"""Many clients reserve the same devices at once, over real HTTP, on SQLite and PostgreSQL.

The app runs in a threaded werkzeug server (one thread per request, each with its own
database session and transaction); client threads wait on a barrier and then post together.
"""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from sqlmodel import select
from werkzeug.serving import make_server

from workshop.models import Device, DeviceStatus, ReservationItem
from workshop.services.events import verify_chain

CLIENTS = 16


@pytest.fixture
def server(app) -> Iterator[str]:
    """The app behind a real threaded HTTP server on a free port."""
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    thread.join(timeout=10)


def _post(url: str, token: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def _race(url: str, calls: list[tuple[str, dict[str, Any]]]) -> list[tuple[int, dict[str, Any]]]:
    """Send every (token, body) at the same moment; answers in call order."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(index: int, token: str, body: dict[str, Any]) -> None:
        barrier.wait()
        results[index] = _post(url, token, body)

    threads = [
        threading.Thread(target=run, args=(i, token, body)) for i, (token, body) in enumerate(calls)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert all(r is not None for r in results), "a client got no answer"
    return results


@pytest.fixture
def tokens(member, token_for) -> list[str]:
    return [token_for(member()) for _ in range(CLIENTS)]


def _assert_losers_told(results: list[tuple[int, dict[str, Any]]]) -> None:
    for status, body in results:
        if status != 201:
            assert status == 409, body
            assert body["error"]["code"] == "already_reserved", body
            assert "already reserved" in body["error"]["message"], body


def test_one_winner_per_device(server, db, available, tokens):
    devices = [available() for _ in range(4)]
    calls = [
        (token, {"asset_tags": [devices[i % len(devices)].asset_tag]})
        for i, token in enumerate(tokens)
    ]
    results = _race(f"{server}/api/v1/reservations", calls)
    winners = Counter(body["devices"][0]["asset_tag"] for status, body in results if status == 201)
    assert winners == Counter({d.asset_tag: 1 for d in devices})
    _assert_losers_told(results)
    db.commit()
    db.expire_all()
    for device in devices:
        assert db.get(Device, device.id).status == DeviceStatus.RESERVED
        items = db.exec(select(ReservationItem).where(ReservationItem.device_id == device.id))
        assert len(items.all()) == 1
    assert verify_chain(db).ok


def test_overlapping_multi_device_requests_never_share_a_device(server, db, available, tokens):
    devices = [available() for _ in range(5)]
    # Client i asks for devices i, i+1 and i+2 (mod 5): every pair of requests overlaps
    # somewhere, in different orders; nobody may end up with a device someone else holds.
    calls = [
        (token, {"asset_tags": [devices[(i + k) % 5].asset_tag for k in (2, 0, 1)]})
        for i, token in enumerate(tokens)
    ]
    results = _race(f"{server}/api/v1/reservations", calls)
    held = [d["asset_tag"] for status, body in results if status == 201 for d in body["devices"]]
    assert held and len(held) == len(set(held))
    _assert_losers_told(results)
    db.commit()
    db.expire_all()
    reserved = db.exec(select(Device).where(Device.status == DeviceStatus.RESERVED)).all()
    assert sorted(d.asset_tag for d in reserved) == sorted(held)
    assert verify_chain(db).ok


def test_a_reservation_is_handed_over_once(server, db, available, member, make_user, token_for):
    user = member()
    reserved = _post(
        f"{server}/api/v1/reservations",
        token_for(user),
        {"asset_tags": [available().asset_tag, available().asset_tag]},
    )
    assert reserved[0] == 201, reserved
    coordinators = [token_for(make_user("coordinator")) for _ in range(6)]
    url = f"{server}/api/v1/reservations/{reserved[1]['id']}/handover"
    results = _race(url, [(token, {}) for token in coordinators])
    statuses = Counter(status for status, _ in results)
    assert statuses == Counter({200: 1, 409: 5}), results
    db.commit()
    db.expire_all()
    handed = db.exec(select(Device).where(Device.status == DeviceStatus.HANDED_OVER)).all()
    assert len(handed) == 2 and {d.recipient_id for d in handed} == {user.organisation_id}
    assert verify_chain(db).ok
