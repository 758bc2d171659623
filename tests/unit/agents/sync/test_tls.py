"""TLS is always verified for https: a custom CA file is accepted, an unknown issuer is refused."""

from __future__ import annotations

from http.server import BaseHTTPRequestHandler

import pytest

from agents.client import ServerClient, ServerUnreachable
from tests.helpers.tls_server import https_server as https_server_on


class Heartbeat(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        body = b'{"id": 1, "name": "Etabli"}'
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args) -> None:
        return


@pytest.fixture
def https_server(tmp_path):
    with https_server_on(tmp_path, Heartbeat) as (url, ca_file):
        yield url, str(ca_file)


def test_a_server_signed_by_the_given_ca_is_trusted(https_server):
    url, ca_file = https_server
    assert ServerClient(url, "t", ca_file=ca_file, timeout=5).heartbeat()["id"] == 1


def test_a_server_the_system_cas_do_not_know_is_refused(https_server):
    url, _ = https_server
    with pytest.raises(ServerUnreachable, match="CERTIFICATE_VERIFY_FAILED"):
        ServerClient(url, "t", timeout=5).heartbeat()
