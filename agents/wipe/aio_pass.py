"""A pass driven by native AIO from one thread: `depth` chunks in flight, like fio --iodepth.

Each slot owns a chunk buffer (a constant pattern shares one). When a write
completes, its slot goes to FILLERS helper threads that generate the next chunk
of the AES stream into it, while the other requests keep the device busy; filled
slots are submitted in offset order. A read is compared with the expected bytes
(regenerated for the AES stream) as it completes, and its slot resubmitted.

A request that fails or comes back short stops new submissions; once the queue
has drained, failed chunks are redone synchronously in offset order with the
shared retries (agents.wipe.chunkio), which name the first failing LBA. If they
all go through, the pass carries on.
"""

from __future__ import annotations

import itertools
import mmap
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from agents.wipe import chunkio
from agents.wipe.aio import AioQueue, AioUnavailable, buffer_address
from agents.wipe.errors import WipeError
from agents.wipe.patterns import Pattern, aligned_buffer

if TYPE_CHECKING:
    from agents.wipe.passes import Progress

# Threads generating the AES stream of a write pass; update_into releases the GIL, so they
# run on other cores than the thread that submits and reaps (old bench PCs lack AES-NI).
FILLERS = 2
POLL_SECONDS = 0.001


@dataclass
class _Slot:
    index: int
    buf: mmap.mmap
    address: int
    offset: int = 0
    length: int = 0


@dataclass
class AioPass:
    """State of one pass: the queue, its slots, what is done and what failed."""

    fd: int
    work: Iterator[tuple[int, int]]
    pattern: Pattern
    write: bool
    sector: int
    progress: Progress
    chunk: int
    depth: int
    done: int = 0
    errors: list[tuple[int, WipeError]] = field(default_factory=list)
    _failed: list[_Slot] = field(default_factory=list)
    _pending: deque[tuple[Future[None], _Slot]] = field(default_factory=deque)
    _submitted: int = 0

    def _allocate(self) -> None:
        constant = None
        if self.pattern.constant:
            constant = aligned_buffer(self.chunk)
            self.pattern.fill(constant, 0, self.chunk)
        if self.write and constant is not None:
            # Writes only read their buffer: every slot can share the constant one.
            buffers = [constant] * self.depth
        else:
            buffers = [aligned_buffer(self.chunk) for _ in range(self.depth)]
        self._slots = [_Slot(i, buf, buffer_address(buf)) for i, buf in enumerate(buffers)]
        self._expected = constant or aligned_buffer(self.chunk)

    def run(self) -> None:
        """Run the pass to the end or to its first hard error; raise AioUnavailable early."""
        generate = self.write and not self.pattern.constant
        fillers = ThreadPoolExecutor(FILLERS, "wipe-fill") if generate else nullcontext(None)
        with AioQueue(self.fd, self.depth) as queue, fillers as pool:
            self._allocate()  # only once AIO is known to be there: the fallback has its own
            free = list(range(self.depth))
            busy: set[int] = set()
            while True:
                self._top_up(queue, pool, free, busy)
                self._submit_filled(queue, busy, wait=not busy)
                if not busy:
                    if self._pending:
                        continue  # the one waited for was refused: it is in _failed now
                    if not self._failed or not self._redo_failed(free):
                        return
                    continue
                # While chunks are being filled, wake up now and then to submit them.
                for slot, result in queue.reap(1, POLL_SECONDS if self._pending else None):
                    busy.discard(slot)
                    if self._finish(self._slots[slot], result):
                        free.append(slot)
                        # Resubmit before handling the other completions: the queue stays full.
                        self._top_up(queue, pool, free, busy)

    def _top_up(
        self, queue: AioQueue, pool: ThreadPoolExecutor | None, free: list[int], busy: set[int]
    ) -> None:
        """Start the next chunks in free slots, unless a failure is pending."""
        while free and not self._failed and not self.errors:
            item = next(self.work, None)
            if item is None:
                return
            state = self._slots[free.pop()]
            state.offset, state.length = item
            if pool is None:
                self._submit(queue, state, busy)
            else:
                fill = pool.submit(self.pattern.fill, state.buf, state.offset, state.length)
                self._pending.append((fill, state))

    def _submit_filled(self, queue: AioQueue, busy: set[int], wait: bool) -> None:
        """Submit filled chunks in order; with `wait`, wait for the first one to be filled."""
        while self._pending and (wait or self._pending[0][0].done()):
            fill, state = self._pending.popleft()
            fill.result()
            self._submit(queue, state, busy)
            wait = False

    def _submit(self, queue: AioQueue, state: _Slot, busy: set[int]) -> None:
        try:
            queue.submit(state.index, self.write, state.address, state.length, state.offset)
        except OSError as exc:
            if self._submitted == 0:
                # Nothing reached the device: hand every chunk taken back to the fallback.
                taken = [(state.offset, state.length)]
                taken += [(s.offset, s.length) for _, s in self._pending]
                self._pending.clear()
                self.work = itertools.chain(taken, self.work)
                raise AioUnavailable(f"the device refused native AIO: {exc}") from exc
            self._failed.append(state)  # redone synchronously, which reports the real error
            return
        self._submitted += 1
        busy.add(state.index)

    def _finish(self, state: _Slot, result: int) -> bool:
        """Account for one completion; False keeps the slot aside for a synchronous redo."""
        if result != state.length:
            self._failed.append(state)
            return False
        if not self.write:
            if not self.pattern.constant:
                self.pattern.fill(self._expected, state.offset, state.length)
            mismatch = chunkio.compare(
                state.buf, self._expected, state.offset, state.length, self.sector
            )
            if mismatch is not None:
                self.errors.append((state.offset, mismatch))
                return True
        self.done += state.length
        self.progress.add(state.length)
        return True

    def _redo_failed(self, free: list[int]) -> bool:
        """Redo failed chunks in offset order; True if they all went through and matched."""
        failed, self._failed = sorted(self._failed, key=lambda s: s.offset), []
        found = len(self.errors)
        for state in failed:
            with memoryview(state.buf) as view:
                error = chunkio.io_chunk(
                    self.fd, view[: state.length], state.offset, self.sector, self.write
                )
            if error is not None:
                self.errors.append((state.offset, error))
                return False
            self._finish(state, state.length)
            if len(self.errors) > found:  # a redone read that does not match
                return False
            free.append(state.index)
        return not self.errors
