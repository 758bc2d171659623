"""Real processes for the server-link system tests: `workshop serve` and `bench-agent`.

`workshop_server` starts the real server (tests/helpers/workshop_server.py) on a free
port with a fresh SQLite instance, a coordinator (with an API token) and a bench.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.workshop_server import BIN, WorkshopServer


@pytest.fixture(scope="session")
def _prepared_instance(tmp_path_factory: pytest.TempPathFactory) -> WorkshopServer:
    """Migrate and create the accounts once; each test serves its own copy of the database."""
    template = WorkshopServer(tmp_path_factory.mktemp("template") / "instance")
    template.instance.mkdir()
    template.setup()
    return template


@pytest.fixture
def workshop_server(tmp_path: Path, _prepared_instance: WorkshopServer) -> Iterator[WorkshopServer]:
    """A running server with a coordinator and a bench, on a fresh copy; killed at the end."""
    server = WorkshopServer(tmp_path / "instance")
    shutil.copytree(_prepared_instance.instance, server.instance)
    server.coordinator_token = _prepared_instance.coordinator_token
    server.bench_id = _prepared_instance.bench_id
    server.bench_token = _prepared_instance.bench_token
    server.start()
    yield server
    server.kill()


@pytest.fixture
def agent_env(tmp_path: Path, workshop_server: WorkshopServer) -> dict[str, str]:
    """Environment making `bench-agent` talk to the test server with a temp state dir."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BENCH_")}
    return {
        **env,
        "BENCH_CONFIG": str(tmp_path / "etc" / "bench.json"),
        "BENCH_STATE_DIR": str(tmp_path / "state"),
        "BENCH_SERVER_URL": workshop_server.url,
        "BENCH_TOKEN": workshop_server.bench_token,
        "BENCH_READ_TIMEOUT": "10",
    }


def bench_agent(
    env: dict[str, str], *args: str, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run `bench-agent` to completion."""
    return subprocess.run(
        [str(BIN / "bench-agent"), *args], env=env, capture_output=True, text=True, timeout=timeout
    )


@pytest.fixture
def run_agent() -> Any:
    """Callable running `bench-agent ARGS` with an environment; returns CompletedProcess."""
    return bench_agent


@pytest.fixture(scope="session")
def snapshot() -> dict[str, Any]:
    """This machine's real inventory snapshot, taken once."""
    done = subprocess.run(
        [str(BIN / "bench-agent"), "inventory", "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(json.loads(done.stdout))


@pytest.fixture
def spawn_agent() -> Iterator[Any]:
    """Callable starting `bench-agent ARGS` in the background; leftovers are killed at the end."""
    started: list[subprocess.Popen[str]] = []

    def spawn(env: dict[str, str], *args: str) -> subprocess.Popen[str]:
        process = subprocess.Popen(
            [str(BIN / "bench-agent"), *args],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        started.append(process)
        return process

    yield spawn
    for process in started:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=20)
