"""A bench prints the label jobs queued for its printer and its results reach the server once.

Real parts: a `workshop serve` process, `bench-agent` processes, and a network printer simulated
by a TCP listener on 127.0.0.1 that records the bytes (the bench's printer URI points at it).
"""

from __future__ import annotations

import json
import signal
import time
import urllib.request

from labels.decode import decode_job
from tests.helpers.printers import RecordingPrinter, dead_port


def _post(server, path, body):
    request = urllib.request.Request(
        f"{server.url}/api/v1{path}", data=json.dumps(body).encode(), method="POST",
        headers={"Authorization": f"Bearer {server.coordinator_token}",
                 "Content-Type": "application/json"},
    )  # fmt: skip
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def _queue_labels(server, uri, count, profile="tm-t20ii"):
    """A printer on the server's bench, `count` new devices, one label job each."""
    line = server.cli("create-organisation", "--kind", "collectivite", "--name", "Mairie")
    donor_id = int(line.split("(id ")[1].rstrip(")"))
    printer = _post(
        server,
        "/printers",
        {
            "name": "Établi",
            "uri": uri,
            "profile": profile,
            "media": "58mm",
            "bench_id": server.bench_id,
        },
    )
    donation = _post(server, "/donations", {
        "donor_id": donor_id, "received_on": "2026-11-20", "place": "Mairie",
        "items": [{"type": "laptop", "count": count}]})  # fmt: skip
    return [
        (d["asset_tag"], _post(server, f"/devices/{d['asset_tag']}/labels",
                               {"printer_id": printer["id"]}))
        for d in donation["devices"]
    ]  # fmt: skip


def test_bench_prints_its_queue_once_and_reports_through_the_outbox(
    workshop_server, agent_env, run_agent
):
    printer = RecordingPrinter()
    [(tag, job)] = _queue_labels(workshop_server, printer.uri, 1)
    assert job["status"] == "queued"
    first = run_agent(agent_env, "print-labels")
    assert first.returncode == 0, first.stderr
    assert f"job {job['id']} on {printer.uri}: printed" in first.stdout
    # The result is still in the outbox: a second pass must not print the label again.
    again = run_agent(agent_env, "print-labels")
    assert f"job {job['id']}" not in again.stdout
    assert len(printer.jobs) == 1
    assert run_agent(agent_env, "sync").returncode == 0
    assert workshop_server.api(f"/label-jobs/{job['id']}")["status"] == "printed"
    decoded = decode_job(printer.jobs[0])
    assert [q.payload.decode() for q in decoded.qr_codes][0].endswith(f"/d/{tag}")
    assert len(workshop_server.record_keys()) == 1  # the one label.result record, sent once


def test_unreachable_printer_is_reported_failed_with_the_reason(
    workshop_server, agent_env, run_agent
):
    port = dead_port()
    [(_tag, job)] = _queue_labels(workshop_server, f"tcp://127.0.0.1:{port}", 1, "pos-5890")
    done = run_agent(agent_env, "print-labels")
    assert done.returncode == 1
    assert f"job {job['id']}" in done.stdout and "failed" in done.stdout
    assert run_agent(agent_env, "sync").returncode == 0
    seen = workshop_server.api(f"/label-jobs/{job['id']}")
    assert seen["status"] == "failed" and str(port) in seen["last_error"]


def test_the_daemon_prints_labels_as_they_are_queued(workshop_server, agent_env, spawn_agent):
    printer = RecordingPrinter()
    daemon = spawn_agent({**agent_env, "BENCH_HEARTBEAT_INTERVAL": "1"}, "run")
    jobs = [job for _tag, job in _queue_labels(workshop_server, printer.uri, 2)]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        states = [workshop_server.api(f"/label-jobs/{j['id']}")["status"] for j in jobs]
        if states == ["printed", "printed"]:
            break
        time.sleep(0.2)
    assert states == ["printed", "printed"]
    assert len(printer.jobs) == 2
    daemon.send_signal(signal.SIGTERM)
    daemon.communicate(timeout=30)
    assert daemon.returncode == 0
