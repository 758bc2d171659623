"""A booted PC enrols over https with the workshop's own CA baked into the image (BENCH_CA_FILE),
keeps that CA for the session's later requests, and learns the server's public address."""

from __future__ import annotations

import json
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from agents import settings as config
from agents.client import ServerUnreachable
from agents.live.bootparams import LiveParams
from agents.live.uplink import Uplink
from tests.unit.agents.sync.test_tls import _cert

SECRET = "ABCD-EFGH-JKMN-PQRS-TVWX"


class Enrol(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        sent = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
        assert self.path == "/api/v1/enroll/site" and sent["secret"] == SECRET
        body = json.dumps(
            {
                "bench_id": 7,
                "bench_name": "Lannion · PC 1",
                "token": "atl_session",
                "public_url": "https://atelier.example/",
            }
        ).encode()
        self.send_response(201)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args) -> None:
        return


@pytest.fixture
def https_enrol(tmp_path):
    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca = _cert("Atelier CA", ca_key, "Atelier CA", ca_key, ca=True)
    leaf = _cert("localhost", ca_key, "Atelier CA", key, ca=False)
    (tmp_path / "ca.pem").write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "leaf.pem").write_bytes(
        leaf.public_bytes(serialization.Encoding.PEM)
        + key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(tmp_path / "leaf.pem")
    server = ThreadingHTTPServer(("127.0.0.1", 0), Enrol)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"https://localhost:{server.server_address[1]}", tmp_path / "ca.pem"
    server.shutdown()
    server.server_close()


def _uplink(tmp_path, url: str) -> Uplink:
    params = LiveParams(url=url, secret=SECRET)
    return Uplink(
        params, tmp_path / "bench.json", tmp_path / "outbox.sqlite3", lambda **_: None, print
    )


def test_the_image_s_ca_is_trusted_and_kept_for_the_session(tmp_path, https_enrol):
    url, ca = https_enrol
    uplink = _uplink(tmp_path, url)
    uplink.ca_file = ca
    uplink._enrol()
    stored = config.read_config_file(tmp_path / "bench.json")
    assert stored["token"] == "atl_session" and stored["ca_file"] == str(ca)
    assert uplink.public_url == "https://atelier.example"
    assert uplink.enrolled


def test_without_the_ca_an_unknown_issuer_is_refused(tmp_path, https_enrol):
    url, _ca = https_enrol
    uplink = _uplink(tmp_path, url)
    uplink.ca_file = tmp_path / "absent.pem"
    with pytest.raises(ServerUnreachable):
        uplink._enrol()
    assert not uplink.enrolled
