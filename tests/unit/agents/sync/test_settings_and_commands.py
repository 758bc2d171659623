"""Settings from the enrollment file and BENCH_* variables; the enroll, status and sync commands."""

from __future__ import annotations

import json
import os
import stat

import pytest

from agents.cli import main
from agents.outbox import Outbox
from agents.settings import SettingsError, load_settings, write_config

CREATED = (201, {"status": "created", "kind": "k", "result": {}})


@pytest.fixture
def bench_env(tmp_path, monkeypatch):
    """Point the agent at a temp config and state dir; return the config path."""
    config = tmp_path / "etc" / "bench.json"
    for name in list(os.environ):
        if name.startswith("BENCH_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("BENCH_CONFIG", str(config))
    monkeypatch.setenv("BENCH_STATE_DIR", str(tmp_path / "state"))
    return config


def test_file_values_are_overridden_by_the_environment(tmp_path):
    config = tmp_path / "bench.json"
    write_config(config, {"server_url": "https://a.example/", "token": "t1", "read_timeout": 9})
    settings = load_settings({"BENCH_CONFIG": str(config), "BENCH_TOKEN": "t2"})
    assert (settings.server_url, settings.token, settings.read_timeout) == (
        "https://a.example",
        "t2",
        9.0,
    )
    assert settings.outbox_path.name == "outbox.sqlite3"
    assert stat.S_IMODE(config.stat().st_mode) == 0o600


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"BENCH_SERVER_URL": "ftp://x"}, "http:// or https://"),
        ({"BENCH_HEARTBEAT_INTERVAL": "soon"}, "heartbeat_interval"),
        ({"BENCH_READ_TIMEOUT": "-1"}, "read_timeout"),
        ({"BENCH_CA_FILE": "/nonexistent/ca.pem"}, "ca_file"),
    ],
)
def test_bad_settings_are_named(tmp_path, env, message):
    with pytest.raises(SettingsError, match=message):
        load_settings({"BENCH_CONFIG": str(tmp_path / "none.json"), **env})


def test_a_config_file_that_is_not_json_is_named(tmp_path):
    config = tmp_path / "bench.json"
    config.write_text("{oops")
    with pytest.raises(SettingsError, match="bench.json is not valid JSON"):
        load_settings({"BENCH_CONFIG": str(config)})


def test_sync_without_enrollment_says_how_to_enroll(bench_env, capsys):
    assert main(["sync"]) == 2
    assert "bench-agent enroll URL CODE" in capsys.readouterr().err


def test_sync_exits_0_when_everything_is_acknowledged(bench_env, scripted, monkeypatch, capsys):
    monkeypatch.setenv("BENCH_SERVER_URL", scripted.url)
    monkeypatch.setenv("BENCH_TOKEN", "t")
    box = Outbox(load_settings().outbox_path)
    for n in range(4):
        box.enqueue("k", {"n": n})
    box.close()
    scripted.answers = [CREATED] * 3 + [(200, {"status": "duplicate", "kind": "k", "result": {}})]
    assert main(["sync"]) == 0
    assert (
        capsys.readouterr().out
        == "sent 4 records (1 the server already had); nothing left to send\n"
    )


def test_sync_exits_1_naming_why_records_remain(
    bench_env, scripted, monkeypatch, capsys, error_body
):
    monkeypatch.setenv("BENCH_SERVER_URL", scripted.url)
    monkeypatch.setenv("BENCH_TOKEN", "t")
    box = Outbox(load_settings().outbox_path)
    for n in range(3):
        box.enqueue("k", {"n": n})
    scripted.answers = [CREATED, (503, error_body("unavailable", "maintenance"))]
    assert main(["sync"]) == 1
    assert capsys.readouterr().out == "sent 1 record; 2 records waiting: maintenance\n"
    box.close()


def test_sync_exits_1_when_a_record_was_rejected(
    bench_env, scripted, monkeypatch, capsys, error_body
):
    monkeypatch.setenv("BENCH_SERVER_URL", scripted.url)
    monkeypatch.setenv("BENCH_TOKEN", "t")
    Outbox(load_settings().outbox_path).enqueue("k", {})
    scripted.answers = [(422, error_body("invalid", "unknown kind", "kind"))]
    assert main(["sync"]) == 1
    assert "1 rejected" in capsys.readouterr().out
    assert main(["status", "--offline"]) == 0
    out = capsys.readouterr().out
    assert "Rejected  1" in out and "HTTP 422 invalid: unknown kind (field kind)" in out


