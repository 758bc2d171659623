"""Enrollment against the real server: a one-time code becomes this bench's settings file."""

from __future__ import annotations

import json
import stat
from pathlib import Path


def _enroll_env(agent_env, config: Path) -> dict[str, str]:
    env = {k: v for k, v in agent_env.items() if k not in ("BENCH_SERVER_URL", "BENCH_TOKEN")}
    return {**env, "BENCH_CONFIG": str(config)}


def test_a_code_enrolls_once_and_the_bench_then_works(
    workshop_server, agent_env, run_agent, tmp_path
):
    code = workshop_server.cli("create-enrollment-code", "--bench", "Établi 9").split()[0]
    config = tmp_path / "etc" / "atelier-bench" / "bench.json"
    env = _enroll_env(agent_env, config)

    done = run_agent(env, "enroll", workshop_server.url, code.lower())
    assert done.returncode == 0, done.stderr
    assert 'enrolled as bench "Établi 9"' in done.stdout
    stored = json.loads(config.read_text())
    assert stored["server_url"] == workshop_server.url and stored["token"].startswith("atl_")
    assert stat.S_IMODE(config.stat().st_mode) == 0o600
    bench = workshop_server.api(f"/benches/{stored['bench_id']}")
    assert bench["name"] == "Établi 9"

    status = run_agent(env, "status")
    assert f"Server    {workshop_server.url} (reachable)" in status.stdout
    assert f"Bench     Établi 9 (id {stored['bench_id']})" in status.stdout
    sent = run_agent(env, "inventory", "--send")
    assert sent.returncode == 0 and "; sent" in sent.stdout, sent.stdout + sent.stderr
    records = workshop_server.api(f"/benches/{stored['bench_id']}/records")
    assert len(records) == 1 and records[0]["kind"] == "inventory.snapshot"

    other = _enroll_env(agent_env, tmp_path / "other.json")
    reused = run_agent(other, "enroll", workshop_server.url, code)
    assert reused.returncode == 1
    assert "invalid_enrollment_code" in reused.stderr
    assert not (tmp_path / "other.json").exists()


def test_a_refused_token_is_said_plainly(workshop_server, agent_env, run_agent):
    env = {**agent_env, "BENCH_TOKEN": "atl_not-a-token"}
    run_agent(env, "inventory", "--send")
    done = run_agent(env, "sync")
    assert done.returncode == 1
    assert "1 record waiting: the server refused this bench's token" in done.stdout
