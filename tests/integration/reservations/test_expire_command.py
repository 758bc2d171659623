"""`workshop expire-holds` (for cron) ends lapsed holds, with a controlled clock."""

from __future__ import annotations

from datetime import timedelta

from click.testing import CliRunner

from workshop.cli import main
from workshop.models import Device, DeviceStatus, Reservation, ReservationStatus
from workshop.models.base import utcnow
from workshop.services import reservations as service
from workshop.services.actors import Actor


def _run(app, *args: str):
    url = app.config["WORKSHOP"].resolved_database_url()
    env = {"WORKSHOP_DATABASE_URL": url, "WORKSHOP_INSTANCE_PATH": str(app.instance_path)}
    return CliRunner().invoke(main, ["expire-holds", *args], env=env)


def test_expire_holds_command(app, db, available, member):
    device = available()
    start = utcnow()
    reservation = service.reserve_devices(
        db, Actor(user=member()), asset_tags=[device.asset_tag], hold_days=7, now=start
    )
    db.commit()
    early = _run(app, "--now", (start + timedelta(days=6)).isoformat())
    assert early.exit_code == 0 and early.output.startswith("0 reservation(s) expired\n")
    late = _run(app, "--now", (start + timedelta(days=8)).isoformat())
    assert late.exit_code == 0, late.output
    lines = late.output.splitlines()
    assert lines[0] == f"1 reservation(s) expired: {service.reference(reservation)}"
    assert lines[1:] == ["0 offer(s) made to needs", "0 notification(s) emailed, 0 failed"]
    db.commit()
    db.expire_all()
    assert db.get(Reservation, reservation.id).status == ReservationStatus.EXPIRED
    assert db.get(Device, device.id).status == DeviceStatus.AVAILABLE
    bad = _run(app, "--now", "next tuesday")
    assert bad.exit_code == 2 and "--now" in bad.output


def test_pages_expire_lapsed_holds_on_access(app, db, available, member, web):
    from tests.conftest import PASSWORD

    device = available()
    user = member()
    service.reserve_devices(
        db,
        Actor(user=user),
        asset_tags=[device.asset_tag],
        hold_days=7,
        now=utcnow() - timedelta(days=8),
    )
    db.commit()
    web.login(user.email, PASSWORD)
    assert web.get("/catalogue/").status_code == 200
    db.commit()
    db.expire_all()
    assert db.get(Device, device.id).status == DeviceStatus.AVAILABLE
