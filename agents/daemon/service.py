"""The bench daemon's threads: heartbeat, outbox sender, the disks the bench sees, labels, tasks.

Each loop sleeps on an Event, so `stop()` ends all of them at once. The disks
set is sent (PUT /bench/disks) at start and whenever it changes; a failed send
is retried at the next heartbeat; each disk carries the reasons this bench would refuse to
wipe it (safety rules and local policy). Records go through the outbox only. Label jobs queued
for the bench's printers are printed as they come (agents/printing.py); wipes and diagnostics
asked from the web UI, and disk-dock wipes, run through agents/daemon/tasks.py.
"""

from __future__ import annotations

import logging
import queue
import random
import threading
import time
from collections.abc import Callable
from typing import Any

from agents.client import ClientError, ServerClient, TokenRefused
from agents.daemon.hotplug import HotplugMonitor, HotplugUnavailable
from agents.daemon.tasks import TaskWorker
from agents.errors import AgentError
from agents.outbox import Outbox, OutboxError, backoff_delay, utc_now_iso
from agents.settings import BenchSettings
from agents.sync.sender import flush
from atelier_protocol.reasons import Message, say

log = logging.getLogger(__name__)
DiskLister = Callable[[], list[dict[str, Any]]]
COALESCE = 0.1  # seconds to gather a burst of uevents (a disk and its partitions)
OUTBOX_POLL = 5.0  # other processes (`inventory --send`) enqueue too
LABEL_POLL = 5.0  # seconds between two looks at the bench's label queue


def list_current_disks() -> list[dict[str, Any]]:
    """The disks this machine has now, in snapshot form (sysfs only: fast)."""
    from agents.inventory.collect import disk_to_snapshot  # noqa: PLC0415
    from agents.inventory.disks import list_disks  # noqa: PLC0415

    return [disk_to_snapshot(disk) for disk in list_disks()]


