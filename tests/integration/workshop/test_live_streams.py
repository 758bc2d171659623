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
