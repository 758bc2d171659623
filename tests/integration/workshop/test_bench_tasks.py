"""Wipes and diagnostics asked of a bench: the checks before queueing, the bench's side of the
exchange (fetch, progress, durable status records), cancel, and the live board."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from sqlmodel import select

from tests.conftest import PASSWORD
from workshop.models import BenchTask, Event
from workshop.services.accounts import issue_token


def _disk(name="sdb", serial="WD-WCAYU1234567", size=500_107_862_016, **extra):
    return {
        "name": name,
        "path": f"/dev/{name}",
        "model": "WDC WD5000AAKX",
        "transport": "sata",
        "serial": {"value": serial, "placeholder": False},
        "wwn": None,
        "size_bytes": size,
        "logical_sector_size": 512,
        "physical_sector_size": 512,
        "rotational": True,
        "removable": False,
        **extra,
    }


@pytest.fixture
def bench(api, make_bench):
    """A bench reporting a free disk sdb and its protected system disk sda."""
    bench, token = make_bench("Établi test")
    disks = [
        _disk(
            "sda",
            "SYS-0001",
            256_060_514_304,
            protected=["holds the running system: sda2 mounted at /"],
        ),
        _disk(),
    ]
    body = {"observed_at": "2026-11-22T10:00:00Z", "disks": disks}
    assert api("PUT", "/api/v1/bench/disks", token=token, json=body).status_code == 200
    return bench, token


@pytest.fixture
def tech_token(db, make_user):
    token = issue_token(db, user=make_user("technician"))
    db.commit()
    return token


def _ask(api, token, bench_id, **body):
    payload = {"kind": "wipe", "disk": "sdb", "serial": "WD-WCAYU1234567",
               "size_bytes": 500_107_862_016, **body}  # fmt: skip
    return api("POST", f"/api/v1/benches/{bench_id}/tasks", token=token, json=payload)


# Today (the board shows what finished in the last hours only), fixed so that a replay matches.
AT = datetime.now(UTC).replace(microsecond=0).isoformat()


def _status(api, token, uid, state, key=None, **fields):
    payload = {"uid": uid, "state": state, "at": AT, **fields}
    body = {"idempotency_key": key or str(uuid.uuid4()), "kind": "task.status", "payload": payload}
    return api("POST", "/api/v1/bench/records", token=token, json=body)


def test_a_wipe_goes_from_request_to_result(api, db, bench, tech_token, make_device):
    bench_row, bench_token = bench
    device = make_device("inventoried")
    created = _ask(api, tech_token, bench_row.id, asset_tag=device.asset_tag, method="zero")
    assert created.status_code == 201, created.get_json()
    task = created.get_json()
    assert (task["status"], task["method"], task["disk_model"]) == (
        "queued",
        "zero",
        "WDC WD5000AAKX",
    )
    pending = api("GET", "/api/v1/bench/tasks", token=bench_token).get_json()["tasks"]
    assert [t["uid"] for t in pending] == [task["uid"]]
    assert pending[0]["disk"] == {"name": "sdb", "serial": "WD-WCAYU1234567",
                                  "model": "WDC WD5000AAKX", "size_bytes": 500_107_862_016}  # fmt: skip
    progress = {"phase": "pass 1/1", "done_bytes": 250_000_000_000,
                "total_bytes": 500_107_862_016, "rate_bytes_per_s": 180e6, "eta_seconds": 1389.5}  # fmt: skip
    answer = api("PUT", f"/api/v1/bench/tasks/{task['uid']}/progress", token=bench_token,
                 json=progress)  # fmt: skip
    assert answer.status_code == 200
    assert answer.get_json()["status"] == "running"
    assert answer.get_json()["progress"]["percent"] == pytest.approx(49.99, abs=0.01)
    # Running: no longer offered to the bench (it must never start the same wipe twice).
    assert api("GET", "/api/v1/bench/tasks", token=bench_token).get_json()["tasks"] == []
    done = _status(api, bench_token, task["uid"], "passed", wipe_id="w-1")
    assert done.status_code == 201 and done.get_json()["result"]["status"] == "passed"
    db.expire_all()
    row = db.exec(select(BenchTask)).one()
    assert (row.status, row.wipe_uid, row.device_id) == ("passed", "w-1", device.id)
    assert row.finished_at is not None
    # Nothing is pending any more; a late progress report is refused, not applied.
    assert api("GET", "/api/v1/bench/tasks", token=bench_token).get_json()["tasks"] == []
    late = api("PUT", f"/api/v1/bench/tasks/{task['uid']}/progress", token=bench_token,
               json=progress)  # fmt: skip
    assert late.status_code == 409
    kinds = [e.kind for e in db.exec(select(Event).where(Event.device_id == device.id))]
    assert "wipe.requested" in kinds


def test_the_device_page_lists_the_wipes_asked_for_its_disks(
    web, db, bench, tech_token, api, make_device, make_user
):
    bench_row, bench_token = bench
    device = make_device("inventoried")
    uid = _ask(api, tech_token, bench_row.id, asset_tag=device.asset_tag).get_json()["uid"]
    progress = {"phase": "pass 1/1", "done_bytes": 1, "total_bytes": 4, "rate_bytes_per_s": 1.0}
    api("PUT", f"/api/v1/bench/tasks/{uid}/progress", token=bench_token, json=progress)
    make_user("technician", email="tech2@example.org")
    web.login("tech2@example.org", PASSWORD)
    page = web.get(f"/devices/{device.asset_tag}").get_data(as_text=True)
    assert "Tâches sur les établis" in page and "Effacement en cours" in page and "25 %" in page


def test_the_server_refuses_what_the_technician_did_not_confirm(api, bench, tech_token):
    bench_row, _ = bench
    other_serial = _ask(api, tech_token, bench_row.id, serial="WD-SOMEONE-ELSE")
    assert other_serial.status_code == 409
    assert "not the one confirmed" in other_serial.get_json()["error"]["message"]
    other_size = _ask(api, tech_token, bench_row.id, size_bytes=1000)
    assert other_size.status_code == 409
    gone = _ask(api, tech_token, bench_row.id, disk="sdz")
    assert gone.status_code == 409 and "sdz" in gone.get_json()["error"]["message"]
    system = _ask(api, tech_token, bench_row.id, disk="sda", serial="SYS-0001",
                  size_bytes=256_060_514_304)  # fmt: skip
    assert system.status_code == 409
    assert "holds the running system" in system.get_json()["error"]["message"]
    # A diagnostic only reads: allowed on the protected disk.
    diag = _ask(api, tech_token, bench_row.id, kind="diagnose", disk="sda", serial="SYS-0001",
                size_bytes=256_060_514_304)  # fmt: skip
    assert diag.status_code == 201
    assert _ask(api, tech_token, bench_row.id).status_code == 201
    twice = _ask(api, tech_token, bench_row.id)
    assert twice.status_code == 409 and "already under way" in twice.get_json()["error"]["message"]


def test_only_staff_ask_and_only_the_bench_reports(api, db, bench, make_user, make_bench):
    bench_row, bench_token = bench
    for role in ("association", "donor"):
        token = issue_token(db, user=make_user(role))
        db.commit()
        assert _ask(api, token, bench_row.id).status_code == 403
    assert _ask(api, bench_token, bench_row.id).status_code == 403  # a bench never asks itself
    coordinator = issue_token(db, user=make_user("coordinator"))
    db.commit()
    uid = _ask(api, coordinator, bench_row.id).get_json()["uid"]
    _, other_bench = make_bench("Autre établi")
    assert api("GET", "/api/v1/bench/tasks", token=other_bench).get_json()["tasks"] == []
    progress = {"phase": "x", "done_bytes": 1, "total_bytes": 2, "rate_bytes_per_s": 1}
    stolen = api("PUT", f"/api/v1/bench/tasks/{uid}/progress", token=other_bench, json=progress)
    assert stolen.status_code == 403
    assert _status(api, other_bench, uid, "passed").status_code == 403
    assert api("GET", "/api/v1/bench/tasks", token=coordinator).status_code == 403


def test_cancel_only_before_the_bench_starts(api, db, bench, tech_token):
    bench_row, bench_token = bench
    task = _ask(api, tech_token, bench_row.id).get_json()
    cancelled = api("POST", f"/api/v1/tasks/{task['id']}/cancel", token=tech_token)
    assert cancelled.status_code == 200 and cancelled.get_json()["status"] == "cancelled"
    assert api("GET", "/api/v1/bench/tasks", token=bench_token).get_json()["tasks"] == []
    again = _ask(api, tech_token, bench_row.id).get_json()
    assert _status(api, bench_token, again["uid"], "running").status_code == 201
    refused = api("POST", f"/api/v1/tasks/{again['id']}/cancel", token=tech_token)
    assert refused.status_code == 409


def test_a_status_replay_is_idempotent_and_a_final_state_sticks(api, db, bench, tech_token):
    bench_row, bench_token = bench
    uid = _ask(api, tech_token, bench_row.id).get_json()["uid"]
    first = _status(
        api, bench_token, uid, "failed", key="k-final-1", message="write failed at LBA 7"
    )
    assert first.status_code == 201
    assert _status(api, bench_token, uid, "failed", key="k-final-1",
                   message="write failed at LBA 7").status_code == 200  # fmt: skip
    _status(api, bench_token, uid, "running")  # late and out of order: ignored
    db.expire_all()
    row = db.exec(select(BenchTask)).one()
    assert (row.status, row.message) == ("failed", "write failed at LBA 7")


def test_a_dock_wipe_started_offline_creates_its_task(api, db, bench):
    _, bench_token = bench
    uid = str(uuid.uuid4())
    spec = {"uid": uid, "kind": "wipe", "origin": "dock", "method": "zero", "verify": "full",
            "requested_by": "disk dock",
            "disk": {"name": "sdc", "serial": "S1", "model": "Dock disk", "size_bytes": 4096}}  # fmt: skip
    assert _status(api, bench_token, uid, "running", spec=spec).status_code == 201
    assert _status(api, bench_token, uid, "passed", wipe_id="w-9").status_code == 201
    db.expire_all()
    row = db.exec(select(BenchTask)).one()
    assert (row.origin, row.status, row.disk_name, row.wipe_uid) == ("dock", "passed", "sdc", "w-9")
    unknown = _status(api, bench_token, str(uuid.uuid4()), "passed")
    assert unknown.status_code == 404


def test_malformed_protection_and_status_are_refused(api, bench):
    _, bench_token = bench
    body = {"observed_at": "2026-11-22T10:00:00Z", "disks": [_disk(protected="mounted")]}
    answer = api("PUT", "/api/v1/bench/disks", token=bench_token, json=body)
    assert answer.status_code == 422
    assert answer.get_json()["error"]["field"] == "disks.0.protected"
    bad = _status(api, bench_token, "short", "exploded")
    assert bad.status_code == 422 and bad.get_json()["error"]["field"] in ("uid", "state")


def test_web_confirm_page_then_live_board(web, db, bench, make_user):
    bench_row, bench_token = bench
    make_user("technician", email="tech@example.org")
    web.login("tech@example.org", PASSWORD)
    board = web.get("/benches/")
    html = board.get_data(as_text=True)
    assert "Établi test" in html and "porte le système en marche : sda2 monté sur /" in html
    confirm_url = f"/benches/{bench_row.id}/disks/sdb/wipe"
    page = web.get(confirm_url).get_data(as_text=True)
    assert "WD-WCAYU1234567" in page and "500" in page
    form = {"serial": "WD-WCAYU1234567", "size_bytes": "500107862016", "method": "random",
            "verify": "full", "asset_tag": ""}  # fmt: skip
    unconfirmed = web.post_form(confirm_url, form)
    assert unconfirmed.status_code == 400
    assert db.exec(select(BenchTask)).first() is None
    db.commit()
    done = web.post_form(confirm_url, {**form, "confirm": "y"})
    assert done.status_code == 302
    db.commit()
    task = db.exec(select(BenchTask)).one()
    assert (task.method, task.origin, task.status) == ("random", "web", "queued")
    detail = web.get(f"/benches/{bench_row.id}").get_data(as_text=True)
    assert "flux aléatoire, vérification complète" in detail and "random, full" not in detail
    # The system disk has no wipe link and its confirmation page refuses.
    protected = web.post_form(f"/benches/{bench_row.id}/disks/sda/wipe",
                              {**form, "serial": "SYS-0001", "size_bytes": "256060514304",
                               "confirm": "y"},
                              page=f"/benches/{bench_row.id}/disks/sdb/wipe")  # fmt: skip
    assert protected.status_code == 409
    assert f"/benches/{bench_row.id}/disks/sda/wipe" not in web.get("/benches/").get_data(
        as_text=True
    )


def test_a_running_task_without_news_is_flagged(db, bench, tech_token, api):
    from datetime import timedelta

    from workshop.models.base import utcnow
    from workshop.services.bench_tasks import is_stale

    bench_row, bench_token = bench
    uid = _ask(api, tech_token, bench_row.id).get_json()["uid"]
    progress = {"phase": "pass 1/1", "done_bytes": 1, "total_bytes": 2, "rate_bytes_per_s": 1.0}
    api("PUT", f"/api/v1/bench/tasks/{uid}/progress", token=bench_token, json=progress)
    db.commit()
    task = db.exec(select(BenchTask)).one()
    assert not is_stale(task)
    assert is_stale(task, now=utcnow() + timedelta(minutes=3))
    task.status = "passed"
    assert not is_stale(task, now=utcnow() + timedelta(minutes=3))


def test_a_diagnostic_of_the_machine_goes_from_request_to_the_board(
    api, db, web, bench, tech_token, make_device, make_user
):
    bench_row, bench_token = bench
    device = make_device("inventoried")
    path = f"/api/v1/benches/{bench_row.id}/machine-diagnostic"
    created = api("POST", path, token=tech_token, json={"asset_tag": device.asset_tag})
    assert created.status_code == 201, created.get_json()
    task = created.get_json()
    assert (task["kind"], task["disk_name"], task["status"]) == ("machine", "", "queued")
    again = api("POST", path, token=tech_token, json={})
    assert again.status_code == 409  # one at a time per bench
    assert again.get_json()["error"]["message"] == (
        "A diagnostic of this machine is already under way."
    )
    # The bench receives it without a disk (it names none) ...
    (spec,) = api("GET", "/api/v1/bench/tasks", token=bench_token).get_json()["tasks"]
    assert (spec["uid"], spec["kind"], spec["disk"], spec["asset_tag"]) == (
        task["uid"], "machine", None, device.asset_tag
    )  # fmt: skip
    db.commit()
    kinds = [e.kind for e in db.exec(select(Event).where(Event.device_id == device.id))]
    assert "machine.requested" in kinds
    db.commit()  # end the read: the app writes next
    # ... and reports it like any other task.
    running = _status(api, bench_token, task["uid"], "running")
    assert running.status_code in (200, 201), running.get_json()
    summary = "RAM test passed; CPU test passed; vda: SMART unavailable; a disk is suspect"
    done = _status(api, bench_token, task["uid"], "passed", verdict="B", message=summary)
    assert done.status_code in (200, 201), done.get_json()
    assert web.login(make_user("technician").email, PASSWORD).status_code == 302
    board = web.get("/benches/").get_data(as_text=True)
    assert "Diagnostic de la machine terminé" in board and "note suggérée B" in board
    assert "test de la mémoire vive réussi; test du processeur réussi" in board
    assert "vda : SMART indisponible; un disque est douteux" in board
    # The board offers a new one now that none is under way.
    assert f"/benches/{bench_row.id}/machine/diagnose" in board
    asked = web.post_form(f"/benches/{bench_row.id}/machine/diagnose", {"asset_tag": ""},
                          page="/benches/")  # fmt: skip
    assert asked.status_code == 303
    db.commit()
    newest = db.exec(select(BenchTask).order_by(BenchTask.id.desc())).first()
    assert (newest.kind, newest.status, newest.origin) == ("machine", "queued", "web")


def test_a_task_names_its_disk_unless_it_is_the_machine():
    from pydantic import ValidationError

    from atelier_protocol.task import TaskSpec

    base = {"uid": "0c6f3c1e-8d0b", "verify": "full"}
    disk = {"name": "sdb", "serial": None, "size_bytes": 4096}
    assert TaskSpec.model_validate({**base, "kind": "machine"}).disk_name == ""
    assert TaskSpec.model_validate({**base, "kind": "wipe", "disk": disk}).disk_name == "sdb"
    for bad in ({**base, "kind": "wipe"}, {**base, "kind": "machine", "disk": disk}):
        with pytest.raises(ValidationError, match="a machine diagnostic names no disk"):
            TaskSpec.model_validate(bad)


def test_web_wipe_form_refuses_a_size_beyond_64_bits(web, db, bench, make_user):
    bench_row, _ = bench
    make_user("technician", email="tech@example.org")
    web.login("tech@example.org", PASSWORD)
    form = {"serial": "WD-WCAYU1234567", "size_bytes": "1" + "0" * 40, "method": "random",
            "verify": "full", "asset_tag": "", "confirm": "y"}  # fmt: skip
    response = web.post_form(f"/benches/{bench_row.id}/disks/sdb/wipe", form)
    assert response.status_code == 400
    db.commit()
    assert db.exec(select(BenchTask)).first() is None


def test_the_wipe_confirmation_says_the_disk_failed_its_diagnostic(
    api, web, db, bench, tech_token, make_user
):
    bench_row, bench_token = bench
    confirm_url = f"/benches/{bench_row.id}/disks/sdb/wipe"
    make_user("technician", email="tech2@example.org")
    web.login("tech2@example.org", PASSWORD)
    assert "data-diagnostic" not in web.get(confirm_url).get_data(as_text=True)
    diag = _ask(api, tech_token, bench_row.id, kind="diagnose").get_json()
    assert _status(api, bench_token, diag["uid"], "running").status_code in (200, 201)
    failing = _status(
        api, bench_token, diag["uid"], "failed",
        message="SMART overall-health self-assessment: FAILED",
    )  # fmt: skip
    assert failing.status_code in (200, 201), failing.get_json()
    page = web.get(confirm_url).get_data(as_text=True)
    assert 'data-diagnostic="failed"' in page
    assert "Le dernier diagnostic de ce disque" in page and "défaillant" in page
    assert "détruisez-le ou gardez-le pour pièces" in page
    assert 'name="confirm"' in page  # it can still be erased
