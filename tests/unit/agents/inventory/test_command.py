"""The `bench-agent inventory` command: output forms and refusal of an invalid snapshot."""

from __future__ import annotations

import json

import pytest

from agents import cli
from agents.inventory import collect as collect_module


@pytest.fixture
def fake_collect(monkeypatch, fake_snapshot):
    """Make the command print a snapshot collected from a fake machine."""
    monkeypatch.setattr(collect_module, "collect", lambda sys_root: fake_snapshot)
    return fake_snapshot


def test_json_output_is_the_snapshot(fake_collect, capsys):
    assert cli.main(["inventory", "--json"]) == 0

    printed = json.loads(capsys.readouterr().out)
    assert printed == fake_collect


def test_human_output_is_the_summary(fake_collect, capsys):
    assert cli.main(["inventory"]) == 0

    out = capsys.readouterr().out
    assert out.startswith("System\n")
    assert "S14CNEAD233615F" in out


def test_invalid_snapshot_is_refused_with_the_field_named(fake_collect, capsys):
    fake_collect["disks"][0]["size_bytes"] = -1

    assert cli.main(["inventory", "--json"]) == 1

    captured = capsys.readouterr()
    assert captured.out == ""
    assert "field 'disks.0.size_bytes'" in captured.err
