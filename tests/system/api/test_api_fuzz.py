"""Schemathesis against the real server: no server error, no answer outside the document.

The real `workshop serve` process, on SQLite with the demo dataset, a coordinator's token and a
bench's token. Schemathesis (every check, every phase) generates requests from the server's own
OpenAPI document; the run is bounded by a number of examples per operation. The seed is fixed
so CI repeats the same run; set ATELIER_FUZZ_SEED to explore others, ATELIER_FUZZ_EXAMPLES to
go further. The operations where an answer of 422 is a rule the document cannot state are listed,
with their reason, in schemathesis.toml next to this file.
"""

from __future__ import annotations

import os
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.workshop_server import BIN, WorkshopServer

HERE = Path(__file__).parent
SEED = os.environ.get("ATELIER_FUZZ_SEED", "20261203")
EXAMPLES = os.environ.get("ATELIER_FUZZ_EXAMPLES", "50")
# Operations that may answer only 401/403 to the run, and why; every other operation must get
# past authentication and authorisation with the tokens given.
ONLY_REFUSED_ALLOWED = {
    # public, and the body is the credential: a generated site secret is refused
    "POST /api/v1/enroll/site",
    # a bench reports only its own tasks: those of the demo belong to the demo's bench
    "PUT /api/v1/bench/tasks/{uid}/progress",
}


def _only_refused(output: str) -> set[str]:
    """The operations Schemathesis saw answer only 401/403 (its "Authentication failed")."""
    if "Authentication failed" not in output:
        return set()
    section = output.split("Authentication failed", 1)[1].split("💡", 1)[0]
    return {line.strip()[2:] for line in section.splitlines() if line.strip().startswith("- ")}


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WorkshopServer]:
    server = WorkshopServer(tmp_path_factory.mktemp("fuzz") / "instance")
    server.instance.mkdir()
    server.cli("db", "upgrade")
    server.cli("demo")
    server.coordinator_token = server.cli("create-token", "coordination@atelier.demo")
    line = server.cli("create-bench", "Établi fuzz")
    server.bench_token = line.split("token: ")[1]
    server.start()
    yield server
    server.kill()


def test_schemathesis_finds_no_server_error_and_no_schema_violation(
    demo_server: WorkshopServer, tmp_path: Path
) -> None:
    document = demo_server.call("GET", "/openapi.json")
    operations = sum(len(ops) for ops in document["paths"].values())
    env = {
        **os.environ,
        "ATELIER_FUZZ_STAFF_TOKEN": demo_server.coordinator_token,
        "ATELIER_FUZZ_BENCH_TOKEN": demo_server.bench_token,
    }
    done = subprocess.run(
        [
            str(BIN / "schemathesis"),
            "--no-color",
            "--config-file",
            str(HERE / "schemathesis.toml"),
            "run",
            f"{demo_server.url}/api/v1/openapi.json",
            "--checks",
            "all",
            "--max-examples",
            EXAMPLES,
            "--seed",
            SEED,
            # No example database: each run is the seed's, not a replay of earlier runs' finds.
            "--generation-database",
            "none",
            "--workers",
            "2",
            "--report",
            "junit",
            "--report-dir",
            str(tmp_path),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    summary = done.stdout[done.stdout.rfind("SUMMARY") :] if "SUMMARY" in done.stdout else ""
    print(summary or done.stdout[-3000:], done.stderr[-2000:])
    assert done.returncode == 0, done.stdout[-20000:]
    # The run really tested every operation, authenticated (not 401/403 everywhere).
    (report,) = tmp_path.glob("*.xml")
    cases = ET.parse(report).getroot().iter("testcase")
    tested = [case for case in cases if case.find("skipped") is None]
    assert len(tested) == operations, (len(tested), operations)
    refused = _only_refused(done.stdout)
    assert refused <= ONLY_REFUSED_ALLOWED, (refused, summary)
    # What was recorded during the run is still consistent: the event log verifies.
    verified = subprocess.run(
        [str(BIN / "workshop"), "verify-log"],
        env=demo_server.env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert verified.returncode == 0, verified.stdout + verified.stderr
