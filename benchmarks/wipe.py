"""Wipe throughput of the bench agent against fio, dd and nwipe on the same loop devices.

Needs root, fio, dd and nwipe. Creates files on the real disk (--dir, default
/var/tmp), attaches them as loop devices with --direct-io=on (so the page cache
is out of the picture), checks that each device is backed by our file, runs every
contender interleaved --runs times (in a shuffled order each round) and prints median
MB/s and ratios. Only the loop devices it attached are ever written; they and the
files are removed at the end. Before each contender the devices are flushed (untimed),
so no contender pays for the data another one left in a volatile cache (the VM
host's, here: its flush of 2 GiB took 0.2-2 s).

Goals (from the issue; they use fio's own bandwidth figure, which leaves out the final
flush while ours includes it): our zero overwrite >= 0.9x best fio write (iodepth
1/4/16/32) and >= 1.0x dd (dd ends with an fsync, like ours); random >= 0.9x our zero;
our verify >= 0.9x best fio read; 4 disks in parallel >= 0.9x 4 parallel fio jobs.
The same comparisons against fio with --end_fsync=1 timed on the wall clock (the fair
ones: a wipe is not done before the data is on the medium) are printed as "(flushed)",
and our zero overwrite timed up to its last write, before its flush, as "(info)".

    # .venv/bin/python benchmarks/wipe.py --size-gib 2 --runs 3 [--no-nwipe]

prints one line per round on stderr, then a table of median MB/s with the ratio of
each contender to our zero overwrite, and each goal as met or MISSED. Figures of a
real run are in docs/bench-agent.md ("Disks and wiping").
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from agents.wipe.passes import CHUNK_BYTES, DEPTH, Engine, Progress, full_ranges, run_pass
from agents.wipe.patterns import ZEROS, AesCtrPattern, Pattern

GiB = 1 << 30
DEPTHS = (1, 4, 16, 32)
SEED = 2883  # the contenders' order changes each round, the same way each run
# A verification reads back what the pass before it wrote (fio and dd write other bytes).
FOLLOWS = {
    "ours verify (zeros)": "ours zero (overwrite)",
    "ours verify (aes-256-ctr)": "ours random (aes-256-ctr)",
}


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


def settle(devices: list[str]) -> None:
    """Flush each device (untimed) so the next contender starts with nothing cached."""
    for device in devices:
        fd = os.open(device, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


class LastByte(Progress):
    """Progress that notes when the last byte was done: a write pass's flush comes after."""

    last: float = 0.0

    def add(self, count: int) -> None:
        super().add(count)
        self.last = time.perf_counter()


# Info only, never a goal: our zero overwrite timed up to its last write, before the flush.
UNFLUSHED: list[float] = []


def ours(device: str, size: int, pattern: Pattern, write: bool, engine: Engine = "auto") -> float:
    """Time one pass of our engine over the device (a write pass includes its flush); MB/s."""
    fd = os.open(device, os.O_RDWR | os.O_DIRECT | os.O_EXCL)
    progress = LastByte()
    try:
        start = time.perf_counter()
        result = run_pass(
            fd,
            ranges=full_ranges(size, CHUNK_BYTES),
            pattern=pattern,
            write=write,
            sector=512,
            progress=progress,
            engine=engine,
        )
        elapsed = time.perf_counter() - start
    finally:
        os.close(fd)
    if result.error is not None or result.bytes_done != size:
        raise SystemExit(f"our pass failed on {device}: {result.error}")
    if write and pattern is ZEROS and engine == "auto":
        UNFLUSHED.append(size / (progress.last - start) / 1e6)
    return size / elapsed / 1e6


class RandomThenVerify:
    """Our random overwrite, then the read-back of the same stream (run right after it)."""

    def __init__(self, device: str, size: int) -> None:
        self.device, self.size = device, size
        self.pattern = AesCtrPattern()

    def write(self) -> float:
        self.pattern = AesCtrPattern()
        return ours(self.device, self.size, self.pattern, True)

    def verify(self) -> float:
        return ours(self.device, self.size, self.pattern, False)


def ours_parallel(devices: list[str], size: int) -> float:
    """Zero-overwrite all devices at once; return aggregate MB/s."""
    start = time.perf_counter()
    threads = [threading.Thread(target=ours, args=(d, size, ZEROS, True)) for d in devices]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(devices) * size / (time.perf_counter() - start) / 1e6


def fio_argv(devices: list[str], size: int, rw: str, depth: int) -> list[str]:
    """fio sequential I/O over each device, one job per device, all jobs at once."""
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
    return argv


def fio(devices: list[str], size: int, rw: str, depth: int) -> float:
    """fio's own aggregate bandwidth figure (no final flush); MB/s."""
    argv = fio_argv(devices, size, rw, depth)
    out = subprocess.run(argv, capture_output=True, text=True, check=True).stdout
    job = json.loads(out)["jobs"][0]
    return job["write" if rw == "write" else "read"]["bw_bytes"] / 1e6


def fio_flushed(devices: list[str], size: int, depth: int) -> float:
    """fio writes plus --end_fsync=1, timed on the wall clock like ours (which ends with a
    flush: a wipe is not done until the data is on the medium); aggregate MB/s."""
    argv = fio_argv(devices, size, "write", depth) + ["--end_fsync=1"]
    return timed(argv, len(devices) * size)


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


