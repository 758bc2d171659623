"""Migration 0009 on a database whose events were chained the old way (in the writers'
transactions): they stay valid, the head gets their Merkle frontier, new events follow."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from alembic import command
from sqlalchemy import text
from sqlmodel import Session

from tests.conftest import PG_HOST, _postgres_or_skip
from workshop.db import make_engine
from workshop.migrations import alembic_config, upgrade
from workshop.services.actors import SYSTEM
from workshop.services.events import append_event, chain_text, verify_chain
from workshop.services.merkle import tree_root
from workshop.services.sealing import seal


@pytest.fixture(params=["sqlite", "postgresql"])
def url_at_0008(request, tmp_path) -> Iterator[str]:
    """A fresh database migrated up to 0008 (before sealing existed)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
        upgrade(url, "0008")
        yield url
        return
    admin = _postgres_or_skip()
    name = f"atelier_mig_{uuid.uuid4().hex[:12]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    url = f"postgresql+psycopg://postgres@{PG_HOST}:5432/{name}"
    try:
        upgrade(url, "0008")
        yield url
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def _old_chain(engine, count: int) -> list[str]:
    """Events as the old append_event wrote them: seq, prev_hash and hash at insert."""
    prev, hashes = "0" * 64, []
    with engine.begin() as conn:
        for seq in range(1, count + 1):
            at = datetime(2026, 11, 1, 8, 0, seq, tzinfo=UTC)
            fields = {
                "seq": seq,
                "kind": "test.old",
                "device_id": None,
                "donation_id": None,
                "data": f'{{"i":{seq}}}',
                "actor": "system",
                "bench_id": None,
                "created_at": at,
                "prev_hash": prev,
            }
            digest = hashlib.sha256(chain_text(**fields).encode()).hexdigest()
            conn.execute(
                text(
                    "INSERT INTO event (seq, kind, data, actor, created_at, prev_hash, hash) "
                    "VALUES (:seq, :kind, :data, :actor, :created_at, :prev_hash, :hash)"
                ),
                fields | {"created_at": at.replace(tzinfo=None), "hash": digest},
            )
            prev = digest
            hashes.append(digest)
        conn.execute(
            text("UPDATE event_chain_head SET seq = :s, last_hash = :h"), {"s": count, "h": prev}
        )
    return hashes


def test_old_events_stay_valid_and_new_ones_extend_their_tree(url_at_0008):
    engine = make_engine(url_at_0008)
    try:
        hashes = _old_chain(engine, 5)
        upgrade(url_at_0008)
        with Session(engine) as session:
            report = verify_chain(session)
        assert report.ok and report.checked == 5
        assert report.root_hash == tree_root([bytes.fromhex(h) for h in hashes]).hex()
        with Session(engine) as session:
            append_event(session, SYSTEM, "test.new")
            session.commit()
        assert seal(engine, None).tree_size == 6
        with Session(engine) as session:
            assert verify_chain(session).ok
    finally:
        engine.dispose()


def test_downgrade_refuses_while_events_wait_for_the_sealer(url_at_0008):
    upgrade(url_at_0008)
    engine = make_engine(url_at_0008)
    try:
        with Session(engine) as session:
            append_event(session, SYSTEM, "test.unsealed")
            session.commit()  # no sealer installed for this engine: it stays unsealed
        with pytest.raises(RuntimeError, match="1 events are not sealed yet"):
            command.downgrade(alembic_config(url_at_0008), "0008")
        seal(engine, None)
        command.downgrade(alembic_config(url_at_0008), "0008")
    finally:
        engine.dispose()
