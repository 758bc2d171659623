"""Loop devices for the diagnose system tests: a plain one, and one with unreadable sectors.

The unreadable one is a loop device over the FUSE file served by the wipe tests'
`faultydisk.py` (run as a program, `--fail-read START:LEN`): this kernel has no
device-mapper error target. Every device is detached and every mount released.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

MiB = 1 << 20
FAULTY_DISK = Path(__file__).resolve().parent.parent / "wipe" / "faultydisk.py"
HANG_GUARD = 60.0  # seconds before a wait is declared stuck (not a performance check)


@pytest.fixture(autouse=True)
def _root() -> None:
    if os.geteuid() != 0:
        pytest.skip("loop devices and smartctl on real devices need root")
    if shutil.which("losetup") is None or not Path("/dev/loop-control").exists():
        pytest.skip("no loop device support (losetup, /dev/loop-control)")


def _losetup(target: Path, *options: str) -> str:
    device = subprocess.run(
        ["losetup", "--find", "--show", *options, str(target)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    backing = Path(f"/sys/block/{os.path.basename(device)}/loop/backing_file").read_text().strip()
    if backing != str(target):
        subprocess.run(["losetup", "-d", device], check=False)
        raise RuntimeError(f"{device} is backed by {backing!r}, not {target}")
    return device


@pytest.fixture
def attach(tmp_path: Path) -> Iterator[Callable[[Path], str]]:
    """attach(file) -> /dev/loopN over it (direct I/O); detached at the end of the test."""
    devices: list[str] = []

    def make(target: Path, direct_io: bool = True) -> str:
        devices.append(_losetup(target, *(["--direct-io=on"] if direct_io else [])))
        return devices[-1]

    yield make
    for device in devices:
        subprocess.run(["losetup", "-d", device], capture_output=True, check=False)


@pytest.fixture
def unreadable_loop(
    tmp_path: Path, attach: Callable[..., str]
) -> Iterator[Callable[[int, int, int], str]]:
    """unreadable_loop(size_mib, start, length) -> a loop device whose reads fail in that range."""
    if not Path("/dev/fuse").exists() or shutil.which("fusermount3") is None:
        pytest.skip("no FUSE here (/dev/fuse, fusermount3)")
    pytest.importorskip("mfusepy", reason="mfusepy (test extra) is not installed")
    servers: list[tuple[subprocess.Popen[bytes], Path]] = []

    def make(size_mib: int, start: int, length: int) -> str:
        base = tmp_path / f"faulty{len(servers)}"
        mount, status = base / "mnt", base / "status"
        mount.mkdir(parents=True)
        status.mkdir()
        backing = base / "backing.img"
        with open(backing, "wb") as handle:
            handle.truncate(size_mib * MiB)
        argv = [sys.executable, str(FAULTY_DISK), str(backing), str(mount), str(status)]
        server = subprocess.Popen([*argv, "--fail-read", f"{start}:{length}"])
        servers.append((server, mount))
        deadline = time.monotonic() + HANG_GUARD
        while not (mount / "disk.img").exists():
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.skip("the FUSE faulty disk could not be mounted here")
            time.sleep(0.05)
        return attach(mount / "disk.img", direct_io=False)

    yield make
    for server, mount in servers:
        for device in list(Path("/sys/block").glob("loop*")):
            backing = device / "loop" / "backing_file"
            if backing.exists() and backing.read_text().strip().startswith(str(mount)):
                subprocess.run(["losetup", "-d", f"/dev/{device.name}"], check=False)
        if subprocess.run(["fusermount3", "-u", str(mount)], capture_output=True).returncode:
            subprocess.run(["umount", "-l", str(mount)], capture_output=True, check=False)
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=30)
