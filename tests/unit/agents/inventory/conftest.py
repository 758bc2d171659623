"""Fixtures for the inventory parser tests: captured outputs and fake sysfs trees."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from agents.inventory.tools import ToolRunner

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "hardware"

# Tokens of a Perl Data::Dumper document: quoted strings, numbers and punctuation.
_TOKEN = re.compile(r"'((?:[^'\\]|\\.)*)'|(\d+|undef)|(=>|[{}\[\],;=])|(\$\w+)", re.S)


def _tokens(text: str) -> list[str | tuple[str]]:
    out: list[str | tuple[str]] = []
    for match in _TOKEN.finditer(text):
        quoted, number, punct, var = match.groups()
        if quoted is not None:
            out.append((re.sub(r"\\(.)", r"\1", quoted, flags=re.S),))
        elif number is not None:
            out.append((number,))
        elif punct is not None:
            out.append(punct)
        elif var is not None:
            out.append(var)
    return out


def _parse_value(tokens: list[str | tuple[str]], pos: int) -> tuple[Any, int]:
    token = tokens[pos]
    if isinstance(token, tuple):
        return token[0], pos + 1
    closing = {"{": "}", "[": "]"}[token]
    items: list[Any] = []
    pos += 1
    while tokens[pos] != closing:
        if tokens[pos] in (",", "=>"):
            pos += 1
            continue
        value, pos = _parse_value(tokens, pos)
        items.append(value)
    if token == "{":
        return dict(zip(items[::2], items[1::2], strict=True)), pos + 1
    return items, pos + 1


def parse_dumper(text: str) -> dict[str, Any]:
    """Parse the `$NAME = {...};` blocks of a Data::Dumper file into {NAME: value}."""
    tokens = _tokens(text)
    result: dict[str, Any] = {}
    pos = 0
    while pos < len(tokens):
        token = tokens[pos]
        if isinstance(token, str) and token.startswith("$") and tokens[pos + 1] == "=":
            value, pos = _parse_value(tokens, pos + 2)
            result[token[1:]] = value
        else:
            pos += 1
    return result


def write_tree(root: Path, tree: dict[str, Any]) -> None:
    """Materialise a nested dict as files (str), directories (dict) and symlinks (['link', t])."""
    root.mkdir(parents=True, exist_ok=True)
    for name, value in tree.items():
        path = root / name
        if isinstance(value, dict):
            write_tree(path, value)
        elif isinstance(value, list) and value[:1] == ["link"]:
            os.symlink(value[1], path)
        else:
            # latin-1 maps each captured byte back to itself (vpd_pg80 is binary).
            path.write_bytes(str(value).encode("latin-1"))


@pytest.fixture
def fixture_text() -> Callable[[str], str]:
    """Return a reader of a captured fixture file, by path under tests/fixtures/hardware."""

    def read(relative: str) -> str:
        return (FIXTURES / relative).read_text(encoding="utf-8")

    return read


@pytest.fixture
def sysfs_from_dump(tmp_path: Path) -> Callable[[str], Path]:
    """Return a builder of a fake /sys tree from a captured sysfs dump; it returns the root."""

    def build(relative: str) -> Path:
        text = (FIXTURES / relative).read_bytes().decode("latin-1")
        system = parse_dumper(text)["SYSTEM"]
        root = tmp_path / "sys"
        write_tree(root, system["sys"])
        return root

    return build


class ReplayRunner(ToolRunner):
    """A ToolRunner that replays captured outputs instead of running commands."""

    def __init__(self, outputs: dict[str, str]) -> None:
        super().__init__()
        self.outputs = outputs
        self.calls: list[str] = []

    def run(self, argv, timeout, ok_codes=(0,)):  # type: ignore[no-untyped-def]
        self.calls.append(argv[0])
        assert timeout > 0
        if argv[0] not in self.outputs:
            self.note(f"{argv[0]} is not installed: what only it can tell was not read")
            return None
        return self.outputs[argv[0]]


@pytest.fixture
def replay_runner() -> type[ReplayRunner]:
    """Return the ReplayRunner class: build it with {tool: captured stdout}."""
    return ReplayRunner


@pytest.fixture
def fake_snapshot(
    sysfs_from_dump: Callable[[str], Path], fixture_text: Callable[[str], str]
) -> Any:
    """Return a snapshot dict collected from a fake machine (nanobox sysfs, ASUS P5Q dmidecode)."""
    from agents.inventory.collect import collect  # noqa: PLC0415

    root = sysfs_from_dump("sysfs/sata-ssd_vpd_pg80-serial_f31-nanobox.dump")
    dmidecode = fixture_text("dmidecode/desktop_asus-p5q_system-serial-number-placeholder.txt")
    runner = ReplayRunner({"dmidecode": dmidecode})
    return collect(sys_root=str(root), runner=runner)
