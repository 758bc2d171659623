"""ToolRunner: missing tools, timeouts and failures become notes, never exceptions."""

from __future__ import annotations

from agents.inventory.tools import ToolRunner


def test_missing_tool_gives_none_and_one_note():
    runner = ToolRunner()

    assert runner.run(["atelier-no-such-tool", "-x"], timeout=5) is None
    assert runner.run(["atelier-no-such-tool", "-y"], timeout=5) is None

    assert runner.notes == [
        "atelier-no-such-tool is not installed: what only it can tell was not read"
    ]


def test_timeout_is_enforced_and_noted():
    runner = ToolRunner()

    assert runner.run(["sleep", "30"], timeout=0.2) is None
    assert runner.notes == ["sleep 30 timed out after 0.2 s"]


def test_failure_exit_status_is_noted_unless_accepted():
    runner = ToolRunner()

    assert runner.run(["sh", "-c", "echo partial; exit 4"], timeout=5) is None
    assert runner.notes == ["sh -c echo partial; exit 4 failed with exit status 4"]
    # smartctl-style bit-mask statuses: the caller accepts any and reads the output.
    assert runner.run(["sh", "-c", "echo partial; exit 4"], timeout=5, ok_codes=None) == "partial\n"


def test_tools_in_sbin_are_found_even_off_path(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    runner = ToolRunner(extra_path="/usr/bin:/bin")

    assert runner.run(["echo", "ok"], timeout=5) == "ok\n"
