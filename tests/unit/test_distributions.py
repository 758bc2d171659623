"""The four distributions (atelier_protocol/, agents/, labels/, workshop/ pyproject.toml): one
version, the packages and data files each ships, and who may import whom.

The server reads the agents' records through atelier_protocol and must never import the agent
(a server install has no agent); the agent must never import the server; the protocol imports
neither. Checked twice: on the source (every import statement, lazy ones included) and at run
time (every workshop module imported, then `agents` must be absent from sys.modules).
"""

from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FOLDERS = {
    "atelier-protocol": "atelier_protocol",
    "atelier-bench": "agents",
    "atelier-labels": "labels",
    "atelier-workshop": "workshop",
}
# Top-level packages of this repository each one may import (besides itself).
ALLOWED = {
    "atelier_protocol": set(),
    "agents": {"atelier_protocol", "labels"},  # labels: the `labels` extra, imported lazily
    "labels": set(),
    "workshop": {"atelier_protocol", "labels"},
}
OURS = set(ALLOWED)


def _pyproject(folder: str) -> dict:
    return tomllib.loads((ROOT / folder / "pyproject.toml").read_text(encoding="utf-8"))


def _version_of(folder: str) -> str:
    tree = ast.parse((ROOT / folder / "__init__.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "__version__" for t in node.targets
        ):
            return ast.literal_eval(node.value)
    raise AssertionError(f"{folder}/__init__.py has no __version__")


def test_one_version_for_the_four_and_exact_pins_between_them():
    root = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    version = root["project"]["version"]
    for name, folder in FOLDERS.items():
        project = _pyproject(folder)["project"]
        assert project["name"] == name
        assert _version_of(folder) == version, folder
        requirements = project["dependencies"] + sum(
            project.get("optional-dependencies", {}).values(), []
        )
        ours = [r for r in requirements if r.startswith("atelier-")]
        assert all(r.endswith(f"=={version}") for r in ours), (name, ours)


def _names(requirements: list[str]) -> set[str]:
    return {r.split("#")[0].strip() for r in requirements}


def test_the_development_project_installs_exactly_what_the_four_need():
    root = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    union: set[str] = set()
    for folder in FOLDERS.values():
        union |= {r for r in _names(_pyproject(folder)["project"]["dependencies"])}
    union = {r for r in union if not r.startswith("atelier-")}
    assert _names(root["dependencies"]) == union
    assert root["scripts"] == {
        script: target
        for folder in FOLDERS.values()
        for script, target in _pyproject(folder)["project"].get("scripts", {}).items()
    }


@pytest.mark.parametrize("folder", FOLDERS.values())
def test_each_distribution_lists_every_package_and_data_file(folder):
    config = _pyproject(folder)["tool"]["setuptools"]
    assert config["package-dir"] == {folder: "."}
    base = ROOT / folder
    found = {
        ".".join((folder, *p.parent.relative_to(base).parts))
        for p in base.rglob("__init__.py")
        if "__pycache__" not in p.parts
    }
    assert set(config["packages"]) == found
    shipped: set[Path] = set()
    for package, patterns in config.get("package-data", {}).items():
        where = base.joinpath(*package.split(".")[1:])
        shipped |= {p for pattern in patterns for p in where.glob(pattern)}
    package_dirs = {base.joinpath(*p.split(".")[1:]) for p in found}
    data = {
        p
        for p in base.rglob("*")
        if p.is_file()
        and p.name != "pyproject.toml"
        and "__pycache__" not in p.parts
        and not (p.suffix == ".py" and p.parent in package_dirs)
        and p.suffix not in (".pyc", ".pot")
    }
    assert data - shipped == set(), f"{folder}: files in no wheel"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize("folder", ALLOWED)
def test_no_package_imports_what_its_distribution_does_not_ship(folder):
    wrong = {}
    for path in sorted((ROOT / folder).rglob("*.py")):
        bad = (_imports(path) & OURS) - {folder} - ALLOWED[folder]
        if bad:
            wrong[str(path.relative_to(ROOT))] = sorted(bad)
    assert wrong == {}


def test_the_protocol_needs_pydantic_only():
    third_party = set()
    for path in (ROOT / "atelier_protocol").rglob("*.py"):
        third_party |= _imports(path) - set(sys.stdlib_module_names) - {"atelier_protocol"}
    assert third_party == {"pydantic"}


def test_the_running_server_never_loads_the_agent(tmp_path):
    probe = """
import importlib, pkgutil, sys
import workshop
from workshop.migrations import upgrade
for module in pkgutil.walk_packages(workshop.__path__, "workshop."):
    if module.name != "workshop.migrations.env":  # Alembic's script, run by upgrade() below
        importlib.import_module(module.name)
upgrade("sqlite:///" + sys.argv[1])
loaded = sorted(m for m in sys.modules if m == "agents" or m.startswith("agents."))
print(len(sys.modules), loaded)
"""
    argv = [sys.executable, "-c", probe, str(tmp_path / "db.sqlite3")]
    done = subprocess.run(argv, capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    count, loaded = done.stdout.split(" ", 1)
    assert int(count) > 500  # the whole server was imported
    assert loaded.strip() == "[]"
