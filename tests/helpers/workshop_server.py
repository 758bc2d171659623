"""A real `workshop serve` process over one SQLite instance, for system tests.

`WorkshopServer` migrates the instance, creates accounts through the real CLI, serves on a
free port and can be killed and restarted on the same port and database.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

BIN = Path(sys.executable).parent
COORDINATOR = "coordination@sync.test"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class WorkshopServer:
    """One `workshop serve` process over one SQLite instance, restartable on the same port."""

    def __init__(self, instance: Path) -> None:
        self.instance = instance
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "WORKSHOP_INSTANCE_PATH": str(instance),
            "WORKSHOP_DATABASE_URL": "",
        }
        self.process: subprocess.Popen[bytes] | None = None
        self.coordinator_token = ""
        self.bench_id = 0
        self.bench_token = ""

    def cli(self, *args: str) -> str:
        """Run a `workshop` command on this instance; return its output."""
        done = subprocess.run(
            [str(BIN / "workshop"), *args],
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    def setup(self) -> None:
        """Migrate, then create a coordinator with a token and one bench with its token."""
        self.cli("db", "upgrade")
        self.cli("create-organisation", "--kind", "workshop", "--name", "Atelier test")
        self.cli(
            "create-user", "--email", COORDINATOR, "--name", "Coordination",
            "--role", "coordinator", "--organisation", "Atelier test", "--password", "x" * 16,
        )  # fmt: skip
        self.coordinator_token = self.cli("create-token", COORDINATOR).split()[-1]
        line = self.cli("create-bench", "Établi test")  # bench 'Établi test' (id 1) token: atl_...
        self.bench_id = int(line.split("(id ")[1].split(")")[0])
        self.bench_token = line.split("token: ")[1]

    def start(self) -> None:
        """Start serving and wait until /health answers."""
        log = (self.instance / "server.log").open("a")
        self.process = subprocess.Popen(
            [str(BIN / "workshop"), "serve", "--port", str(self.port)],
            env=self.env,
            stdout=log,
            stderr=log,
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{self.url}/api/v1/health", timeout=1)
                return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.kill()
                    raise RuntimeError((self.instance / "server.log").read_text()) from None
                time.sleep(0.1)

    def kill(self, sig: int = signal.SIGKILL) -> None:
        """Stop the server process with the given signal and reap it."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(sig)
            self.process.wait(timeout=20)
        self.process = None

    def api(self, path: str) -> Any:
        """GET an API path with the coordinator's token."""
        request = urllib.request.Request(
            f"{self.url}/api/v1{path}",
            headers={"Authorization": f"Bearer {self.coordinator_token}"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read())

    def call(self, method: str, path: str, body: Any = None, token: str | None = None) -> Any:
        """Any API request (coordinator's token unless another is given); the JSON answer."""
        request = urllib.request.Request(
            f"{self.url}/api/v1{path}",
            method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={
                "Authorization": f"Bearer {token or self.coordinator_token}",
                "Content-Type": "application/json",
            },
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read())

    def record_keys(self) -> list[str]:
        """Idempotency keys of every record the server holds for the bench."""
        return [r["idempotency_key"] for r in self.api(f"/benches/{self.bench_id}/records")]
