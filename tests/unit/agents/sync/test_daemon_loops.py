"""The daemon's loops with a scripted server and a fake disk list (no netlink, no hardware)."""

from __future__ import annotations

import json
import time

import pytest

from agents.client import ServerClient
from agents.daemon.service import BenchDaemon
from agents.settings import BenchSettings


class NoHotplug:
    def start(self) -> None:
        return None

    def stop(self) -> None:
        return None


@pytest.fixture
def make_daemon(scripted, make_outbox, tmp_path):
    started: list[BenchDaemon] = []

    def make(disks: list[list[dict]]) -> BenchDaemon:
        settings = BenchSettings(
            config_path=tmp_path / "b.json", heartbeat_interval=0.2, state_dir=str(tmp_path)
        )
        client = ServerClient(scripted.url, "t", timeout=5)
        daemon = BenchDaemon(settings, client, make_outbox(), list_disks=lambda: disks[0])
        daemon.hotplug = NoHotplug()  # type: ignore[assignment]
        # The scripted server answers in order: keep the task loops (tested against the real
        # server in tests/system/agents/sync/test_bench_tasks.py) from taking its answers.
        daemon.tasks.poll_loop = lambda: None  # type: ignore[method-assign]
        daemon.tasks.progress_loop = lambda: None  # type: ignore[method-assign]
        started.append(daemon)
        return daemon

    yield make
    for daemon in started:
        daemon.stop()
        daemon.join(5)


def _puts(scripted) -> list[list[str]]:
    return [
        [d["name"] for d in json.loads(r["raw"])["disks"]]
        for r in scripted.requests
        if r["method"] == "PUT"
    ]


def _wait(predicate, seconds=10.0):
    end = time.monotonic() + seconds
    while not predicate():
        assert time.monotonic() < end, "condition not met in time"
        time.sleep(0.02)


def test_disks_are_sent_at_start_and_only_when_the_set_changes(scripted, make_daemon):
    scripted.default = (200, {"count": 1})
    disks = [[{"name": "vda"}]]
    daemon = make_daemon(disks)
    daemon.start()
    _wait(lambda: _puts(scripted) == [["vda"]])
    daemon.disk_events.put(("change", "vda"))  # same set: nothing to send
    disks[0] = [{"name": "loop1"}, {"name": "vda"}]
    daemon.disk_events.put(("change", "loop1"))
    _wait(lambda: _puts(scripted) == [["vda"], ["loop1", "vda"]])
    daemon.disk_events.put(("change", "loop1"))
    time.sleep(0.5)
    assert _puts(scripted) == [["vda"], ["loop1", "vda"]]


def test_a_failed_disks_report_is_retried_at_the_next_heartbeat(scripted, make_daemon, error_body):
    scripted.default = (200, {"count": 1})
    # The disks PUT itself fails twice (not whichever request happens to come first).
    scripted.by_path["/api/v1/bench/disks"] = [(503, error_body("unavailable", "down"))] * 2
    daemon = make_daemon([[{"name": "vda"}]])
    daemon.start()
    _wait(lambda: _puts(scripted).count(["vda"]) >= 3 and daemon._sent_disks is not None)
    assert any(r["path"] == "/api/v1/bench/heartbeat" for r in scripted.requests)


def test_stop_ends_every_loop(scripted, make_daemon):
    scripted.default = (200, {"count": 0})
    daemon = make_daemon([[]])
    daemon.start()
    daemon.stop()
    daemon.join(5)
    assert not any(thread.is_alive() for thread in daemon._threads)


def test_when_the_server_returns_the_queue_is_sent_in_order_without_waiting(
    scripted, make_daemon, error_body
):
    scripted.by_path["/api/v1/bench/records"] = [(503, error_body("unavailable", "restarting"))]
    scripted.by_path["/api/v1/bench/disks"] = [(200, {"count": 0})]
    daemon = make_daemon([[]])
    keys = [daemon.outbox.enqueue("k", {"n": n}).key for n in range(3)]
    daemon.start()
    _wait(lambda: daemon.outbox.counts()["acked"] == 3)
    posted = [
        json.loads(r["raw"])["idempotency_key"]
        for r in scripted.requests
        if r["method"] == "POST" and r["path"] == "/api/v1/bench/records"
    ]
    # The first item failed; the heartbeat saw the server back and the queue went out in order,
    # the failed item first, instead of later items overtaking it during its backoff.
    assert posted == [keys[0], *keys]
