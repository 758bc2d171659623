"""The bench image booted in QEMU (TCG) against a real workshop server inside a network namespace.

`netns` creates a namespace with only a loopback; `ns_server` runs `workshop serve` (SQLite)
bound to 127.0.0.1 inside it, and QEMU runs inside it too, so the guest's user-mode network maps
10.0.2.2 to that loopback and reaches nothing else. `bench_iso` builds the ISO with
packaging/bench-image/build-image.sh: the Debian base comes from the cache
(${ATELIER_CACHE:-~/.cache/atelier}; the first, cold build takes ~3-4 minutes), the agent layer
and the ISO are rebuilt each time (~10-15 s) with the test's URL and site secret in the menu.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest

from tests.helpers.workshop_server import WorkshopServer

REPO = Path(__file__).resolve().parents[3]
BIN = Path(sys.executable).parent
PORT = 8080  # inside the namespace: nobody else is there
GUEST_URL = f"http://10.0.2.2:{PORT}"
BUILD_TOOLS = (
    "mmdebstrap",
    "mksquashfs",
    "grub-mkrescue",
    "xorriso",
    "mformat",
    "mcopy",
    "mkfs.vfat",
)


def require_machine() -> None:
    """Skip (with the reason) only where the machine truly lacks what the boot test needs."""
    if os.geteuid() != 0:
        pytest.skip("booting the bench image needs root (network namespace, mmdebstrap)")
    missing = [t for t in ("qemu-system-x86_64", "ip", *BUILD_TOOLS) if shutil.which(t) is None]
    if missing:
        pytest.skip(
            f"missing tools for the bench image test: {', '.join(missing)} (make debs-test)"
        )
    if not Path("/dev/loop-control").exists():
        pytest.skip("no /dev/loop-control: live-boot's tools need loop devices")


class Namespace:
    """A network namespace with only `lo`, removed at the end."""

    def __init__(self) -> None:
        self.name = f"atelier-test-{uuid.uuid4().hex[:8]}"
        subprocess.run(["ip", "netns", "add", self.name], check=True)
        subprocess.run(["ip", "-n", self.name, "link", "set", "lo", "up"], check=True)

    def argv(self, *argv: str) -> list[str]:
        """The command line running `argv` inside the namespace."""
        return ["ip", "netns", "exec", self.name, *argv]

    def interfaces(self) -> str:
        """`ip -o link` inside the namespace (the test checks only lo exists)."""
        return subprocess.run(
            self.argv("ip", "-o", "link"), capture_output=True, text=True, check=True
        ).stdout

    def remove(self) -> None:
        """Delete the namespace."""
        subprocess.run(["ip", "netns", "delete", self.name], check=False)


@pytest.fixture
def netns() -> Iterator[Namespace]:
    """A fresh network namespace (loopback only)."""
    require_machine()
    ns = Namespace()
    yield ns
    ns.remove()


class NsServer(WorkshopServer):
    """`workshop serve` on SQLite, bound to 127.0.0.1:PORT inside a namespace."""

    def __init__(self, ns: Namespace, instance: Path, **env: str) -> None:
        super().__init__(instance)
        self.ns = ns
        self.port, self.url = PORT, f"http://127.0.0.1:{PORT}"  # inside the namespace
        self.env.update(env)

    def start(self) -> None:
        """Serve inside the namespace; wait until /api/v1/health answers there."""
        log = (self.instance / "server.log").open("ab")
        self.process = subprocess.Popen(
            self.ns.argv(
                str(BIN / "workshop"), "serve", "--host", "127.0.0.1", "--port", str(PORT)
            ),
            env=self.env,
            stdout=log,
            stderr=log,
        )
        probe = (
            "import urllib.request,sys;"
            f"urllib.request.urlopen('http://127.0.0.1:{PORT}/api/v1/health',timeout=1)"
        )
        deadline = time.monotonic() + 60
        while subprocess.run(
            self.ns.argv(sys.executable, "-c", probe), capture_output=True
        ).returncode:
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError((self.instance / "server.log").read_text())
            time.sleep(0.3)

    def call_inside(self, method: str, path: str, token: str, body: object = None) -> object:
        """An API request made from inside the namespace (the only place the server is)."""
        script = (
            "import json,sys,urllib.request;"
            "m,u,t,b=sys.argv[1:5];"
            "r=urllib.request.Request(u,method=m,data=b.encode() if b!='null' else None,"
            "headers={'Authorization':'Bearer '+t,'Content-Type':'application/json'});"
            "print(urllib.request.urlopen(r,timeout=10).read().decode())"
        )
        url = f"{self.url}/api/v1{path}"
        done = subprocess.run(
            self.ns.argv(sys.executable, "-c", script, method, url, token, json.dumps(body)),
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr[-2000:]
        return json.loads(done.stdout)

    def stop(self) -> None:
        """Stop the server."""
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)


@pytest.fixture
def make_ns_server(tmp_path: Path, netns: Namespace) -> Iterator[Callable[..., NsServer]]:
    """Callable(**WORKSHOP_* env) -> a migrated server, not started yet, stopped at the end."""
    made: list[NsServer] = []

    def make(**env: str) -> NsServer:
        instance = tmp_path / f"instance{len(made)}"
        instance.mkdir()
        server = NsServer(netns, instance, **env)
        server.cli("db", "upgrade")
        server.cli("create-organisation", "--kind", "workshop", "--name", "Atelier test")
        made.append(server)
        return server

    yield make
    for server in made:
        server.stop()


@pytest.fixture
def ns_server(make_ns_server: Callable[..., NsServer]) -> NsServer:
    """A migrated server running inside `netns`."""
    server = make_ns_server()
    server.start()
    return server


def build_iso(output: Path, **params: str) -> Path:
    """Build the bench ISO with these BENCH_* parameters (the base comes from the cache)."""
    env = {**os.environ, "PYTHON": sys.executable, **params}
    done = subprocess.run(
        [str(REPO / "packaging/bench-image/build-image.sh"), str(output)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=1800,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    return output


Action = tuple[str, Callable[[], None]]


def run_guest(
    qemu: subprocess.Popen[bytes], serial_log: Path, timeout: float, actions: Sequence[Action] = ()
) -> bytes:
    """Wait for QEMU to exit (the guest powers off); each action runs once, as soon as its text
    appears on the guest's serial console. QEMU is killed after `timeout` (a hang guard)."""
    pending = list(actions)
    deadline = time.monotonic() + timeout
    while qemu.poll() is None and time.monotonic() < deadline:
        if pending:
            text = serial_log.read_text(errors="replace") if serial_log.exists() else ""
            while pending and pending[0][0] in text:
                pending.pop(0)[1]()
        time.sleep(1.0)
    if qemu.poll() is None:
        qemu.kill()
    output, _ = qemu.communicate()
    return output or b""


def send_keys(monitor: Path, keys: Sequence[str]) -> None:
    """Type on the guest's PS/2 keyboard through the QEMU monitor (`sendkey`), like a technician
    at the PC (e.g. ["o", "u", "i", "ret"])."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.connect(str(monitor))
        sock.settimeout(5.0)
        for key in keys:
            sock.sendall(f"sendkey {key}\n".encode())
            time.sleep(0.3)
        sock.sendall(b"info status\n")
        time.sleep(0.5)
