"""The demo dataset and the migrations, on both databases."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func
from sqlmodel import Session, SQLModel, select

import workshop.models  # noqa: F401
from workshop.demo import TARGETS, database_is_empty, load_demo
from workshop.models import Component, Device, DeviceStatus, Organisation, User
from workshop.services.events import verify_chain


def test_demo_covers_every_state_and_verifies(engine):
    with Session(engine) as session:
        assert database_is_empty(session)
        summary = load_demo(session, seed=7)
        session.commit()
    with Session(engine) as session:
        counts = dict(
            session.exec(select(Device.status, func.count()).group_by(Device.status)).all()
        )
        assert set(counts) == {s.value for s in DeviceStatus}
        assert sum(counts.values()) == sum(TARGETS.values()) == 62
        kinds = dict(
            session.exec(select(Organisation.kind, func.count()).group_by(Organisation.kind)).all()
        )
        assert kinds == {"workshop": 1, "collectivite": 3, "association": 2}
        assert session.exec(select(func.count()).select_from(Component)).one() > 100
        assert {u.role for u in session.exec(select(User))} == {
            "coordinator",
            "technician",
            "donor",
            "association",
        }
        placeholders = session.exec(select(Device).where(Device.serial_placeholder)).all()
        assert all(d.serial == "To be filled by O.E.M." for d in placeholders)
        report = verify_chain(session)
        assert report.ok and str(report.checked) in summary
        assert not database_is_empty(session)
        _histories_read_in_order(session)


def _histories_read_in_order(session):
    """Each device's story happens in order: received, wiped (and validated), then handed over;
    never a wipe stamped after the handover, nor anything before the first donation."""
    from datetime import UTC, datetime

    from workshop.demo import FIRST_DONATION
    from workshop.models import Event

    events = session.exec(
        select(Event).where(Event.device_id.is_not(None)).order_by(Event.seq)
    ).all()
    by_device: dict[int, list] = {}
    for event in events:
        by_device.setdefault(event.device_id, []).append(event)
    earliest = datetime.combine(FIRST_DONATION, datetime.min.time(), UTC)
    for story in by_device.values():
        times = [e.created_at.astimezone(UTC) for e in story]
        assert times == sorted(times), [(e.kind, e.created_at) for e in story]
        assert times[0] >= earliest and times[-1] <= datetime.now(UTC)
        kinds = [e.kind for e in story]
        handed = [i for i, e in enumerate(story) if '"to":"handed_over"' in e.data]
        if handed and "wipe.recorded" in kinds:
            assert kinds.index("wipe.recorded") < handed[0] and "wipe.validated" in kinds


def test_migrations_match_the_models(engine):
    """Alembic's head schema is exactly what the SQLModel tables declare (nothing forgotten)."""
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, SQLModel.metadata)
    assert diff == []


def test_the_demo_bench_speaks_french_from_its_reason_codes(engine, web):
    import html

    from workshop.models import Bench

    with Session(engine) as session:
        load_demo(session, seed=7)
        session.commit()
        bench = session.exec(select(Bench).order_by(Bench.id)).first()
        staff = session.exec(select(User).where(User.role == "coordinator")).first()
        assert bench is not None and staff is not None
        bench_id, email = bench.id, staff.email
    assert web.login(email, "atelier-demo").status_code == 302  # the demo's password
    page = html.unescape(web.get(f"/benches/{bench_id}").get_data(as_text=True))
    assert "24 secteurs en attente de réallocation (attribut 197)" in page
    assert "porte le système en marche : nvme0n1p2 monté sur /" in page
