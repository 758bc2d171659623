"""Fixtures for the server-link unit tests: a temp outbox and a scripted HTTP server."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from agents.outbox import Outbox


@dataclass
class Scripted:
    """A local HTTP server answering from a list of (status, body) and recording requests."""

    url: str
    answers: list[tuple[int, Any]] = field(default_factory=list)
    requests: list[dict[str, Any]] = field(default_factory=list)
    default: tuple[int, Any] = (201, {"status": "created", "kind": "k", "result": {}})
    by_path: dict[str, list[tuple[int, Any]]] = field(default_factory=dict)  # checked first


def _handler(script: Scripted) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            script.requests.append(
                {
                    "method": self.command,
                    "path": self.path,
                    "headers": dict(self.headers),
                    "raw": raw,
                }
            )
            queue = script.by_path.get(self.path) or script.answers
            status, body = queue.pop(0) if queue else script.default
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = _answer

        def log_message(self, format: str, *args: Any) -> None:
            return

    return Handler


@pytest.fixture
def scripted() -> Iterator[Scripted]:
    """A scripted server on a free port of 127.0.0.1."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    script = Scripted(url=f"http://127.0.0.1:{server.server_address[1]}")
    server.RequestHandlerClass = _handler(script)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield script
    server.shutdown()
    server.server_close()


@pytest.fixture
def make_outbox(tmp_path: Any) -> Iterator[Callable[..., Outbox]]:
    """Open outboxes on one temp file (each call: a new connection, like a new process)."""
    opened: list[Outbox] = []

    def make(**kwargs: Any) -> Outbox:
        box = Outbox(tmp_path / "state" / "outbox.sqlite3", **kwargs)
        opened.append(box)
        return box

    yield make
    for box in opened:
        box.close()


def _error_body(code: str, message: str, field: str | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "field": field}}


@pytest.fixture
def error_body() -> Callable[..., dict[str, Any]]:
    """Build the API's error body: error_body(code, message, field=None)."""
    return _error_body
