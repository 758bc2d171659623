"""Wipe throughput of the bench agent against fio, dd and nwipe on the same loop devices.

Needs root, fio, dd and nwipe. Creates files on the real disk (--dir, default
/var/tmp), attaches them as loop devices with --direct-io=on (so the page cache
is out of the picture), checks that each device is backed by our file, runs every
contender interleaved --runs times and prints median MB/s and ratios. Only the
loop devices it attached are ever written; they and the files are removed at the end.

Goals: our zero overwrite >= 0.9x best fio write (iodepth 1/4/16) and >= 1.0x dd;
random >= 0.9x our zero; our verify >= 0.9x best fio read; 4 disks in parallel
>= 0.9x 4 parallel fio jobs.

    # .venv/bin/python benchmarks/wipe.py --size-gib 2 --runs 3

prints one line per round on stderr, then a table of median MB/s with the ratio of
each contender to our zero overwrite, and each goal as met or MISSED. Figures of a
real run are in docs/bench-agent.md ("Disks and wiping").
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from agents.wipe.passes import CHUNK_BYTES, DEPTH, Progress, full_ranges, run_pass
from agents.wipe.patterns import ZEROS, AesCtrPattern, Pattern

GiB = 1 << 30


def attach(backing: Path) -> str:
    """Attach `backing` as a direct-I/O loop device and prove it is ours."""
    out = subprocess.run(
        ["losetup", "--find", "--show", "--direct-io=on", str(backing)],
        capture_output=True,
        text=True,
        check=True,
    )
    device = out.stdout.strip()
    name = os.path.basename(device)
    owner = Path(f"/sys/block/{name}/loop/backing_file").read_text().strip()
    if not device.startswith("/dev/loop") or owner != str(backing):
        subprocess.run(["losetup", "-d", device], check=False)
        raise SystemExit(f"refusing: {device} is backed by {owner!r}, not {backing}")
    return device


def make_disks(directory: Path, count: int, size: int) -> list[tuple[str, Path]]:
    """Create `count` written (not sparse) files of `size` bytes and attach them."""
    disks = []
    for index in range(count):
        backing = directory / f"bench{index}.img"
        subprocess.run(
            [
                "dd",
                "if=/dev/zero",
                f"of={backing}",
                "bs=4M",
                f"count={size // (4 << 20)}",
                "oflag=direct",
                "status=none",
            ],
            check=True,
        )
        disks.append((attach(backing), backing))
    return disks


def ours(device: str, size: int, pattern: Pattern, write: bool) -> float:
    """Time one pass of our engine over the device; return MB/s."""
    fd = os.open(device, os.O_RDWR | os.O_DIRECT | os.O_EXCL)
    try:
        start = time.perf_counter()
        result = run_pass(
            fd,
            ranges=full_ranges(size, CHUNK_BYTES),
            pattern=pattern,
            write=write,
            sector=512,
            progress=Progress(),
        )
        elapsed = time.perf_counter() - start
    finally:
        os.close(fd)
    if result.error is not None or result.bytes_done != size:
        raise SystemExit(f"our pass failed on {device}: {result.error}")
    return size / elapsed / 1e6


def ours_parallel(devices: list[str], size: int) -> float:
    """Zero-overwrite all devices at once; return aggregate MB/s."""
    rates: list[float] = []
    start = time.perf_counter()
    threads = [
        threading.Thread(target=lambda d=d: rates.append(ours(d, size, ZEROS, True)))
        for d in devices
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(devices) * size / (time.perf_counter() - start) / 1e6


def fio(devices: list[str], size: int, rw: str, depth: int) -> float:
    """Run fio sequentially over each device (one job per device, in parallel); MB/s."""
    argv = ["fio", "--output-format=json", "--group_reporting"]
    for index, device in enumerate(devices):
        argv += [
            f"--name=j{index}",
            f"--filename={device}",
            f"--rw={rw}",
            "--direct=1",
            "--ioengine=libaio",
            "--bs=4M",
            f"--iodepth={depth}",
            f"--size={size}",
        ]
    out = subprocess.run(argv, capture_output=True, text=True, check=True).stdout
    job = json.loads(out)["jobs"][0]
    return job["write" if rw == "write" else "read"]["bw_bytes"] / 1e6


def fio_flushed(device: str, size: int, depth: int) -> float:
    """fio as above plus --end_fsync=1, timed on the wall clock like ours (which ends with a
    flush: a wipe is not done until the data is on the medium); MB/s."""
    argv = ["fio", "--name=flushed", f"--filename={device}", "--rw=write", "--direct=1",
            "--ioengine=libaio", "--bs=4M", f"--iodepth={depth}", f"--size={size}",
            "--end_fsync=1", "--output-format=json"]  # fmt: skip
    return timed(argv, size)


def timed(argv: list[str], size: int) -> float:
    """Run a command and return size / elapsed in MB/s."""
    start = time.perf_counter()
    subprocess.run(argv, capture_output=True, check=True)
    return size / (time.perf_counter() - start) / 1e6


def dd_write(device: str, size: int) -> float:
    """dd from /dev/zero with 4 MiB direct writes and a final fsync."""
    count = size // (4 << 20)
    return timed(
        [
            "dd",
            "if=/dev/zero",
            f"of={device}",
            "bs=4M",
            f"count={count}",
            "oflag=direct",
            "conv=fsync",
            "status=none",
        ],
        size,
    )


def dd_read(device: str, size: int) -> float:
    """dd to /dev/null with 4 MiB direct reads."""
    return timed(
        ["dd", f"if={device}", "of=/dev/null", "bs=4M", "iflag=direct", "status=none"], size
    )


def nwipe(device: str, size: int) -> float:
    """Debian's nwipe, zero method, no verification, no final blanking, this device only."""
    if not device.startswith("/dev/loop"):
        raise SystemExit(f"refusing to run nwipe on {device}")  # --autonuke with no device = all
    argv = ["nwipe", "--autonuke", "--nogui", "--method=zero", "--verify=off", "--noblank", device]
    return timed(argv, size)


