"""Build the four Atelier distributions' wheels from this checkout, offline.

Each distribution's pyproject.toml sits in its package folder (package-dir "."), so a build in
place would leave build/ and *.egg-info inside the package: each folder is copied first (without
caches), then `pip wheel --no-deps --no-build-isolation --no-index` builds it with this Python's
setuptools, reading nothing from a package index. Sample run::

    $ .venv/bin/python scripts/build_wheels.py --out dist
    dist/atelier_protocol-0.1.0-py3-none-any.whl    21 KiB
    dist/atelier_bench-0.1.0-py3-none-any.whl      181 KiB
    dist/atelier_labels-0.1.0-py3-none-any.whl      28 KiB
    dist/atelier_workshop-0.1.0-py3-none-any.whl   601 KiB
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Distribution -> its package folder, in dependency order.
DISTRIBUTIONS: dict[str, str] = {
    "atelier-protocol": "atelier_protocol",
    "atelier-bench": "agents",
    "atelier-labels": "labels",
    "atelier-workshop": "workshop",
}
_SKIP = shutil.ignore_patterns("__pycache__", "*.pyc", "build", "*.egg-info")


def _compile_translations(folder: Path) -> None:
    pybabel = Path(sys.executable).with_name("pybabel")
    subprocess.run([str(pybabel), "-q", "compile", "-d", str(folder / "translations")], check=True)


def build(names: list[str], out: Path) -> list[Path]:
    """Build the named distributions' wheels into `out`; return their paths."""
    out.mkdir(parents=True, exist_ok=True)
    built = []
    with tempfile.TemporaryDirectory(prefix="atelier-wheels-") as tmp:
        for name in names:
            folder = Path(tmp) / DISTRIBUTIONS[name]
            shutil.copytree(ROOT / DISTRIBUTIONS[name], folder, ignore=_SKIP)
            if name == "atelier-workshop":
                _compile_translations(folder)
            argv = [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps"]
            argv += ["--no-build-isolation", "--no-index", "-w", str(out), str(folder)]
            subprocess.run(argv, check=True)
            prefix = name.replace("-", "_") + "-"
            built += sorted(p for p in out.glob(prefix + "*.whl"))[-1:]
    return built


def main(argv: list[str] | None = None) -> int:
    """Command line: build every distribution, or those named with --only."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "dist")
    parser.add_argument("--only", nargs="+", choices=list(DISTRIBUTIONS), default=None)
    args = parser.parse_args(argv)
    for wheel in build(args.only or list(DISTRIBUTIONS), args.out):
        print(f"{wheel}  {wheel.stat().st_size // 1024} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
