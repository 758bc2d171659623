"""The client and the sender against a scripted HTTP server: each answer decides the item's fate."""

from __future__ import annotations

import json
import socket

import pytest

from agents.client import ServerClient, ServerRejected, ServerUnreachable, TokenRefused
from agents.sync.sender import flush

CREATED = (201, {"status": "created", "kind": "k", "result": {"asset_tag": "K7QX4M2PR"}})
DUPLICATE = (200, {"status": "duplicate", "kind": "k", "result": {"asset_tag": "K7QX4M2PR"}})


def client_for(scripted, token="atl_test"):
    return ServerClient(scripted.url, token, timeout=5, agent_version="9.9")


def test_records_are_posted_byte_for_byte_with_the_bearer_token(scripted, make_outbox):
    box = make_outbox()
    items = [box.enqueue("inventory.snapshot", {"n": n}) for n in range(3)]
    scripted.answers = [CREATED]
    report = flush(box, client_for(scripted))
    assert report.created == 3 and report.stopped_by is None
    assert [r["raw"] for r in scripted.requests] == [i.body for i in items]
    first = scripted.requests[0]
    assert (first["method"], first["path"]) == ("POST", "/api/v1/bench/records")
    assert first["headers"]["Authorization"] == "Bearer atl_test"
    assert box.counts()["acked"] == 3
    assert report.results[items[0].id] == {"asset_tag": "K7QX4M2PR"}


def test_a_duplicate_answer_acknowledges_the_item(scripted, make_outbox):
    box = make_outbox()
    box.enqueue("k", {})
    scripted.answers = [DUPLICATE]
    report = flush(box, client_for(scripted))
    assert (report.created, report.duplicates) == (0, 1)
    assert box.pending_count() == 0


def test_a_permanent_refusal_is_kept_with_its_reason_and_the_next_item_goes(
    scripted, make_outbox, error_body
):
    box = make_outbox()
    bad, good = box.enqueue("k", {}), box.enqueue("k", {})
    scripted.answers = [
        (422, error_body("invalid", "Input should be an integer", "payload.cpu")),
        CREATED,
    ]
    report = flush(box, client_for(scripted))
    assert (report.rejected, report.created) == (1, 1)
    rejected = box.get(bad.id)
    assert rejected.state == "rejected"
    assert rejected.last_error == "HTTP 422 invalid: Input should be an integer (field payload.cpu)"
    assert box.get(good.id).state == "acked"


def test_an_idempotency_conflict_is_permanent(scripted, make_outbox, error_body):
    box = make_outbox()
    item = box.enqueue("k", {})
    scripted.answers = [(409, error_body("idempotency_conflict", "key reused"))]
    flush(box, client_for(scripted))
    assert box.get(item.id).state == "rejected"


@pytest.mark.parametrize("status", [500, 502, 503, 408, 429])
def test_a_transient_failure_reschedules_and_stops_the_pass(scripted, make_outbox, status):
    box = make_outbox()
    first, second = box.enqueue("k", {}), box.enqueue("k", {})
    scripted.answers = [(status, b"<html>proxy error</html>")]
    report = flush(box, client_for(scripted))
    assert isinstance(report.stopped_by, ServerRejected) and report.stopped_by.transient
    assert report.stopped_by.code == f"http_{status}"
    assert len(scripted.requests) == 1
    again = box.get(first.id)
    assert again.state == "ready" and again.attempts == 1 and again.last_error
    assert box.get(second.id).attempts == 0
    assert box.claim().id == second.id, "the failed item waits for its backoff"


def test_a_refused_token_stops_everything_and_keeps_the_item_due(scripted, make_outbox, error_body):
    box = make_outbox()
    item = box.enqueue("k", {})
    scripted.answers = [(401, error_body("unauthorized", "invalid token"))]
    report = flush(box, client_for(scripted))
    assert isinstance(report.stopped_by, TokenRefused)
    assert report.stopped_by.message == "invalid token"
    assert box.get(item.id).state == "ready"


def test_an_unreachable_server_is_a_transient_failure(make_outbox):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    box = make_outbox()
    item = box.enqueue("k", {})
    report = flush(box, ServerClient(f"http://127.0.0.1:{port}", "t", timeout=2))
    assert isinstance(report.stopped_by, ServerUnreachable)
    assert box.get(item.id).last_error.startswith("server unreachable")


def test_put_disks_and_heartbeat_send_what_the_contract_says(scripted):
    client = client_for(scripted)
    scripted.answers = [(200, {"count": 1}), (200, {"id": 3, "name": "Établi 2"})]
    assert client.put_disks("2026-11-22T12:00:00+00:00", [{"name": "sda"}]) == 1
    assert client.heartbeat()["name"] == "Établi 2"
    disks, beat = scripted.requests
    assert (disks["method"], disks["path"]) == ("PUT", "/api/v1/bench/disks")
    assert json.loads(disks["raw"]) == {
        "observed_at": "2026-11-22T12:00:00+00:00",
        "disks": [{"name": "sda"}],
    }
    assert json.loads(beat["raw"]) == {"agent_version": "9.9"}


def test_enroll_sends_no_token_and_reports_an_invalid_code(scripted, error_body):
    client = ServerClient(scripted.url, timeout=5, agent_version="9.9")
    scripted.answers = [(403, error_body("invalid_enrollment_code", "unknown or used code"))]
    with pytest.raises(ServerRejected) as caught:
        client.enroll("ABCD-EFGH", "bench-2")
    assert caught.value.status == 403 and caught.value.code == "invalid_enrollment_code"
    assert "Authorization" not in scripted.requests[0]["headers"]
    assert json.loads(scripted.requests[0]["raw"]) == {
        "code": "ABCD-EFGH",
        "hostname": "bench-2",
        "agent_version": "9.9",
    }
