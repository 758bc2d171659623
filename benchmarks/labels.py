"""Label benchmark: render + encode time per label and bytes per job, native vs raster.

Run: .venv/bin/python benchmarks/labels.py [--rounds 40]
Prints one row per (profile, media, QR mode), ratios against the 58 mm native job measured
in the same run, the goals (native <= 200 B, raster <= 4 KB on 58 mm, <= 20 ms), and the
import cost of python-escpos with and without its capabilities cache.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from labels import LabelData, QrMode, WipeStatus, encode_job, get_media, get_profile  # noqa: E402
from labels.layout import render_label  # noqa: E402

CASES = [
    ("tm-t20ii", "58mm", QrMode.NATIVE),
    ("tm-t20ii", "58mm", QrMode.IMAGE),
    ("tm-t20ii", "80mm", QrMode.NATIVE),
    ("tm-t20ii", "80mm", QrMode.IMAGE),
    ("pos-5890", "58mm", QrMode.IMAGE),
    ("tm-l90", "50x30", QrMode.IMAGE),
]
LABEL = LabelData(
    "K7QX-4M2P-R",
    "https://atelier.example.org/d/K7QX-4M2P-R",
    "i5-4590 · 8 Go · SSD 240 Go",
    "A",
    WipeStatus.PASSED,
    date(2026, 11, 12),
)


def per_call_ms(function, rounds: int) -> float:
    """Best of three runs of `rounds` calls, in milliseconds per call."""
    function()
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for _ in range(rounds):
            function()
        best = min(best, (time.perf_counter() - start) / rounds)
    return best * 1000


def import_ms(statement: str, env: dict[str, str]) -> float:
    """Wall time of a fresh interpreter running `statement`, minus an empty interpreter."""

    def run(code: str) -> float:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], env=env, check=True)
        return time.perf_counter() - start

    base = min(run("pass") for _ in range(3))
    return (min(run(statement) for _ in range(3)) - base) * 1000


def bench_jobs(rounds: int) -> None:
    rows = []
    for profile_name, media_name, mode in CASES:
        profile, media = get_profile(profile_name), get_media(media_name)
        size = len(encode_job(LABEL, profile, media, mode))
        total = per_call_ms(lambda p=profile, m=media, q=mode: encode_job(LABEL, p, m, q), rounds)
        layout = per_call_ms(lambda m=media: render_label(LABEL, m), rounds)
        rows.append((profile_name, media_name, mode.value, size, total, layout))
    ref_size, ref_ms = rows[0][3], rows[0][4]
    print(
        f"{'profile':9} {'media':6} {'qr':6} {'bytes':>6} {'x ref':>6} "
        f"{'ms/label':>8} {'x ref':>6} {'layout ms':>9}"
    )
    for name, media, mode, size, total, layout in rows:
        print(
            f"{name:9} {media:6} {mode:6} {size:6d} {size / ref_size:6.1f} "
            f"{total:8.2f} {total / ref_ms:6.2f} {layout:9.2f}"
        )
    native58 = rows[0][3]
    raster58 = rows[1][3]
    slowest = max(r[4] for r in rows)
    print(f"goal native job <= 200 B: {native58} B {'met' if native58 <= 200 else 'MISSED'}")
    print(
        f"goal raster job <= 4096 B on 58 mm: {raster58} B "
        f"{'met' if raster58 <= 4096 else 'MISSED'}"
    )
    print(
        f"goal render+encode <= 20 ms: slowest {slowest:.2f} ms "
        f"{'met' if slowest <= 20 else 'MISSED'}"
    )


def bench_imports() -> None:
    env = dict(os.environ)
    with tempfile.TemporaryDirectory() as cache:
        env["ESCPOS_CAPABILITIES_PICKLE_DIR"] = cache
        subprocess.run([sys.executable, "-c", "import escpos.printer"], env=env, check=True)
        cached = import_ms("import escpos.printer", env)
    env.pop("ESCPOS_CAPABILITIES_PICKLE_DIR")
    uncached = import_ms("import escpos.printer", env)
    labels_only = import_ms("import labels.cli", env)
    print(
        f"import escpos.printer: {uncached:.0f} ms without cache (python-escpos default: a "
        f"new temp dir each run), {cached:.0f} ms with a kept cache ({uncached / cached:.1f}x)"
    )
    print(f"import labels.cli (escpos loaded lazily, only when encoding): {labels_only:.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=40)
    args = parser.parse_args()
    bench_jobs(args.rounds)
    bench_imports()


if __name__ == "__main__":
    main()
