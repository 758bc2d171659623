"""Sealing after commit: writers do not wait on each other, nothing is lost, the chain is
gapless in sealing order, and the checkpoints are published and signed."""

from __future__ import annotations

import threading

import pytest
from click.testing import CliRunner
from sqlalchemy import text
from sqlmodel import Session, col, select

from workshop.models import Event, EventChainHead
from workshop.services.actors import SYSTEM
from workshop.services.checkpoints import Checkpoint, checkpoint_file
from workshop.services.events import append_event, verify_chain
from workshop.services.log_verification import verify_log
from workshop.services.merkle import tree_root
from workshop.services.signing import public_keys_by_id


def _checkpoints(app):
    return checkpoint_file(app.config["WORKSHOP"].instance_path)


def _sealed(engine) -> list[Event]:
    with Session(engine) as session:
        return list(session.exec(select(Event).order_by(col(Event.seq))))


def test_an_event_is_sealed_after_its_commit_not_in_it(app, db):
    event = append_event(db, SYSTEM, "test.event", data={"i": 1})
    assert (event.seq, event.prev_hash, event.hash) == (None, None, None)
    assert _checkpoints(app).latest() is None
    db.commit()
    db.refresh(event)
    assert event.seq == 1 and event.prev_hash == "0" * 64 and len(event.hash or "") == 64
    latest = _checkpoints(app).latest()
    assert latest is not None and latest.tree_size == 1
    assert latest.root_hash == tree_root([bytes.fromhex(event.hash or "")]).hex()


def test_a_rolled_back_event_leaves_no_gap(db, engine):
    append_event(db, SYSTEM, "test.gone")
    db.rollback()
    append_event(db, SYSTEM, "test.kept")
    db.commit()
    events = _sealed(engine)
    assert [(e.seq, e.kind) for e in events] == [(1, "test.kept")]


@pytest.mark.postgresql_only  # SQLite has one writer at a time: commit order is id order
def test_a_lower_id_committed_late_is_sealed_after_a_higher_one(app, engine):
    """PostgreSQL gives ids at insert; the chain follows sealing (commit) order instead."""
    with Session(engine) as slow, Session(engine) as fast:
        early = append_event(slow, SYSTEM, "test.slow")
        # The old scheme made this writer wait for the first one's head row lock.
        fast.execute(text("SET LOCAL lock_timeout = '3s'"))
        late = append_event(fast, SYSTEM, "test.fast")
        early_id, late_id = early.id, late.id
        assert early_id is not None and late_id is not None and early_id < late_id
        fast.commit()
        slow.commit()
    order = [(e.seq, e.id) for e in _sealed(engine)]
    assert order == [(1, late_id), (2, early_id)]
    report = verify_log(engine, _checkpoints(app))
    assert report.ok and report.chain.checked == 2


def test_concurrent_benches_make_one_gapless_chain(app, engine):
    """16 writers at once, three events per transaction like ingest_wipe: every event sealed
    once, seqs 1..N without gaps, checkpoints only growing, and the whole log verifies."""
    writers, transactions = 16, 8
    errors: list[BaseException] = []

    def bench(n: int) -> None:
        try:
            for i in range(transactions):
                with Session(engine) as session:
                    for kind in ("wipe.recorded", "device.status_changed", "label.queued"):
                        append_event(session, SYSTEM, kind, data={"bench": n, "i": i})
                    session.commit()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=bench, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    total = writers * transactions * 3
    events = _sealed(engine)
    assert [e.seq for e in events] == list(range(1, total + 1))
    sizes = [c.tree_size for c in _checkpoints(app).read_all()]
    assert sizes == sorted(set(sizes)) and sizes[-1] == total
    report = verify_log(engine, _checkpoints(app))
    assert report.ok and report.chain.checked == total and report.unsealed == 0


def test_seal_log_seals_what_a_crashed_writer_left(app, engine, monkeypatch):
    """An event committed without its seal (the process died after commit) is still data."""
    from workshop.cli import main as workshop_cli

    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO event (kind, data, actor, created_at) "
                "VALUES ('test.orphan', '{}', 'system', :at)"
            ),
            {"at": "2026-12-03 08:00:00.000000"},
        )
    assert _checkpoints(app).latest() is None
    settings = app.config["WORKSHOP"]
    monkeypatch.setenv("WORKSHOP_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("WORKSHOP_INSTANCE_PATH", str(settings.instance_path))
    result = CliRunner().invoke(workshop_cli, ["seal-log"])
    assert result.exit_code == 0 and "sealed 1 events; tree size 1" in result.output
    assert [e.seq for e in _sealed(engine)] == [1]
    again = CliRunner().invoke(workshop_cli, ["seal-log"])
    assert "sealed 0 events" in again.output and "already current" in again.output


def test_the_checkpoints_are_published_and_verify_with_the_published_keys(app, db):
    client = app.test_client()
    missing = client.get("/.well-known/atelier-log-checkpoint.json")
    assert missing.status_code == 404 and missing.json["error"]["code"] == "not_found"
    for i in range(3):
        append_event(db, SYSTEM, "test.event", data={"i": i})
        db.commit()
    latest = client.get("/.well-known/atelier-log-checkpoint.json")
    assert latest.status_code == 200
    checkpoint = Checkpoint.parse(latest.get_data(as_text=True))
    head = db.get(EventChainHead, 1)
    assert head is not None and checkpoint.tree_size == head.seq == 3
    keys = public_keys_by_id(client.get("/.well-known/atelier-keys.json").json)
    assert checkpoint.signature_problem(keys) == ""
    forged = Checkpoint(2, checkpoint.root_hash, checkpoint.timestamp, checkpoint.key_id,
                        checkpoint.signature)  # fmt: skip
    assert "altered" in forged.signature_problem(keys)
    lines = client.get("/.well-known/atelier-log-checkpoints.jsonl").get_data(as_text=True)
    assert [Checkpoint.parse(line).tree_size for line in lines.splitlines()] == [1, 2, 3]


def test_an_issued_document_carries_the_latest_checkpoint(app, db, make_donation):
    import json

    from workshop.services import documents
    from workshop.services.signing import KeyRing

    donation = make_donation(count=2)
    latest = _checkpoints(app).latest()
    assert latest is not None and latest.tree_size > 0
    settings = app.config["WORKSHOP"]
    issuer = documents.Issuer(KeyRing(settings.instance_path / "keys"), "http://x", "Atelier")
    document = documents.issue_for_donation(db, SYSTEM, issuer, "attestation", donation)
    header = json.loads(document.payload)["document"]
    assert header["log"] == {"tree_size": latest.tree_size, "root_hash": latest.root_hash}
    db.commit()
    assert verify_chain(db).ok
