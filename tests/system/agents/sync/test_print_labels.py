"""A bench prints the label jobs queued for its printer and its results reach the server once.

Real parts: a `workshop serve` process, `bench-agent` processes, and a network printer simulated
by a TCP listener on 127.0.0.1 that records the bytes (the bench's printer URI points at it).
"""

from __future__ import annotations

import json
import socket
import threading
import urllib.request

from labels.decode import decode_job


class Listener:
    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(4)
        self.jobs: list[bytes] = []
        threading.Thread(target=self._serve, daemon=True).start()

    @property
    def uri(self) -> str:
        return f"tcp://127.0.0.1:{self.sock.getsockname()[1]}"

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                data = b""
                while chunk := conn.recv(65536):
                    data += chunk
                self.jobs.append(data)


def _post(server, path, body):
    request = urllib.request.Request(
        f"{server.url}/api/v1{path}",
        data=json.dumps(body).encode(),
        method="POST",
        headers={
            "Authorization": f"Bearer {server.coordinator_token}",
            "Content-Type": "application/json",
        },
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def test_bench_prints_its_queue_once_and_reports_through_the_outbox(
    workshop_server, agent_env, run_agent
):
    printer_listener = Listener()
    line = workshop_server.cli("create-organisation", "--kind", "collectivite", "--name", "Mairie")
    donor_id = int(line.split("(id ")[1].rstrip(")"))
    printer = _post(
        workshop_server,
        "/printers",
        {
            "name": "Établi",
            "uri": printer_listener.uri,
            "profile": "tm-t20ii",
            "media": "58mm",
            "bench_id": workshop_server.bench_id,
        },
    )
    donation = _post(
        workshop_server,
        "/donations",
        {
            "donor_id": donor_id,
            "received_on": "2026-11-20",
            "place": "Mairie",
            "items": [{"type": "laptop", "count": 1, "serials": ["5CG7123ABC"]}],
        },
    )
    tag = donation["devices"][0]["asset_tag"]
    job = _post(workshop_server, f"/devices/{tag}/labels", {"printer_id": printer["id"]})
    assert job["status"] == "queued"

    first = run_agent(agent_env, "print-labels")
    assert first.returncode == 0, first.stderr
    assert f"job {job['id']} on {printer_listener.uri}: printed" in first.stdout
    # The result is still in the outbox: a second pass must not print the label again.
    again = run_agent(agent_env, "print-labels")
    assert "no label job waiting" in again.stdout or f"job {job['id']}" not in again.stdout
    assert len(printer_listener.jobs) == 1
    assert run_agent(agent_env, "sync").returncode == 0
    assert workshop_server.api(f"/label-jobs/{job['id']}")["status"] == "printed"
    decoded = decode_job(printer_listener.jobs[0])
    assert [q.payload.decode() for q in decoded.qr_codes][0].endswith(f"/d/{tag}")
    keys = workshop_server.record_keys()
    assert len(keys) == 1  # the one label.result record, sent once


def test_unreachable_printer_is_reported_failed_with_the_reason(
    workshop_server, agent_env, run_agent
):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        dead_port = sock.getsockname()[1]
    line = workshop_server.cli("create-organisation", "--kind", "collectivite", "--name", "Mairie")
    donor_id = int(line.split("(id ")[1].rstrip(")"))
    printer = _post(
        workshop_server,
        "/printers",
        {
            "name": "Éteinte",
            "uri": f"tcp://127.0.0.1:{dead_port}",
            "profile": "pos-5890",
            "media": "58mm",
            "bench_id": workshop_server.bench_id,
        },
    )
    donation = _post(
        workshop_server,
        "/donations",
        {
            "donor_id": donor_id,
            "received_on": "2026-11-20",
            "place": "Mairie",
            "items": [{"type": "screen", "count": 1}],
        },
    )
    tag = donation["devices"][0]["asset_tag"]
    job = _post(workshop_server, f"/devices/{tag}/labels", {"printer_id": printer["id"]})
    done = run_agent(agent_env, "print-labels")
    assert done.returncode == 1
    assert f"job {job['id']}" in done.stdout and "failed" in done.stdout
    assert run_agent(agent_env, "sync").returncode == 0
    seen = workshop_server.api(f"/label-jobs/{job['id']}")
    assert seen["status"] == "failed" and str(dead_port) in seen["last_error"]


def test_the_daemon_prints_labels_as_they_are_queued(workshop_server, agent_env, spawn_agent):
    import signal
    import time

    printer_listener = Listener()
    line = workshop_server.cli("create-organisation", "--kind", "collectivite", "--name", "Mairie")
    donor_id = int(line.split("(id ")[1].rstrip(")"))
    printer = _post(
        workshop_server,
        "/printers",
        {
            "name": "Établi",
            "uri": printer_listener.uri,
            "profile": "tm-t20ii",
            "media": "58mm",
            "bench_id": workshop_server.bench_id,
        },
    )
    daemon = spawn_agent({**agent_env, "BENCH_HEARTBEAT_INTERVAL": "1"}, "run")
    donation = _post(
        workshop_server,
        "/donations",
        {
            "donor_id": donor_id,
            "received_on": "2026-11-20",
            "place": "Mairie",
            "items": [{"type": "laptop", "count": 2}],
        },
    )
    jobs = [
        _post(workshop_server, f"/devices/{d['asset_tag']}/labels", {"printer_id": printer["id"]})
        for d in donation["devices"]
    ]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        states = [workshop_server.api(f"/label-jobs/{j['id']}")["status"] for j in jobs]
        if states == ["printed", "printed"]:
            break
        time.sleep(0.2)
    assert states == ["printed", "printed"]
    assert len(printer_listener.jobs) == 2
    daemon.send_signal(signal.SIGTERM)
    daemon.communicate(timeout=30)
    assert daemon.returncode == 0
