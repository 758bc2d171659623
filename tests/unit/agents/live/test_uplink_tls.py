"""A booted PC enrols over https with the workshop's own CA baked into the image (BENCH_CA_FILE),
keeps that CA for the session's later requests, and learns the server's public address."""

from __future__ import annotations

import json
from http.server import BaseHTTPRequestHandler

import pytest

from agents import settings as config
from agents.client import ServerUnreachable
from agents.live.bootparams import LiveParams
from agents.live.uplink import Uplink
from tests.helpers.tls_server import https_server

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
    with https_server(tmp_path, Enrol, ca_name="Atelier CA") as served:
        yield served


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
