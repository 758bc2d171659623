"""Needs are served oldest first with offers the association accepts or declines; the
association is notified in the UI and by email through a real local SMTP server."""

from __future__ import annotations

import socket
from email import message_from_bytes, policy

import pytest
from sqlmodel import select

from workshop.errors import Conflict, NotFound
from workshop.models import Device, DeviceStatus, Notification, ReservationStatus
from workshop.services import needs
from workshop.services import reservations as service
from workshop.services.actors import Actor
from workshop.services.notifications import MailSettings, recent_notifications, send_pending

R = ReservationStatus


def _need(db, user, **kw):
    need = needs.create_need(db, Actor(user=user), device_type=kw.pop("type", "laptop"), **kw)
    db.commit()
    return need


def test_oldest_need_first_and_specs_respected(db, available, member):
    first, second = member(), member()
    _need(db, first, quantity=2, min_ram_gb=8, ssd_only=True)
    _need(db, second, quantity=5)
    good = [available(ram_gb=8, disk_kind="ssd"), available(ram_gb=16, disk_kind="ssd")]
    hdd = available(ram_gb=8, disk_kind="hdd")
    tablet = available(type="tablet")
    offers = needs.match_needs(db, hold_days=7)
    db.commit()
    assert [o.organisation_id for o in offers] == [first.organisation_id, second.organisation_id]
    held = {o.organisation_id: {d.id for d in service.reservation_devices(db, o)} for o in offers}
    assert held[first.organisation_id] == {d.id for d in good}
    assert held[second.organisation_id] == {hdd.id}  # the SSD ones went to the older need
    assert all(o.status == R.OFFERED for o in offers)
    assert db.get(Device, tablet.id).status == DeviceStatus.AVAILABLE
    # Covered needs get nothing more; a new device goes to the need still short.
    late = available()
    again = needs.match_needs(db, hold_days=7)
    db.commit()
    assert [(o.organisation_id, service.reservation_devices(db, o)[0].id) for o in again] == [
        (second.organisation_id, late.id)
    ]
    texts = [n.subject for n in recent_notifications(db, Actor(user=first))]
    assert texts == ["Atelier : 2 appareils proposés pour votre besoin"]


def test_accept_and_decline(db, available, member, make_user):
    user = member()
    _need(db, user, quantity=1)
    device = available()
    (offer,) = needs.match_needs(db, hold_days=7)
    db.commit()
    with pytest.raises(NotFound):
        needs.answer_offer(db, Actor(user=member()), offer, accept=True)
    needs.answer_offer(db, Actor(user=user), offer, accept=False)
    db.commit()
    assert offer.status == R.DECLINED
    assert db.get(Device, device.id).status == DeviceStatus.AVAILABLE
    # Never offered again to the need that declined it.
    assert needs.match_needs(db, hold_days=7) == []
    other = available()
    (second,) = needs.match_needs(db, hold_days=7)
    needs.answer_offer(db, Actor(user=user), second, accept=True)
    db.commit()
    assert second.status == R.PENDING
    with pytest.raises(Conflict):
        needs.answer_offer(db, Actor(user=user), second, accept=False)
    coordinator = Actor(user=make_user("coordinator"))
    service.confirm_reservation(db, coordinator, second, hold_days=7, comment="mardi")
    db.commit()
    assert db.get(Device, other.id).status == DeviceStatus.RESERVED


@pytest.fixture
def smtp_server():
    """A real SMTP server on 127.0.0.1 collecting what it receives."""
    from aiosmtpd.controller import Controller

    class Collect:
        def __init__(self) -> None:
            self.messages: list[tuple[list[str], bytes]] = []

        async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd API
            self.messages.append((list(envelope.rcpt_tos), envelope.content))
            return "250 OK"

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    handler = Collect()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield handler, port
    controller.stop()


def test_notifications_are_emailed_once(db, available, member, make_user, smtp_server):
    handler, port = smtp_server
    user = member()
    _need(db, user, quantity=1)
    available()
    (offer,) = needs.match_needs(db, hold_days=7)
    db.commit()
    coordinator = Actor(user=make_user("coordinator"))
    needs.answer_offer(db, Actor(user=user), offer, accept=True)
    service.refuse_reservation(db, coordinator, offer, reason="lot déjà promis")
    db.commit()
    mail = MailSettings(host="127.0.0.1", port=port, sender="atelier@example.org")
    assert send_pending(db, mail) == (2, 0)
    db.commit()
    assert send_pending(db, mail) == (0, 0)  # sent once
    assert [to for to, _ in handler.messages] == [[user.email], [user.email]]
    refusal = message_from_bytes(handler.messages[1][1], policy=policy.default)
    assert refusal["Subject"] == f"Atelier : réservation {service.reference(offer)} refusée"
    assert "lot déjà promis" in refusal.get_content()
    rows = db.exec(select(Notification)).all()
    assert all(r.sent_at is not None for r in rows)


def test_a_dead_smtp_server_is_retried_later(db, available, member, smtp_server):
    handler, port = smtp_server
    user = member()
    _need(db, user, quantity=1)
    available()
    needs.match_needs(db, hold_days=7)
    db.commit()
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        dead = sock.getsockname()[1]
    assert send_pending(db, MailSettings(host="127.0.0.1", port=dead, timeout=2)) == (0, 1)
    db.commit()
    row = db.exec(select(Notification)).one()
    assert row.sent_at is None and row.attempts == 1 and "Connection" in row.last_error
    assert send_pending(db, MailSettings(host="127.0.0.1", port=port)) == (1, 0)
    assert len(handler.messages) == 1


def test_api_shows_an_association_only_its_own(db, api, available, member, token_for):
    mine, theirs = member(), member()
    _need(db, mine, quantity=1, type="screen")
    _need(db, theirs, quantity=1, type="tablet")
    reserved = api(
        "POST",
        "/api/v1/reservations",
        token=token_for(theirs),
        json={"asset_tags": [available().asset_tag]},
    )
    assert reserved.status_code == 201
    token = token_for(mine)
    needs_seen = api("GET", "/api/v1/needs", token=token).get_json()
    assert [n["device_type"] for n in needs_seen] == ["screen"]
    assert api("GET", "/api/v1/reservations", token=token).get_json() == []
    other = reserved.get_json()["id"]
    assert api("GET", f"/api/v1/reservations/{other}", token=token).status_code == 404
    answer = api("POST", f"/api/v1/offers/{other}/answer", token=token, json={"accept": False})
    assert answer.status_code == 404
