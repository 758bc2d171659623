"""The booted PC's link to the workshop: enrol with the site secret, then send the outbox.

Runs in a thread for the whole session. Until the network and the server answer, records wait
in the outbox (RAM or the stick's data partition); the thread retries every few seconds and
tells the screen what it sees ("en ligne", "hors ligne", "refusé : ...").
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from agents import settings as config
from agents.client import ClientError, ServerClient, ServerRejected, ServerUnreachable
from agents.live.bootparams import LiveParams
from agents.outbox import Outbox
from agents.sync.link import agent_version, make_client
from agents.sync.sender import flush

RETRY_SECONDS = 3.0
CA_FILE = Path("/usr/local/share/atelier/ca.pem")


def hostname_for(snapshot: dict[str, Any] | None) -> str:
    """The bench session's name on the server: the PC's serial when real, else the hostname."""
    system = (snapshot or {}).get("system") or {}
    serial = system.get("serial") or {}
    if serial.get("value") and not serial.get("placeholder"):
        return f"{system.get('product') or 'PC'} {serial['value']}"[:100]
    return socket.gethostname() or "PC"


class Uplink(threading.Thread):
    """Enrols when possible and keeps the outbox flowing to the server."""

    def __init__(
        self,
        params: LiveParams,
        config_path: Path,
        outbox_path: Path,
        on_change: Callable[..., None],
        log: Callable[[str], None],
    ) -> None:
        super().__init__(name="uplink", daemon=True)
        self.params = params
        self.config_path = config_path
        self.outbox_path = outbox_path
        self.on_change = on_change
        self._log = log
        self._said = ""
        self.name_hint: str | None = None
        self.wake = threading.Event()
        self.stopping = threading.Event()
        self.enrolled = bool(config.read_config_file(config_path).get("token"))
        self.refused: str | None = None
        self.online = False
        self.passes = 0  # passes done (the flow waits for the first before deciding it is offline)
        self.public_url: str | None = None
        # The workshop's own CA, baked into the image (BENCH_CA_FILE): when there, the server's
        # certificate must be signed by it (it replaces the system's CAs, as BENCH_CA_FILE does).
        self.ca_file = CA_FILE

    def log(self, message: str) -> None:
        """Log a line, but not the same line again and again while the network is away."""
        if message != self._said:
            self._log(message)
        self._said = message

    def _enrol(self) -> None:
        if not (self.params.url and self.params.secret):
            self.on_change(server="non configuré (atelier.url, atelier.secret)")
            return
        ca_file = str(self.ca_file) if self.ca_file.is_file() else None
        client = ServerClient(
            self.params.url, timeout=10.0, agent_version=agent_version(), ca_file=ca_file
        )
        answer = client.enroll_site(self.params.secret, self.name_hint)
        session = {
            "server_url": client.base_url,
            "token": answer["token"],
            "bench_id": answer["bench_id"],
            "bench_name": answer["bench_name"],
        }
        config.write_config(self.config_path, session | ({"ca_file": ca_file} if ca_file else {}))
        # Where people reach the workshop (its QR codes): the server says it, the boot entry's
        # URL may be an address only the workshop's network knows.
        public = answer.get("public_url")
        if isinstance(public, str) and public.startswith(("http://", "https://")):
            self.public_url = public.rstrip("/")
        self.enrolled = True
        self.log(f"enrolled as bench session {answer['bench_name']!r} (id {answer['bench_id']})")

    def _pass(self, outbox: Outbox) -> None:
        if not self.enrolled and self.refused is None:
            self._enrol()
        if self.enrolled:
            report = flush(outbox, make_client(config.load_settings()), ignore_schedule=True)
            if report.stopped_by is not None:
                raise report.stopped_by
            self.on_change(server="en ligne")

    def run(self) -> None:
        """Loop until stopped: enrol, flush, report the counts."""
        outbox = Outbox(self.outbox_path)
        # Records of an earlier boot (the stick's data partition) are not this session's.
        earlier = outbox.counts()["acked"]
        try:
            while not self.stopping.is_set():
                try:
                    self._pass(outbox)
                    self.online = self.enrolled
                except ServerUnreachable as error:
                    self.online = False
                    self.on_change(server="hors ligne")
                    self.log(f"server unreachable, will retry: {error.message}")
                except ServerRejected as error:
                    self.online = False
                    if not self.enrolled:  # a refused secret stays refused: say so, stop asking
                        self.refused = error.message
                    self.on_change(server=f"refusé : {error.message}"[:60])
                    self.log(f"server refused: HTTP {error.status} {error.code}: {error.message}")
                except ClientError as error:
                    self.online = False
                    self.on_change(server="hors ligne")
                    self.log(f"link error, will retry: {error.message}")
                self.passes += 1
                counts = outbox.counts()
                pending = counts["ready"] + counts["in_flight"]
                self.on_change(sent=counts["acked"] - earlier, pending=pending)
                self.wake.wait(RETRY_SECONDS)
                self.wake.clear()
        finally:
            outbox.close()
