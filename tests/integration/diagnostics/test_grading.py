"""Diagnostics from a bench reach the device; a person confirms or overrides the grade."""

from __future__ import annotations

import html
import json

from sqlmodel import select

from tests.conftest import PASSWORD
from workshop.models import Event


def diagnostic(grade="B", disk_verdict="pass", reasons=("battery wear 31% > 25%",)):
    return {
        "schema_version": "1.0", "kind": "diagnostic", "diagnostic_id": "diag-0001",
        "agent_version": "0.1.0", "started_at": "2026-11-20T10:00:00Z",
        "ended_at": "2026-11-20T10:05:00Z", "host": {"system_serial": None},
        "disks": [{
            "name": "sda", "path": "/dev/sda", "model": "ST500LM021", "serial": "W3P0ABCD",
            "health": {"verdict": disk_verdict, "reasons": [] if disk_verdict == "pass" else [
                {"code": "pending", "severity": "fail", "message": "67 pending sectors (attribute 197)"}]},
            "self_test": {"status": "passed"}, "surface_scan": {"status": "skipped"},
            "verdict": disk_verdict}],
        "memory": {"status": "passed", "bytes_requested": 2**28, "bytes_tested": 2**28},
        "cpu": {"status": "passed", "workers": 2, "rounds": 400},
        "batteries": [{"name": "BAT0", "wear_percent": 31.4}],
        "grade": {"grade": grade, "reasons": list(reasons), "rules_version": "2026.1",
                  "rules_source": "builtin"},
    }  # fmt: skip


def _send(api, token, payload, tag, key="diag-key-0001"):
    return api("POST", "/api/v1/bench/records", token=token, json={
        "idempotency_key": key, "kind": "diagnostic.result", "payload": payload,
        "asset_tag": tag})  # fmt: skip


def test_diagnostic_is_attached_and_the_grade_confirmed(
    web, api, db, make_bench, make_user, make_device
):
    _, bench_token = make_bench()
    device = make_device("wiped")
    sent = _send(api, bench_token, diagnostic(), device.asset_tag)
    assert sent.status_code == 201
    assert sent.get_json()["result"] == {
        "attached": True,
        "asset_tag": device.asset_tag,
        "suggested_grade": "B",
    }
    web.login(make_user("technician").email, PASSWORD)
    page = web.get(f"/devices/{device.asset_tag}").get_data(as_text=True)
    assert "Grade suggéré : B" in page and "battery wear 31% &gt; 25%" in page
    assert '<option selected value="B">' in page
    response = web.post_form(
        f"/devices/{device.asset_tag}/grade",
        {"grade-grade": "A", "grade-reason": "écran neuf posé"},
        page=f"/devices/{device.asset_tag}",
    )
    assert response.status_code == 302
    db.commit()
    db.expire_all()
    graded = [
        json.loads(e.data)
        for e in db.exec(
            select(Event).where(Event.device_id == device.id, Event.kind == "device.graded")
        )
    ]
    assert graded == [
        {
            "grade": "A",
            "previous": None,
            "suggested": "B",
            "overridden": True,
            "reason": "écran neuf posé",
        }
    ]
    page = web.get(f"/devices/{device.asset_tag}").get_data(as_text=True)
    assert "classé" in page and "(suggéré B)" in page


def test_failing_disk_verdict_is_shown_and_a_bad_diagnostic_refused(
    web, api, make_bench, make_user, make_device
):
    _, bench_token = make_bench()
    device = make_device("tested")
    reason = (
        "a disk failed: it goes to destruction, the machine needs another (disks_fail 1: C at best)"
    )
    _send(api, bench_token, diagnostic("C", "fail", (reason,)), device.asset_tag)
    web.login(make_user("technician").email, PASSWORD)
    page = html.unescape(web.get(f"/devices/{device.asset_tag}").get_data(as_text=True))
    # The agent's English reasons, shown in the page's language (workshop/bench_text.py).
    assert "défaillant" in page and "67 secteurs en attente de réallocation (attribut 197)" in page
    assert "un disque est défaillant : il part à la destruction" in page
    assert "(disks_fail 1 : C au mieux)" in page
    bad = diagnostic()
    bad["disks"][0]["verdict"] = "excellent"
    response = _send(api, bench_token, bad, device.asset_tag, key="diag-key-0002")
    assert response.status_code == 422
    assert response.get_json()["error"]["field"] == "payload.disks.0.verdict"


