"""The shipped systemd unit is valid for systemd and starts the daemon as the docs say."""

from __future__ import annotations

import configparser
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

UNIT = Path(__file__).parents[4] / "packaging" / "systemd" / "atelier-bench-agent.service"


def test_unit_runs_the_daemon_as_root_and_restarts_on_failure():
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str  # systemd keys are case-sensitive
    unit.read(UNIT)
    service = unit["Service"]
    assert service["ExecStart"].endswith("bench-agent run")
    assert (service["User"], service["Restart"]) == ("root", "on-failure")
    assert service["RestartPreventExitStatus"] == "2"
    assert service["StateDirectory"] == "atelier-bench"


def test_systemd_accepts_the_unit(tmp_path):
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed")
    agent = Path(sys.executable).parent / "bench-agent"
    local = tmp_path / UNIT.name
    local.write_text(UNIT.read_text().replace("/usr/local/bin/bench-agent", str(agent)))
    done = subprocess.run(
        ["systemd-analyze", "verify", str(local)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0 and not done.stderr.strip(), done.stderr
