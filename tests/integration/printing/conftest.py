"""A network label printer simulated by a TCP listener on 127.0.0.1 that records what it gets."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from typing import Any

import pytest


class RecordingPrinter:
    """Accepts connections on 127.0.0.1 and keeps the bytes of each job."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(4)
        self.port = int(self.sock.getsockname()[1])
        self.jobs: list[bytes] = []
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def uri(self) -> str:
        return f"tcp://127.0.0.1:{self.port}"

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                data = bytearray()
                while chunk := conn.recv(65536):
                    data += chunk
                self.jobs.append(bytes(data))

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def recording_printer() -> Iterator[RecordingPrinter]:
    printer = RecordingPrinter()
    yield printer
    printer.close()


@pytest.fixture
def free_port() -> int:
    """A port where nothing listens (bound then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def inventoried_device(db, make_bench, make_device, snapshot) -> Any:
    """A device with components from a real snapshot (so the label has a specs line)."""
    from workshop.services.actors import Actor
    from workshop.services.bench_records import receive_record

    bench, _ = make_bench()
    device = make_device("received")
    receive_record(
        db,
        Actor(bench=bench),
        key="key-label-01",
        kind="inventory.snapshot",
        payload=snapshot(),
        extra={"asset_tag": device.asset_tag},
    )
    db.commit()
    return device