def test_status_shows_the_oldest_pending_record_and_its_last_error(bench_env, monkeypatch, capsys):
    monkeypatch.setenv("BENCH_SERVER_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("BENCH_TOKEN", "t")
    monkeypatch.setenv("BENCH_CONNECT_TIMEOUT", "2")
    box = Outbox(load_settings().outbox_path)
    first = box.enqueue("inventory.snapshot", {})
    box.enqueue("k", {})
    box.retry_later(box.claim(), "server unreachable: refused", 60)
    assert main(["status"]) == 0
    out = capsys.readouterr().out
    assert "Server    http://127.0.0.1:9 (NOT reachable: server unreachable" in out
    assert f"Pending   2, oldest: inventory.snapshot queued {first.created_at}, 1 attempts" in out
    assert "last error: server unreachable: refused" in out
    box.close()


def test_enroll_writes_a_private_config_and_refuses_to_enroll_twice(bench_env, scripted, capsys):
    scripted.answers = [(201, {"bench_id": 3, "bench_name": "Établi 2", "token": "atl_x"})]
    assert main(["enroll", scripted.url + "/", "abcd-efgh"]) == 0
    assert json.loads(scripted.requests[0]["raw"])["code"] == "ABCD-EFGH"
    stored = json.loads(bench_env.read_text())
    assert stored == {
        "server_url": scripted.url,
        "token": "atl_x",
        "bench_id": 3,
        "bench_name": "Établi 2",
    }
    assert stat.S_IMODE(bench_env.stat().st_mode) == 0o600
    assert 'enrolled as bench "Établi 2" (id 3)' in capsys.readouterr().out
    assert main(["enroll", scripted.url, "ABCD-EFGH"]) == 1
    assert "already enrolled" in capsys.readouterr().err
    assert len(scripted.requests) == 1


def test_enroll_with_a_bad_code_writes_nothing(bench_env, scripted, capsys, error_body):
    scripted.answers = [
        (403, error_body("invalid_enrollment_code", "unknown, used or expired code"))
    ]
    assert main(["enroll", scripted.url, "ABCD-EFGH"]) == 1
    assert "unknown, used or expired code" in capsys.readouterr().err
    assert not bench_env.exists()


def test_a_snapshot_sent_before_enrollment_is_kept_for_later(bench_env):
    from agents.sync.inventory_send import send_snapshot

    status, message = send_snapshot({"kind": "inventory"}, asset_tag="K7QX4M2PX")
    assert status == 0
    assert message.endswith("not enrolled yet: it will be sent after `bench-agent enroll`")
    box = Outbox(load_settings().outbox_path)
    item = box.oldest_pending()
    assert item.kind == "inventory.snapshot"
    assert json.loads(item.body)["asset_tag"] == "K7QX4M2PX"
    box.close()


def test_a_snapshot_that_cannot_be_queued_says_so(bench_env, monkeypatch, tmp_path):
    from agents.sync.inventory_send import send_snapshot

    (tmp_path / "not-a-dir").write_text("")
    monkeypatch.setenv("BENCH_STATE_DIR", str(tmp_path / "not-a-dir"))
    status, message = send_snapshot({"kind": "inventory"})
    assert status == 1 and "snapshot NOT queued" in message


def test_the_daemon_refuses_to_start_without_enrollment(bench_env, capsys):
    assert main(["run"]) == 2
    assert "not enrolled" in capsys.readouterr().err


def test_enrolling_over_plain_http_on_the_network_warns(bench_env, scripted, capsys):
    from agents.sync.enroll_command import _clear_text

    assert _clear_text("http://atelier.lan:5000") and _clear_text("http://10.0.0.2")
    assert not _clear_text("https://atelier.lan") and not _clear_text(scripted.url)
    scripted.answers = [(201, {"bench_id": 1, "bench_name": "B", "token": "atl_x"})]
    assert main(["enroll", scripted.url, "ABCD-EFGH"]) == 0
    assert "warning" not in capsys.readouterr().err