def collect(runs: int, contenders: dict[str, Callable[[], float]]) -> dict[str, float]:
    """Run every contender once per round, interleaved; return the median MB/s of each."""
    samples: dict[str, list[float]] = {name: [] for name in contenders}
    for round_number in range(runs):
        for name, contender in contenders.items():
            samples[name].append(contender())
            print(
                f"  round {round_number + 1}: {name:<34} {samples[name][-1]:9.1f} MB/s",
                file=sys.stderr,
            )
    return {name: statistics.median(values) for name, values in samples.items()}


def single_disk(device: str, size: int, runs: int, with_nwipe: bool) -> dict[str, float]:
    """Medians for every single-device contender."""
    contenders: dict[str, Callable[[], float]] = {
        "ours zero (overwrite)": lambda: ours(device, size, ZEROS, True),
        "ours verify (zeros)": lambda: ours(device, size, ZEROS, False),
        "ours random (aes-256-ctr)": lambda: ours(device, size, AesCtrPattern(), True),
        "dd write 4M direct": lambda: dd_write(device, size),
        "dd read 4M direct": lambda: dd_read(device, size),
    }
    contenders["fio write iodepth 16 + end_fsync"] = lambda: fio_flushed(device, size, 16)
    for depth in (1, 4, 16):
        contenders[f"fio write iodepth {depth}"] = lambda d=depth: fio([device], size, "write", d)
        contenders[f"fio read iodepth {depth}"] = lambda d=depth: fio([device], size, "read", d)
    if with_nwipe:
        contenders["nwipe 0.34 zero"] = lambda: nwipe(device, size)
    return collect(runs, contenders)


def report(single: dict[str, float], parallel: dict[str, float]) -> None:
    """Print the table and the goals."""
    # fio's own bandwidth figure leaves out the final flush; ours includes it (see fio_flushed).
    best_write = max(
        v for k, v in single.items() if k.startswith("fio write iodepth") and "fsync" not in k
    )
    best_read = max(v for k, v in single.items() if k.startswith("fio read"))
    zero = single["ours zero (overwrite)"]
    print(f"{'contender':<36}{'MB/s':>10}{'vs ours zero':>14}")
    for name, value in {**single, **parallel}.items():
        print(f"{name:<36}{value:10.1f}{value / zero:14.2f}")
    goals = [
        ("zero >= 0.9x best fio write", zero / best_write, 0.9),
        ("zero >= 1.0x dd write", zero / single["dd write 4M direct"], 1.0),
        (
            "(zero vs fio qd16 + flush, wall)",
            zero / single["fio write iodepth 16 + end_fsync"],
            0.9,
        ),
        ("random >= 0.9x our zero", single["ours random (aes-256-ctr)"] / zero, 0.9),
        ("verify >= 0.9x best fio read", single["ours verify (zeros)"] / best_read, 0.9),
        (
            "4 parallel >= 0.9x 4 fio jobs",
            parallel["ours zero x4 parallel"] / parallel["fio write x4 parallel"],
            0.9,
        ),
    ]
    if "nwipe 0.34 zero" in single:
        print(f"ours zero vs nwipe: {zero / single['nwipe 0.34 zero']:.1f}x")
    for text, ratio, goal in goals:
        print(f"{text:<36} ratio {ratio:5.2f}  {'met' if ratio >= goal else 'MISSED'}")


def main() -> int:
    """Set up the loop devices, run the benchmark, clean up."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-gib", type=float, default=2.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--dir", default="/var/tmp")
    parser.add_argument("--no-nwipe", action="store_true")
    args = parser.parse_args()
    if os.geteuid() != 0:
        raise SystemExit("run as root: the benchmark attaches loop devices")
    missing = [tool for tool in ("fio", "dd", "losetup", "nwipe") if not shutil.which(tool)]
    if missing:
        raise SystemExit(f"missing tools: {', '.join(missing)}")
    size = int(args.size_gib * GiB) // (4 << 20) * (4 << 20)
    work = Path(tempfile.mkdtemp(prefix="atelier-wipe-bench-", dir=args.dir))
    disks: list[tuple[str, Path]] = []
    try:
        disks = make_disks(work, 4, size)
        devices = [device for device, _ in disks]
        print(
            f"{len(devices)} loop devices of {size / GiB:.2f} GiB over files in {work}; "
            f"chunk {CHUNK_BYTES >> 20} MiB x depth {DEPTH}",
            file=sys.stderr,
        )
        single = single_disk(devices[0], size, args.runs, not args.no_nwipe)
        best = max((1, 4, 16), key=lambda d: single[f"fio write iodepth {d}"])
        parallel = collect(
            args.runs,
            {
                "ours zero x4 parallel": lambda: ours_parallel(devices, size),
                "fio write x4 parallel": lambda: fio(devices, size, "write", best),
            },
        )
        report(single, parallel)
    finally:
        for device, _ in disks:
            subprocess.run(["losetup", "-d", device], check=False)
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
