"""Database engine and the one-transaction-per-request session.

SQLite (the embedded default) runs in WAL mode with foreign keys on, and every
transaction that may write starts with BEGIN IMMEDIATE: writers queue on the
database lock instead of failing when two requests upgrade a read to a write at
once. Web page GETs start a plain (deferred) transaction and never block writers.
PostgreSQL is used as configured (``WORKSHOP_DATABASE_URL``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask, g, has_request_context
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

SQLITE_BUSY_TIMEOUT_MS = 15000
DEFERRED_BEGIN_OPTION = "atelier_deferred_begin"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine with the project's connection settings for SQLite or PostgreSQL."""
    if url.startswith("sqlite"):
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 15}, **kwargs
        )
        _configure_sqlite(engine)
        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take over transaction control from the sqlite3 module (see module docstring).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # Read-only work (GET requests) must not hold the write lock.
        deferred = conn.get_execution_options().get(DEFERRED_BEGIN_OPTION)
        conn.exec_driver_sql("BEGIN" if deferred else "BEGIN IMMEDIATE")


def init_app(app: Flask, engine: Engine) -> None:
    """Attach the engine to the app and commit or roll back once per request."""
    app.extensions["db_engine"] = engine

    @app.after_request
    def _commit(response: Any) -> Any:
        session = g.pop("db_session", None)
        if session is not None:
            try:
                if response.status_code < 400:
                    session.commit()
                else:
                    session.rollback()
            finally:
                session.close()
        return response

    @app.teardown_request
    def _close(_exc: BaseException | None) -> None:
        session = g.pop("db_session", None)
        if session is not None:
            session.rollback()
            session.close()


def get_engine(app: Flask) -> Engine:
    """The app's engine."""
    engine: Engine = app.extensions["db_engine"]
    return engine


def request_session() -> Session:
    """The session of the current request (created on first use)."""
    assert has_request_context()
    if "db_session" not in g:
        from flask import current_app, request

        engine = get_engine(current_app)
        # Web pages read on GET; API calls write even then (a token's last use, a label job
        # rendered when fetched), so they take the write lock up front like any write.
        if request.method in SAFE_METHODS and not request.path.startswith("/api/"):
            engine = engine.execution_options(**{DEFERRED_BEGIN_OPTION: True})
        g.db_session = Session(engine, expire_on_commit=False)
    session: Session = g.db_session
    return session


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One transaction for a CLI command or a job: commit on success, roll back on error."""
    session = Session(engine, expire_on_commit=False)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
