"""Whole-process time of `bench-agent inventory --json` against lshw, hwinfo and inxi.

Runs each command several times on this machine, prints the median wall time
of each and its ratio to `bench-agent inventory --json` (measured in the same
run, so the ratios hold whatever the machine). Goals: median <= 0.3 s and no
slower than `lshw -json`. A tool that is not installed is reported as skipped.

Sample run (2-core VM, no SMBIOS, no udev database, other work running)::

    $ .venv/bin/python benchmarks/inventory.py --runs 9
    command                                median      min   ratio
    bench-agent inventory --json          0.382 s  0.366 s    1.00
    python -m agents.inventory --json     0.100 s  0.094 s    0.26
    lshw -json                            0.090 s  0.089 s    0.24
    hwinfo --short                        0.217 s  0.193 s    0.57
    inxi -Fxxx                            0.682 s  0.673 s    1.78
    bench-agent inventory --json MISSES the 0.3 s median goal

The gap between the first two lines is the other bench-agent commands' imports.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

TARGET_SECONDS = 0.3


def commands() -> list[list[str]]:
    """Return the command lines to time; the first one is the reference."""
    agent = Path(sys.executable).with_name("bench-agent")
    return [
        [str(agent), "inventory", "--json"],
        # The same work without the other bench-agent commands' imports.
        [sys.executable, "-m", "agents.inventory", "--json"],
        ["lshw", "-json"],
        ["hwinfo", "--short"],
        ["inxi", "-Fxxx"],
    ]


def time_command(argv: list[str], runs: int) -> list[float]:
    """Run argv `runs` times (after one warm-up run) and return the wall times in seconds."""
    subprocess.run(argv, capture_output=True, check=False, timeout=300)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, capture_output=True, check=False, timeout=300)
        times.append(time.perf_counter() - start)
    return times


def label(argv: list[str]) -> str:
    """Short display name of a command line."""
    return " ".join([Path(argv[0]).name, *argv[1:]]).replace("python3.11 -m ", "python -m ")


def main() -> int:
    """Time every command and print medians and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="timed runs per command")
    args = parser.parse_args()
    reference: float | None = None
    print(f"{'command':<36} {'median':>8} {'min':>8} {'ratio':>7}")
    for argv in commands():
        if shutil.which(argv[0]) is None:
            print(f"{label(argv):<36} skipped: not installed")
            continue
        times = time_command(argv, args.runs)
        median = statistics.median(times)
        reference = reference or median
        print(f"{label(argv):<36} {median:>6.3f} s {min(times):>6.3f} s {median / reference:>7.2f}")
    if reference is not None:
        verdict = "meets" if reference <= TARGET_SECONDS else "MISSES"
        print(f"bench-agent inventory --json {verdict} the {TARGET_SECONDS} s median goal")
    return 0


if __name__ == "__main__":
    sys.exit(main())
