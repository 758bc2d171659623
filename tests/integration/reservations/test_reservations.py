"""Reserve, confirm, refuse, cancel, expire, hand over: the rules, through the services."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from workshop.errors import Conflict, Forbidden, NotFound, ValidationFailed
from workshop.models import Device, DeviceStatus, Event, ReservationStatus
from workshop.models.base import utcnow
from workshop.services import reservations as service
from workshop.services.actors import Actor
from workshop.services.catalogue import CatalogueFilters, browse_catalogue
from workshop.services.events import event_data, verify_chain


def _status(db, device) -> str:
    db.commit()
    return db.get(Device, device.id).status


def _reserve(db, user, devices, **kw):
    reservation = service.reserve_devices(
        db, Actor(user=user), asset_tags=[d.asset_tag for d in devices], hold_days=7, **kw
    )
    db.commit()
    return reservation


def test_catalogue_filters_on_specs(db, available, member):
    small = available(ram_gb=4, disk_gb=128, disk_kind="hdd", wear=50, grade="C")
    big = available(ram_gb=16, disk_gb=512, disk_kind="ssd", wear=10, cpu="AMD Ryzen 5 PRO")
    tablet = available(type="tablet", ram_gb=2, disk_gb=32, disk_kind="emmc", wear=None)
    actor = Actor(user=member())

    def tags(**kw):
        return {c.device.asset_tag for c in browse_catalogue(db, actor, CatalogueFilters(**kw))}

    assert tags() == {small.asset_tag, big.asset_tag, tablet.asset_tag}
    assert tags(min_ram_gb=8) == {big.asset_tag}
    assert tags(min_storage_gb=100) == {small.asset_tag, big.asset_tag}
    assert tags(storage_kind="ssd") == {big.asset_tag}
    assert tags(storage_kind="emmc") == {tablet.asset_tag}
    assert tags(cpu="ryzen") == {big.asset_tag}
    assert tags(grade="C") == {small.asset_tag}
    assert tags(max_battery_wear=30) == {big.asset_tag, tablet.asset_tag}
    assert tags(type="tablet") == {tablet.asset_tag}
    card = next(c for c in browse_catalogue(db, actor, CatalogueFilters(cpu="ryzen")))
    assert (card.ram_gb, card.storage_gb, card.storage_kinds) == (16.0, 512, ["ssd"])


def test_donor_cannot_browse_the_catalogue(db, make_user):
    with pytest.raises(Forbidden):
        browse_catalogue(db, Actor(user=make_user("donor")), CatalogueFilters())


def test_reserve_holds_devices_and_a_second_reservation_gets_409(db, available, member):
    first, second = available(), available()
    user = member()
    reservation = _reserve(db, user, [first, second], note="atelier seniors")
    assert reservation.status == ReservationStatus.PENDING
    assert reservation.expires_at - reservation.created_at == timedelta(days=7)
    assert _status(db, first) == _status(db, second) == DeviceStatus.RESERVED
    with pytest.raises(service.AlreadyReserved) as caught:
        _reserve(db, member(), [second])
    db.rollback()
    assert caught.value.status == 409 and caught.value.code == "already_reserved"
    assert "already reserved" in caught.value.message
    # The catalogue no longer shows them.
    assert browse_catalogue(db, Actor(user=user), CatalogueFilters()) == []


def test_a_failed_reservation_holds_nothing(db, available, member):
    free, taken = available(), available()
    _reserve(db, member(), [taken])
    with pytest.raises(service.AlreadyReserved):
        _reserve(db, member(), [free, taken])
    db.rollback()
    assert _status(db, free) == DeviceStatus.AVAILABLE


def test_reservation_input_is_checked(db, available, member, make_user, make_org):
    device = available()
    user = member()
    with pytest.raises(ValidationFailed) as caught:
        _reserve(db, user, [])
    assert caught.value.field == "asset_tags"
    with pytest.raises(ValidationFailed):
        service.reserve_devices(db, Actor(user=user), asset_tags=["NOPE"], hold_days=7)
    with pytest.raises(Forbidden):
        _reserve(db, user, [device], organisation_id=make_org("association").id)
    with pytest.raises(Forbidden):
        _reserve(db, make_user("donor"), [device])
    coordinator = make_user("coordinator")
    with pytest.raises(ValidationFailed) as caught:
        _reserve(db, coordinator, [device])
    assert caught.value.field == "organisation_id"
    with pytest.raises(NotFound):
        _reserve(db, coordinator, [device], organisation_id=make_org("collectivite").id)
    db.rollback()
    assert _status(db, device) == DeviceStatus.AVAILABLE


def test_confirm_refuse_cancel(db, available, member, make_user):
    coordinator = Actor(user=make_user("coordinator"))
    a, b, c = available(), available(), available()
    user = member()
    confirmed = _reserve(db, user, [a])
    refused = _reserve(db, user, [b])
    cancelled = _reserve(db, user, [c])
    with pytest.raises(Forbidden):
        service.confirm_reservation(db, Actor(user=user), confirmed, hold_days=7)
    service.confirm_reservation(db, coordinator, confirmed, hold_days=7)
    with pytest.raises(ValidationFailed) as caught:
        service.refuse_reservation(db, coordinator, refused, reason="  ")
    assert caught.value.field == "reason"
    service.refuse_reservation(db, coordinator, refused, reason="lot réservé à une école")
    service.cancel_reservation(db, Actor(user=user), cancelled)
    db.commit()
    assert confirmed.status == ReservationStatus.CONFIRMED and confirmed.decided_at
    assert refused.status == ReservationStatus.REFUSED
    assert refused.decision_reason == "lot réservé à une école"
    assert cancelled.status == ReservationStatus.CANCELLED
    assert _status(db, a) == DeviceStatus.RESERVED
    assert _status(db, b) == _status(db, c) == DeviceStatus.AVAILABLE
    with pytest.raises(Conflict):
        service.cancel_reservation(db, Actor(user=user), refused)
    with pytest.raises(NotFound):  # another association cannot see or cancel it
        service.cancel_reservation(db, Actor(user=member()), confirmed)
    assert verify_chain(db).ok


def test_visibility_is_per_association(db, available, member, make_user):
    mine, theirs = member(), member()
    r1 = _reserve(db, mine, [available()])
    r2 = _reserve(db, theirs, [available()])
    assert [r.id for r in service.list_reservations(db, Actor(user=mine))] == [r1.id]
    staff = Actor(user=make_user("technician"))
    assert {r.id for r in service.list_reservations(db, staff)} == {r1.id, r2.id}
    with pytest.raises(NotFound):
        service.get_reservation(db, Actor(user=mine), r2.id)
    with pytest.raises(Forbidden):
        service.list_reservations(db, Actor(user=make_user("donor")))


def test_expiry_with_a_controlled_clock(db, available, member, make_user):
    coordinator = Actor(user=make_user("coordinator"))
    now = utcnow()
    pending_device, confirmed_device, fresh_device = available(), available(), available()
    user = member()
    pending = service.reserve_devices(
        db, Actor(user=user), asset_tags=[pending_device.asset_tag], hold_days=7, now=now
    )
    confirmed = service.reserve_devices(
        db, Actor(user=user), asset_tags=[confirmed_device.asset_tag], hold_days=7, now=now
    )
    service.confirm_reservation(
        db, coordinator, confirmed, hold_days=7, now=now + timedelta(days=3)
    )
    fresh = service.reserve_devices(
        db,
        Actor(user=user),
        asset_tags=[fresh_device.asset_tag],
        hold_days=7,
        now=now + timedelta(days=5),
    )
    db.commit()
    assert service.expire_holds(db, now=now + timedelta(days=6, hours=23)) == []
    expired = service.expire_holds(db, now=now + timedelta(days=7, seconds=1))
    db.commit()
    assert [r.id for r in expired] == [pending.id]
    assert _status(db, pending_device) == DeviceStatus.AVAILABLE
    # Confirmed on day 3: held until day 10; the fresh one until day 12.
    assert _status(db, confirmed_device) == DeviceStatus.RESERVED
    later = service.expire_holds(db, now=now + timedelta(days=10, seconds=1))
    db.commit()
    assert [r.id for r in later] == [confirmed.id]
    assert _status(db, confirmed_device) == DeviceStatus.AVAILABLE
    assert _status(db, fresh_device) == DeviceStatus.RESERVED
    assert db.get(type(fresh), fresh.id).status == ReservationStatus.PENDING
    # The history says why the device came back.
    last = db.exec(
        select(Event).where(Event.device_id == pending_device.id).order_by(Event.seq.desc())
    ).first()
    assert event_data(last)["to"] == "available" and "expired" in event_data(last)["reason"]
    assert service.expire_holds(db, now=now + timedelta(days=10, seconds=2)) == []


def test_handover_sets_the_recipient_and_the_history(db, available, member, make_user):
    coordinator = Actor(user=make_user("coordinator"))
    devices = [available(), available(type="desktop", wear=None)]
    user = member()
    reservation = _reserve(db, user, devices)
    with pytest.raises(Forbidden):
        service.hand_over(db, Actor(user=user), reservation)
    # Handing over a pending reservation confirms it at the same time.
    service.hand_over(db, coordinator, reservation, comment="remis au local")
    db.commit()
    org_name = db.get(type(user), user.id).organisation_id
    for device in devices:
        fresh = db.get(Device, device.id)
        assert fresh.status == DeviceStatus.HANDED_OVER
        assert fresh.recipient_id == user.organisation_id == org_name
        last = db.exec(
            select(Event).where(Event.device_id == device.id).order_by(Event.seq.desc())
        ).first()
        from workshop.models import Organisation

        assert db.get(Organisation, user.organisation_id).name in event_data(last)["reason"]
    assert reservation.status == ReservationStatus.HANDED_OVER
    assert reservation.decided_at and reservation.decision_reason == "remis au local"
    with pytest.raises(Conflict):  # never twice
        service.hand_over(db, coordinator, reservation)
    with pytest.raises(Conflict):
        service.cancel_reservation(db, Actor(user=user), reservation)
    assert verify_chain(db).ok
