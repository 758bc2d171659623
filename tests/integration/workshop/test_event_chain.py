"""The hash-chained history: intact chains verify; edits, deletions and reorders by SQL are caught."""

from __future__ import annotations

import threading

from click.testing import CliRunner
from sqlalchemy import text
from sqlmodel import Session, select

from workshop.cli import main as workshop_cli
from workshop.models import Event
from workshop.services.actors import SYSTEM
from workshop.services.events import append_event, verify_chain


def _chain(db, n: int = 6) -> list[Event]:
    for i in range(n):
        append_event(db, SYSTEM, "test.event", data={"i": i})
    db.commit()
    events = list(db.exec(select(Event).order_by(Event.seq)))
    db.commit()  # end the read transaction: the tests write with raw SQL next
    return events


def verify(engine):
    with Session(engine) as session:
        return verify_chain(session)


def test_intact_chain_verifies(db):
    events = _chain(db)
    report = verify(db.get_bind())
    assert report.ok and report.checked == len(events)
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert all(e.prev_hash == p.hash for p, e in zip(events, events[1:], strict=False))


def test_edited_event_is_named(db, engine):
    events = _chain(db)
    with engine.begin() as conn:
        conn.execute(text("UPDATE event SET data = :d WHERE seq = 3"), {"d": '{"i":99}'})
    report = verify(engine)
    assert not report.ok
    assert report.bad_seq == 3 and report.bad_event_id == events[2].id
    assert "altered" in report.reason


def test_edited_actor_or_time_is_caught(db, engine):
    _chain(db)
    with engine.begin() as conn:
        conn.execute(text("UPDATE event SET actor = 'someone-else' WHERE seq = 2"))
    assert verify(engine).bad_seq == 2


def test_deleted_middle_event_is_caught(db, engine):
    _chain(db)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM event WHERE seq = 4"))
    report = verify(engine)
    assert not report.ok and report.bad_seq == 5 and "deleted" in report.reason


def test_deleted_newest_event_is_caught_by_the_head(db, engine):
    _chain(db)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM event WHERE seq = 6"))
    report = verify(engine)
    assert not report.ok and "newest events were deleted" in report.reason


def test_reordered_events_are_caught(db, engine):
    _chain(db)
    with engine.begin() as conn:
        conn.execute(text("UPDATE event SET seq = -1 WHERE seq = 2"))
        conn.execute(text("UPDATE event SET seq = 2 WHERE seq = 3"))
        conn.execute(text("UPDATE event SET seq = 3 WHERE seq = -1"))
    report = verify(engine)
    assert not report.ok and report.bad_seq == 2


def test_concurrent_appends_keep_one_chain(app, engine):
    """Threads appending at once must not fork the chain (the head row serialises them)."""
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            for i in range(10):
                with Session(engine) as session:
                    append_event(session, SYSTEM, "test.concurrent", data={"w": n, "i": i})
                    session.commit()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    report = verify(engine)
    assert report.ok and report.checked == 60


def test_verify_log_command_exit_codes(db, engine, app, monkeypatch):
    _chain(db)
    settings = app.config["WORKSHOP"]
    monkeypatch.setenv("WORKSHOP_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("WORKSHOP_INSTANCE_PATH", str(settings.instance_path))
    ok = CliRunner().invoke(workshop_cli, ["verify-log"])
    assert ok.exit_code == 0 and "intact: 6 events" in ok.output
    with engine.begin() as conn:
        conn.execute(text("UPDATE event SET kind = 'forged' WHERE seq = 5"))
    bad = CliRunner().invoke(workshop_cli, ["verify-log"])
    assert bad.exit_code == 1
    assert "event #5" in bad.output and "altered" in bad.output
