"""The device lifecycle rule, applied through the service on a real database."""

from __future__ import annotations

import pytest
from sqlmodel import select

from workshop.errors import Forbidden, IllegalTransition
from workshop.i18n import status_name
from workshop.models import DeviceStatus, Event
from workshop.models.lifecycle import TRANSITIONS
from workshop.services.actors import SYSTEM, Actor
from workshop.services.devices import transition_device
from workshop.services.events import event_data


def test_legal_transition_changes_status_and_appends_one_event(db, make_device):
    device = make_device("received")
    before = len(db.exec(select(Event)).all())
    transition_device(db, SYSTEM, device, DeviceStatus.INVENTORIED, reason="bench scan")
    db.commit()
    events = db.exec(select(Event).order_by(Event.seq)).all()
    assert device.status == DeviceStatus.INVENTORIED
    assert len(events) == before + 1
    assert events[-1].kind == "device.status_changed"
    assert event_data(events[-1]) == {
        "from": "received",
        "to": "inventoried",
        "reason": "bench scan",
    }


@pytest.mark.parametrize("target", ["available", "handed_over", "wiped"])
def test_illegal_transition_names_both_states_and_writes_nothing(db, make_device, target):
    device = make_device("received")
    before = len(db.exec(select(Event)).all())
    with pytest.raises(IllegalTransition) as info:
        transition_device(db, SYSTEM, device, target)
    db.rollback()
    assert "received" in info.value.message and status_name(target) in info.value.message
    assert info.value.details == {"current": "received", "requested": target}
    assert len(db.exec(select(Event)).all()) == before


def test_data_bearing_device_cannot_skip_the_wipe(db, make_device):
    laptop = make_device("tested")
    with pytest.raises(IllegalTransition, match="wiped before"):
        transition_device(db, SYSTEM, laptop, DeviceStatus.GRADED)


def test_screen_without_storage_is_graded_without_wipe(db, make_device):
    screen = make_device("tested", type="screen")
    transition_device(db, SYSTEM, screen, DeviceStatus.GRADED)
    assert screen.status == DeviceStatus.GRADED


def test_wipe_failed_device_can_only_be_recycled_or_wiped_again(db, make_device):
    # Wiped again: only once every drive is accounted for (tests/integration/documents/
    # test_per_disk_truth.py); this device has no drive known.
    device = make_device("wipe_failed")
    for target in DeviceStatus:
        if target in (DeviceStatus.RECYCLED, DeviceStatus.WIPED):
            continue
        with pytest.raises(IllegalTransition):
            transition_device(db, SYSTEM, device, target)
    transition_device(db, SYSTEM, device, DeviceStatus.RECYCLED)


def test_every_state_before_handover_can_exit_to_parts_and_recycling():
    before_handover = set(DeviceStatus) - {
        DeviceStatus.HANDED_OVER,
        DeviceStatus.RECYCLED,
        DeviceStatus.PARTS,
        DeviceStatus.WIPE_FAILED,
    }
    for state in before_handover:
        assert {DeviceStatus.PARTS, DeviceStatus.RECYCLED} <= TRANSITIONS[state], state
    assert TRANSITIONS[DeviceStatus.HANDED_OVER] == frozenset()


def test_bench_may_record_only_its_own_kind_of_steps(db, make_device, make_bench):
    bench, _ = make_bench()
    device = make_device("wiped")
    with pytest.raises(Forbidden, match="bench cannot"):
        transition_device(db, Actor(bench=bench), device, DeviceStatus.GRADED)
    device = make_device("tested")
    event = transition_device(db, Actor(bench=bench), device, DeviceStatus.WIPED)
    assert event.bench_id == bench.id and event.actor == f"bench:{bench.id}"


def test_illegal_transition_is_explained_in_the_callers_language(api, db, make_user, make_device):
    from workshop.services.accounts import issue_token

    token = issue_token(db, user=make_user("technician"))
    db.commit()
    tag = make_device("received").asset_tag
    path = f"/api/v1/devices/{tag}/transitions"
    english = api("POST", path, token=token, json={"status": "available"}).get_json()["error"]
    assert english["code"] == "illegal_transition" and english["field"] == "status"
    assert "is received: it cannot become available" in english["message"]
    french = api(
        "POST",
        path,
        token=token,
        json={"status": "available"},
        headers={"Accept-Language": "fr-FR,fr;q=0.9"},
    ).get_json()["error"]
    assert "est « reçu » : il ne peut pas passer à « disponible »" in french["message"]
