"""Live progress lines, one per disk: phase, bytes, MB/s and ETA.

On a terminal the lines are redrawn in place; otherwise (logs, pipes) one line
per disk is printed every few seconds.
"""

from __future__ import annotations

import sys
import threading
import time
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from agents.wipe.passes import Progress


def human_bytes(count: float) -> str:
    """Format a byte count with a binary unit."""
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if abs(count) < 1024 or unit == "TiB":
            return f"{count:.1f} {unit}" if unit != "B" else f"{int(count)} B"
        count /= 1024
    return f"{count:.1f} TiB"


def progress_line(name: str, progress: Progress, now: float | None = None) -> str:
    """One status line for a disk."""
    elapsed = max((now or time.monotonic()) - progress.started, 1e-6)
    done, total = progress.done, progress.total
    rate = done / elapsed
    if not total:
        return f"{name:<10} {progress.phase}"
    eta = (total - done) / rate if rate > 0 else 0.0
    minutes, seconds = divmod(int(eta), 60)
    return (
        f"{name:<10} {progress.phase:<10} {human_bytes(done):>11} / {human_bytes(total):<11}"
        f" {rate / 1e6:8.1f} MB/s  ETA {minutes // 60}:{minutes % 60:02d}:{seconds:02d}"
    )


class ProgressPrinter:
    """Print progress lines for several disks until stopped."""

    def __init__(self, items: dict[str, Progress], stream: TextIO = sys.stderr) -> None:
        self.items = items
        self.stream = stream
        self.stop_event = threading.Event()
        self.tty = stream.isatty()
        self._thread = threading.Thread(target=self._run, name="wipe-progress", daemon=True)
        self._drawn = 0

    def __enter__(self) -> ProgressPrinter:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop_event.set()
        self._thread.join()
        self._draw()

    def _draw(self) -> None:
        lines = [progress_line(name, p) for name, p in self.items.items()]
        if self.tty:
            if self._drawn:
                self.stream.write(f"\x1b[{self._drawn}F")
            self.stream.write("".join(f"\x1b[2K{line}\n" for line in lines))
            self._drawn = len(lines)
        else:
            self.stream.write("".join(f"{line}\n" for line in lines))
        self.stream.flush()

    def _run(self) -> None:
        interval = 0.5 if self.tty else 5.0
        while not self.stop_event.wait(interval):
            self._draw()