def collect(
    runs: int, contenders: dict[str, Callable[[], float]], devices: list[str]
) -> dict[str, list[float]]:
    """Run every contender once per round after an untimed flush; MB/s samples.

    The order is shuffled each round (a contender that must follow another is kept right
    after it, see FOLLOWS), so no one always runs first or after the same neighbour.
    """
    samples: dict[str, list[float]] = {name: [] for name in contenders}
    shuffler = random.Random(SEED)
    for round_number in range(runs):
        order = [name for name in contenders if name not in FOLLOWS]
        shuffler.shuffle(order)
        for later, first in FOLLOWS.items():
            if later in contenders:
                order.insert(order.index(first) + 1, later)
        for name in order:
            contender = contenders[name]
            settle(devices)
            samples[name].append(contender())
            print(
                f"  round {round_number + 1}: {name:<38} {samples[name][-1]:9.1f} MB/s",
                file=sys.stderr,
            )
    return samples


def single_disk(device: str, size: int, runs: int, with_nwipe: bool) -> dict[str, list[float]]:
    """Samples for every single-device contender."""
    stream = RandomThenVerify(device, size)
    contenders: dict[str, Callable[[], float]] = {
        "ours zero (overwrite)": lambda: ours(device, size, ZEROS, True),
        "ours verify (zeros)": lambda: ours(device, size, ZEROS, False),  # see FOLLOWS
        "ours zero, threads engine": lambda: ours(device, size, ZEROS, True, "threads"),
        "ours random (aes-256-ctr)": stream.write,
        "ours verify (aes-256-ctr)": stream.verify,  # runs right after it (FOLLOWS)
        "dd write 4M direct + fsync": lambda: dd_write(device, size),
        "dd read 4M direct": lambda: dd_read(device, size),
    }
    for depth in DEPTHS:
        contenders |= {
            f"fio write iodepth {depth}": partial(fio, [device], size, "write", depth),
            f"fio write iodepth {depth} (flushed)": partial(fio_flushed, [device], size, depth),
            f"fio read iodepth {depth}": partial(fio, [device], size, "read", depth),
        }
    if with_nwipe:
        contenders["nwipe 0.34 zero"] = lambda: nwipe(device, size)
    return collect(runs, contenders, [device])


def best(medians: dict[str, float], prefix: str, suffix: str = "") -> tuple[int, float]:
    """The iodepth with the highest median among contenders named prefix + depth + suffix."""
    depth = max(DEPTHS, key=lambda d: medians[f"{prefix}{d}{suffix}"])
    return depth, medians[f"{prefix}{depth}{suffix}"]


def report(samples: dict[str, list[float]]) -> None:
    """Print every sample, the table of medians and the goals."""
    medians = {name: statistics.median(values) for name, values in samples.items()}
    zero = medians["ours zero (overwrite)"]
    print(f"{'contender':<40}{'median MB/s':>12}{'vs ours zero':>14}   samples")
    for name, value in medians.items():
        runs = " ".join(f"{v:.0f}" for v in samples[name])
        print(f"{name:<40}{value:12.1f}{value / zero:14.2f}   {runs}")
    write_depth, best_write = best(medians, "fio write iodepth ")
    flushed_depth, best_flushed = best(medians, "fio write iodepth ", " (flushed)")
    read_depth, best_read = best(medians, "fio read iodepth ")
    verify = medians["ours verify (zeros)"]
    random = medians["ours random (aes-256-ctr)"]
    parallel = medians["ours zero x4 parallel"]
    goals = [
        (f"zero >= 0.9x best fio write (qd {write_depth})", zero / best_write, 0.9),
        ("zero >= 1.0x dd write", zero / medians["dd write 4M direct + fsync"], 1.0),
        ("random >= 0.9x our zero", random / zero, 0.9),
        (f"verify >= 0.9x best fio read (qd {read_depth})", verify / best_read, 0.9),
        ("4 parallel >= 0.9x 4 fio jobs", parallel / medians["fio write x4 parallel"], 0.9),
    ]
    unflushed = medians["ours zero, up to the flush (info)"]
    fair = [
        (f"zero vs best flushed fio write (qd {flushed_depth})", zero / best_flushed),
        (f"zero up to the flush vs best fio write (qd {write_depth})", unflushed / best_write),
        # fio writes random-looking buffers: storage that keeps zeros cheaply favours our zeros.
        (f"random vs best flushed fio write (qd {flushed_depth})", random / best_flushed),
        (
            "4 parallel vs 4 flushed fio jobs",
            parallel / medians["fio write x4 parallel (flushed)"],
        ),
    ]
    if "nwipe 0.34 zero" in medians:
        print(f"ours zero vs nwipe: {zero / medians['nwipe 0.34 zero']:.1f}x")
    print("goals (fio's own bandwidth, without its final flush; ours includes the flush):")
    for text, ratio, goal in goals:
        print(f"  {text:<50} ratio {ratio:5.2f}  {'met' if ratio >= goal else 'MISSED'}")
    print("with the flush on both sides or on neither (information, not the goals):")
    for text, ratio in fair:
        print(f"  {text:<50} ratio {ratio:5.2f}  {'>= 0.9' if ratio >= 0.9 else '< 0.9'}")


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
        samples = single_disk(devices[0], size, args.runs, not args.no_nwipe)
        samples["ours zero, up to the flush (info)"] = UNFLUSHED[: args.runs]
        write_medians = {d: statistics.median(samples[f"fio write iodepth {d}"]) for d in DEPTHS}
        depth = max(DEPTHS, key=write_medians.__getitem__)
        parallel = {
            "ours zero x4 parallel": lambda: ours_parallel(devices, size),
            "fio write x4 parallel": lambda: fio(devices, size, "write", depth),
            "fio write x4 parallel (flushed)": lambda: fio_flushed(devices, size, depth),
        }
        samples |= collect(args.runs, parallel, devices)
        report(samples)
    finally:
        for device, _ in disks:
            subprocess.run(["losetup", "-d", device], check=False)
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
