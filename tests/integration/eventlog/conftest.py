"""Fixtures for the event log: a chain of events, wipe records, and `workshop verify-log` run
as the CLI on the test app's database and instance folder."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from click.testing import CliRunner, Result

from tests.integration.documents.conftest import send_wipe  # noqa: F401 (a fixture)
from workshop.services.actors import SYSTEM
from workshop.services.events import append_event


@pytest.fixture
def verify_log(app, monkeypatch) -> Callable[[], Result]:
    """Run `workshop verify-log` against the test database and instance folder."""
    from workshop.cli import main as workshop_cli

    settings = app.config["WORKSHOP"]
    monkeypatch.setenv("WORKSHOP_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("WORKSHOP_INSTANCE_PATH", str(settings.instance_path))
    return lambda: CliRunner().invoke(workshop_cli, ["verify-log"])


@pytest.fixture
def chain(db) -> Callable[..., None]:
    """Append `n` events, one transaction each (each commit seals and writes a checkpoint)."""

    def make(n: int = 6) -> None:
        for i in range(n):
            append_event(db, SYSTEM, "test.event", data={"i": i})
            db.commit()

    return make
