"""A network label printer simulated by a TCP listener on 127.0.0.1 that records each job."""

from __future__ import annotations

import socket
import threading


class RecordingPrinter:
    """Accepts connections on 127.0.0.1 and keeps the bytes of each job, in order."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(4)
        self.port = int(self.sock.getsockname()[1])
        self.jobs: list[bytes] = []
        threading.Thread(target=self._serve, daemon=True).start()

    @property
    def uri(self) -> str:
        """The printer URI a Printer row or `atelier-label print` uses."""
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
        """Stop listening."""
        self.sock.close()


def dead_port() -> int:
    """A port on 127.0.0.1 where nothing listens (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
