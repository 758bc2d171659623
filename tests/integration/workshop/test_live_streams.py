"""Live pages share a bounded number of event streams; more screens get a fresh view instead."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from tests.conftest import PASSWORD


def _first_chunk(response: Any) -> str:
    chunk = next(iter(response.response))
    return chunk.decode() if isinstance(chunk, bytes) else chunk


def _hold(web: Any, path: str) -> tuple[str, Callable[[], None]]:
    """Open a stream in its own thread, as a server would; return its first event and a closer."""
    first: list[str] = []
    opened, leave = threading.Event(), threading.Event()

    def screen() -> None:
        response = web.get(path)
        try:
            first.append(_first_chunk(response))
            opened.set()
            leave.wait(30)
        finally:
            response.close()

    thread = threading.Thread(target=screen)
    thread.start()
    assert opened.wait(30)

    def close() -> None:
        leave.set()
        thread.join(30)

    return first[0], close


def test_screens_beyond_the_live_slots_get_a_fresh_view_not_a_thread(
    app, web, make_user, make_bench
):
    bench, _ = make_bench()
    assert web.login(make_user("coordinator").email, PASSWORD).status_code == 302
    app.config["WORKSHOP"].live_streams = 1
    app.extensions.pop("atelier_live_streams", None)
    try:
        first, close = _hold(web, "/benches/stream")  # one screen holds the only slot
        assert first.startswith("event: card") and f'"bench": {bench.id}' in first

        # Another screen gets the board as it is now, is told to come back, and its stream
        # ends (get_data returns: no server thread stays with it).
        busy = web.get("/benches/stream").get_data(as_text=True)
        assert busy.startswith("retry: 10000\nevent: busy\ndata: 10\n\n")
        assert f'"bench": {bench.id}' in busy
        page = web.get(f"/benches/{bench.id}/stream").get_data(as_text=True)
        assert page.startswith("retry: 10000\nevent: busy")

        close()  # the first screen goes away: its slot is free again
        again, close_again = _hold(web, "/benches/stream")
        assert again.startswith("event: card")
        close_again()
    finally:
        app.extensions.pop("atelier_live_streams", None)


def test_a_stream_ends_as_soon_as_its_session_ends(
    app, web, db, make_user, make_bench, monkeypatch
):
    from workshop.models import User
    from workshop.services.accounts import end_sessions
    from workshop.web import benches

    # Bounded for the test: before the fix the stream ran its whole lifetime, then ended
    # without a word; now it ends at the next round with an `ended` event.
    monkeypatch.setattr(benches, "STREAM_LIFETIME", 20)
    make_bench()
    user = make_user("coordinator")
    user_id, email = user.id, user.email
    assert web.login(email, PASSWORD).status_code == 302
    response = web.get("/benches/stream")
    chunks = iter(response.response)
    first = next(chunks)
    assert (first.decode() if isinstance(first, bytes) else first).startswith("event: card")
    end_sessions(db, db.get(User, user_id))  # logged out on another browser, password changed…
    db.commit()
    rest = "".join(c.decode() if isinstance(c, bytes) else c for c in chunks)
    response.close()
    assert rest.endswith("event: ended\ndata: \n\n"), rest[-200:]
    assert web.get("/benches/stream").status_code in (302, 401)  # no new stream either