class BenchDaemon:
    """Runs the loops until stop() (called from the SIGTERM handler)."""

    def __init__(
        self,
        settings: BenchSettings,
        client: ServerClient,
        outbox: Outbox,
        *,
        list_disks: DiskLister = list_current_disks,
    ) -> None:
        self.settings = settings
        self.client = client
        self.outbox = outbox
        self.list_disks = list_disks
        self.stopping = threading.Event()
        self.wake_sender = threading.Event()
        self.server_back = threading.Event()
        self.link_down = False
        self.disk_events: queue.Queue[tuple[str, str]] = queue.Queue()
        self.hotplug = HotplugMonitor(self.disk_events)
        self.rescan_interval = 30.0
        self._sent_disks: list[dict[str, Any]] | None = None
        self._threads: list[threading.Thread] = []
        self.tasks = TaskWorker(
            settings, client, outbox, wake_sender=self.wake_sender, stopping=self.stopping
        )

    def start(self) -> None:
        """Start the hotplug monitor and the loops; note the disks present now (policy)."""
        try:
            self.hotplug.start()
        except HotplugUnavailable as error:
            self.rescan_interval = 1.0  # no uevents: poll sysfs instead
            log.warning("%s; rescanning disks every second instead", error)
        try:
            self.tasks.note_startup(self.list_disks())
        except OSError as error:
            log.warning("cannot list disks at start-up: %s (no disk is wiped on request)", error)
        self.tasks.recover()
        for name, loop in (
            ("heartbeat", self._heartbeat_loop),
            ("sender", self._sender_loop),
            ("disks", self._disks_loop),
            ("labels", self._labels_loop),
            ("tasks", self.tasks.poll_loop),
            ("progress", self.tasks.progress_loop),
        ):
            thread = threading.Thread(target=loop, name=name, daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self) -> None:
        """Ask every loop to end (safe from a signal handler)."""
        self.stopping.set()
        self.wake_sender.set()
        self.disk_events.put(("stop", ""))

    def join(self, timeout: float) -> None:
        """Wait for the loops, then release the monitor."""
        deadline = time.monotonic() + timeout
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        self.hotplug.stop()

    def _heartbeat_loop(self) -> None:
        interval = self.settings.heartbeat_interval
        while not self.stopping.is_set():
            try:
                self.client.heartbeat()
            except TokenRefused as error:
                log.error("the server refused this bench's token: %s (enroll again)", error.message)
            except ClientError as error:
                log.warning("heartbeat failed: %s", error.message)
            else:
                if self.link_down:  # the server is back: do not wait for the sender's backoff
                    self.link_down = False
                    self.server_back.set()
                    self.wake_sender.set()
            if self._sent_disks is None:
                self.disk_events.put(("retry", ""))
            # Jitter: benches restarted together must not beat together.
            self.stopping.wait(interval * random.uniform(0.8, 1.2))

    def _sender_loop(self) -> None:
        failures = 0  # consecutive passes stopped by the server: the whole queue backs off
        while not self.stopping.is_set():
            # After an outage, send in order at once rather than after each item's own backoff.
            everything = self.server_back.is_set()
            self.server_back.clear()
            wait = self._send_pass(everything)
            failures = failures + 1 if wait is None else 0
            self.wake_sender.wait(backoff_delay(failures) if wait is None else wait)
            self.wake_sender.clear()

    def _send_pass(self, everything: bool) -> float | None:
        """One pass over the outbox; seconds until the next one, None when the server failed us."""
        try:
            report = flush(self.outbox, self.client, ignore_schedule=everything, stop=self.stopping)
            due = self.outbox.next_due()
        except OutboxError as error:
            log.error("%s", error)
            return OUTBOX_POLL
        if report.acked or report.rejected:
            log.info("sent %d records, %d rejected", report.acked, report.rejected)
        if report.stopped_by:
            self.link_down = True
            log.warning("records waiting: %s", report.stopped_by.message)
            return None
        return max(0.05, OUTBOX_POLL if due is None else min(OUTBOX_POLL, due - time.time()))

    def _labels_loop(self) -> None:
        """Print the label jobs queued for this bench's printers; results go to the outbox."""
        from pathlib import Path  # noqa: PLC0415

        from agents.printing import (  # noqa: PLC0415
            LABELS_EXTRA,
            labels_installed,
            print_pending,
            printer_opener,
        )

        if not labels_installed():
            log.warning("label jobs are not printed here: no labels package (%s)", LABELS_EXTRA)
            return
        opener = printer_opener(self.settings.printer_file_dir)
        while not self.stopping.is_set():
            try:
                outcomes = print_pending(
                    self.client, self.outbox, Path(self.settings.state_dir), opener=opener
                )
            except ClientError as error:
                log.debug("label jobs not fetched: %s", error.message)
            except AgentError as error:  # the outbox, or a malformed answer from the server
                log.error("label jobs: %s", error)
            else:
                for outcome in outcomes:
                    log.info(
                        "label job %d: %s",
                        outcome.job_id,
                        "printed" if outcome.printed else f"failed ({outcome.error})",
                    )
                if outcomes:
                    self.wake_sender.set()
            self.stopping.wait(LABEL_POLL * random.uniform(0.8, 1.2))

    def _disks_loop(self) -> None:
        self._report_disks()
        while not self.stopping.is_set():
            try:
                self.disk_events.get(timeout=self.rescan_interval)
            except queue.Empty:
                pass  # periodic rescan: catches anything the monitor missed
            self.stopping.wait(COALESCE)
            while not self.disk_events.empty():
                self.disk_events.get_nowait()
            if not self.stopping.is_set():
                self._report_disks()

    def _report_disks(self) -> None:
        try:
            disks = self.list_disks()
        except OSError as error:
            log.warning("cannot list disks: %s", error)
            return
        self.tasks.on_disks(disks)
        disks = [with_protection(disk, self.tasks.protection(disk)) for disk in disks]
        if disks == self._sent_disks:
            return
        try:
            count = self.client.put_disks(utc_now_iso(), disks)
        except ClientError as error:
            self._sent_disks = None  # retried at the next heartbeat
            log.warning("disks not sent: %s", error.message)
            return
        self._sent_disks = disks
        log.info("disks sent: %d (%s)", count, ", ".join(d["name"] for d in disks) or "none")


def with_protection(disk: dict[str, Any], reasons: list[Message]) -> dict[str, Any]:
    """A disk as PUT /bench/disks carries it: why it is protected, in English (servers older
    than reason codes read this) and as reason codes, within the server's limits."""
    said = _within_limits(reasons)
    return {
        **disk,
        "protected": [_short(reason.english()) for reason in said],
        "protected_reasons": [reason.model_dump(mode="json") for reason in said],
    }


# The server takes at most this many reasons per disk, each text at most this long.
MAX_REASONS, MAX_REASON_CHARS = 20, 300


def _within_limits(reasons: list[Message]) -> list[Message]:
    """At most MAX_REASONS: the surplus is counted in a last reason, never silently dropped."""
    if len(reasons) <= MAX_REASONS:
        return reasons
    return [*reasons[: MAX_REASONS - 1], say("reasons.more", count=len(reasons) - MAX_REASONS + 1)]


def _short(text: str) -> str:
    return text if len(text) <= MAX_REASON_CHARS else text[: MAX_REASON_CHARS - 1] + "…"
