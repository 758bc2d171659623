"""A network printer simulated by a TCP listener on 127.0.0.1 that records what it gets."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest

STATUS_REQUEST = b"\x10\x04\x04"


@dataclass
class FakePrinter:
    """Accepts one connection per job and behaves as told.

    status_reply: byte answered to DLE EOT 4 (None: never answer);
    close_after: close the connection after reading this many job bytes;
    never_read: accept and then read nothing (a stalled printer).
    """

    status_reply: int | None = 0x12
    close_after: int | None = None
    never_read: bool = False
    received: bytearray = field(default_factory=bytearray)
    jobs: int = 0
    server: socket.socket = field(init=False)
    uri: str = field(init=False)
    stop: threading.Event = field(default_factory=threading.Event)

    def start(self) -> None:
        self.server = socket.socket()
        if self.never_read:
            self.server.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(4)
        self.server.settimeout(0.2)
        self.uri = f"tcp://127.0.0.1:{self.server.getsockname()[1]}"
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.server.accept()
            except TimeoutError:
                continue
            with conn:
                self.jobs += 1
                self._handle(conn)

    def _handle(self, conn: socket.socket) -> None:
        if self.never_read:
            self.stop.wait()
            return
        conn.settimeout(5)
        while True:
            try:
                chunk = conn.recv(4096 if self.close_after is None else 1)
            except OSError:
                return
            if not chunk:
                return
            self.received += chunk
            if self.received.endswith(STATUS_REQUEST) and self.status_reply is not None:
                conn.sendall(bytes([self.status_reply]))
            if self.close_after is not None and len(self.received) >= self.close_after:
                return  # closing with unread data: the kernel resets the connection

    def close(self) -> None:
        """Stop serving and wait for the current connection to end (idempotent)."""
        if self.stop.is_set():
            return
        self.stop.set()
        self.thread.join(timeout=5)
        self.server.close()


@pytest.fixture
def fake_printer() -> Iterator[Callable[..., FakePrinter]]:
    """Factory: start a FakePrinter with the given behaviour; all are stopped afterwards."""
    started: list[FakePrinter] = []

    def start(**behaviour: object) -> FakePrinter:
        printer = FakePrinter(**behaviour)
        printer.start()
        started.append(printer)
        return printer

    yield start
    for printer in started:
        printer.close()


@pytest.fixture
def free_port() -> int:
    """A TCP port on 127.0.0.1 where nothing listens (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _zbar_missing() -> str | None:
    try:
        from pyzbar import pyzbar  # noqa: F401
    except ImportError as exc:
        return f"zbar QR decoder unavailable ({exc}): apt-get install libzbar0"
    return None


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Skip, saying why, the tests of modules that read QR codes when zbar is missing."""
    module = getattr(item, "module", None)
    if module is not None and "read_qr" in vars(module):
        reason = _zbar_missing()
        if reason:
            pytest.skip(reason)