def test_a_device_not_yet_wiped_keeps_its_state_and_exits_cannot_be_graded(
    db, make_user, make_device
):
    import pytest

    from workshop.errors import IllegalTransition
    from workshop.services.actors import Actor
    from workshop.services.diagnostics import set_grade

    actor = Actor(user=make_user("technician"))
    tested = make_device("tested")
    set_grade(db, actor, tested, "B")
    assert tested.status == "tested" and tested.grade == "B"
    recycled = make_device("recycled")
    with pytest.raises(IllegalTransition):
        set_grade(db, actor, recycled, "A")


def test_a_diagnostic_no_device_matched_waits_for_a_tag_on_the_bench_page(
    web, api, db, make_bench, make_user, make_device
):
    bench, bench_token = make_bench()
    device = make_device("tested")
    lost = _send(api, bench_token, diagnostic(), None, key="diag-key-unmatched")
    assert lost.status_code == 201
    assert lost.get_json()["result"]["attached"] is False
    record_id = _waiting(db, "diag-key-unmatched")
    web.login(make_user("technician").email, PASSWORD)
    page = web.get(f"/benches/{bench.id}").get_data(as_text=True)
    assert "Diagnostic</strong>" in page and "note suggérée B" in page
    assert f'name="record_id" value="{record_id}"' in page
    bound = web.post_form(f"/benches/{bench.id}", {"record_id": str(record_id),
                          "asset_tag": device.asset_tag.lower()})  # fmt: skip
    assert bound.status_code == 302
    flashed = web.get(f"/benches/{bench.id}").get_data(as_text=True)
    assert "Diagnostic rattaché à" in flashed
    assert f'name="record_id" value="{record_id}"' not in flashed  # no longer waiting
    device_page = web.get(f"/devices/{device.asset_tag}").get_data(as_text=True)
    assert "Grade suggéré : B" in device_page
    # Bound once: a second binding names the record as not waiting.
    token = _staff_token(db, make_user)
    again = api("POST", f"/api/v1/records/{record_id}/binding", token=token,
                json={"asset_tag": device.asset_tag})  # fmt: skip
    assert again.status_code == 404
    assert again.get_json()["error"]["field"] == "record_id"


def test_a_waiting_diagnostic_is_bound_through_the_api(api, db, make_bench, make_user, make_device):
    _, bench_token = make_bench()
    device = make_device("tested")
    assert _send(api, bench_token, diagnostic(), None, key="diag-key-api").status_code == 201
    record_id = _waiting(db, "diag-key-api")
    token = _staff_token(db, make_user)
    bound = api("POST", f"/api/v1/records/{record_id}/binding", token=token,
                json={"asset_tag": device.asset_tag})  # fmt: skip
    assert bound.status_code == 200, bound.get_json()
    body = bound.get_json()
    assert (body["status"], body["kind"]) == ("bound", "diagnostic.result")
    assert body["result"]["suggested_grade"] == "B"
    db.commit()
    kinds = [e.kind for e in db.exec(select(Event).where(Event.device_id == device.id))]
    assert "device.diagnosed" in kinds


def _staff_token(db, make_user):
    from workshop.services.accounts import issue_token

    token = issue_token(db, user=make_user("technician"))
    db.commit()
    return token


def _waiting(db, key):
    """The id of the record sent with `key`, which must be waiting for a tag."""
    from workshop.models import BenchRecord

    db.commit()
    record = db.exec(select(BenchRecord).where(BenchRecord.idempotency_key == key)).one()
    assert record.needs_binding and record.device_id is None
    db.commit()
    return record.id


def test_a_suggested_grade_below_c_is_named_in_french(web, api, make_bench, make_user, make_device):
    _, bench_token = make_bench()
    device = make_device("tested")
    reason = "RAM pattern test failed (memory_failed 1: parts at best)"
    assert _send(api, bench_token, diagnostic("parts", reasons=(reason,)), device.asset_tag,
                 key="diag-key-parts").status_code == 201  # fmt: skip
    web.login(make_user("technician").email, PASSWORD)
    page = html.unescape(web.get(f"/devices/{device.asset_tag}").get_data(as_text=True))
    assert "Grade suggéré : pièces détachées" in page
    assert "le test de la mémoire vive a échoué (memory_failed 1 : parts au mieux)" in page
