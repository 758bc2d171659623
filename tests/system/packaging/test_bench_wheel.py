"""The bench agent as a bench installs it: its wheels built from this checkout (offline), put in
a fresh venv, and nothing of the server comes with them.

The wheels are built without a package index (scripts/build_wheels.py); their dependencies
(pydantic, psutil, pyudev, cryptography) come through pip's configuration and cache, like on a
bench. The fresh venv has no pip of its own: the test venv's pip installs into it (--python).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
SERVER_ONLY = ["flask", "sqlalchemy", "reportlab", "sqlmodel", "alembic", "psycopg", "babel"]
GOLDEN = ROOT / "tests" / "fixtures" / "golden" / "agent-0.1"


def _run(argv: list[str], cwd: Path, **kwargs: object) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["BENCH_STATE_DIR"] = str(cwd / "state")
    env["BENCH_CONFIG"] = str(cwd / "bench.json")
    return subprocess.run(
        argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=300, **kwargs
    )  # type: ignore[call-overload]


@pytest.fixture(scope="module")
def bench_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv holding atelier-bench and atelier-protocol, built from this checkout."""
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        from build_wheels import build
    finally:
        sys.path.pop(0)
    work = tmp_path_factory.mktemp("bench-wheel")
    wheels = build(["atelier-protocol", "atelier-bench"], work / "wheels")
    assert [w.name for w in wheels] == [
        "atelier_protocol-0.1.0-py3-none-any.whl",
        "atelier_bench-0.1.0-py3-none-any.whl",
    ]
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    pip = [sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python")]
    installed = _run([*pip, "install", "-q", *map(str, wheels)], work)
    assert installed.returncode == 0, installed.stderr
    return venv


def test_the_bench_installs_without_the_server(bench_venv):
    probe = (
        "import importlib.metadata as m, json;"
        "print(json.dumps(sorted(d.metadata['Name'].lower() for d in m.distributions())))"
    )
    done = _run([str(bench_venv / "bin" / "python"), "-c", probe], bench_venv.parent)
    names = set(json.loads(done.stdout))
    assert {"atelier-bench", "atelier-protocol", "pydantic", "psutil", "pyudev"} <= names
    assert "cryptography" in names
    assert not names & set(SERVER_ONLY), sorted(names & set(SERVER_ONLY))
    assert not names & {"atelier-workshop", "atelier-labels", "atelier", "pillow"}
    for package in ("workshop", "labels", "flask"):
        found = _run([str(bench_venv / "bin" / "python"), "-c", f"import {package}"], bench_venv)
        assert found.returncode != 0 and "ModuleNotFoundError" in found.stderr, package


def test_bench_agent_runs_and_the_protocol_reads_a_golden_record(bench_venv):
    helped = _run([str(bench_venv / "bin" / "bench-agent"), "--help"], bench_venv.parent)
    assert helped.returncode == 0, helped.stderr
    for command in ("inventory", "wipe", "diagnose", "enroll", "run", "print-labels"):
        assert command in helped.stdout
    record = next(GOLDEN.glob("*-wipe.record-passed.json"))
    check = (
        "import json, sys, atelier_protocol, agents;"
        "from atelier_protocol.wipe import parse_wipe_record;"
        "r = parse_wipe_record(json.load(open(sys.argv[1]))['payload']);"
        "print(r.status, atelier_protocol.__file__, agents.__version__)"
    )
    parsed = _run([str(bench_venv / "bin" / "python"), "-c", check, str(record)], bench_venv)
    assert parsed.returncode == 0, parsed.stderr
    status, where, version = parsed.stdout.split()
    assert status == "passed" and version == "0.1.0"
    assert where.startswith(str(bench_venv)), where  # the installed copy, not the checkout


def test_inventory_runs_from_the_wheel(bench_venv):
    done = _run([str(bench_venv / "bin" / "bench-agent"), "inventory", "--json"], bench_venv.parent)
    assert done.returncode == 0, done.stderr
    snapshot = json.loads(done.stdout)
    assert snapshot["agent_version"] == "0.1.0" and snapshot["kind"] == "inventory"


def test_label_printing_says_it_needs_the_labels_extra(bench_venv):
    done = _run([str(bench_venv / "bin" / "bench-agent"), "print-labels"], bench_venv.parent)
    assert done.returncode == 2
    assert "pip install 'atelier-bench[labels]'" in done.stderr
