"""Migration 0011b gives accounts that already exist each their own session nonce."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import text

from tests.conftest import BACKENDS, PG_HOST, _postgres_or_skip
from workshop.db import make_engine
from workshop.migrations import alembic_config, upgrade


@pytest.fixture(params=BACKENDS)
def fresh_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    """An empty database, not yet migrated."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'upgrade.sqlite3'}"
        return
    admin = _postgres_or_skip()
    name = f"atelier_upgrade_{uuid.uuid4().hex[:12]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg://postgres@{PG_HOST}:5432/{name}"
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def test_existing_accounts_get_distinct_nonces(fresh_url):
    from alembic import command

    upgrade(fresh_url, "0010")
    engine = make_engine(fresh_url)
    try:
        with engine.begin() as conn:
            for email in ("a@example.org", "b@example.org"):
                conn.execute(
                    text(
                        'INSERT INTO "user" (email, full_name, password_hash, role, active, '
                        "pseudonym, created_at) VALUES (:e, 'X', 'h', 'technician', true, :p, "
                        "CURRENT_TIMESTAMP)"
                    ),
                    {"e": email, "p": uuid.uuid4().hex},
                )
        upgrade(fresh_url)
        with engine.connect() as conn:
            nonces = conn.execute(text('SELECT session_nonce FROM "user"')).scalars().all()
        assert len(set(nonces)) == 2 and all(re.fullmatch("[0-9a-f]{32}", n) for n in nonces)
        command.downgrade(alembic_config(fresh_url), "0010")
    finally:
        engine.dispose()
