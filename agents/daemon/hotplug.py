"""Watch block devices come and go through kernel uevents (pyudev).

With a udev daemon running (/run/udev/control exists) the monitor listens to
udev's processed events; on live systems and containers without udev it
listens to the kernel's own uevents, which carry the same add/remove/change.
The callback only enqueues: the work happens in the daemon's disks thread.
"""

from __future__ import annotations

import logging
import os
import queue
from typing import Any

from agents.errors import AgentError

UDEV_CONTROL = "/run/udev/control"
log = logging.getLogger(__name__)


class HotplugUnavailable(AgentError):
    """The uevent monitor could not be started (no pyudev, no netlink)."""


def monitor_source() -> str:
    """'udev' when a udev daemon runs, else 'kernel'."""
    return "udev" if os.path.exists(UDEV_CONTROL) else "kernel"


class HotplugMonitor:
    """Puts (action, device name) on `events` for every block uevent."""

    def __init__(self, events: queue.Queue[tuple[str, str]]) -> None:
        self.events = events
        self.source = monitor_source()
        self._observer: Any = None

    def _on_event(self, device: Any) -> None:
        self.events.put((str(device.action), str(device.sys_name)))

    def start(self) -> None:
        """Open the netlink monitor and start its observer thread."""
        try:
            import pyudev  # noqa: PLC0415 - loads libudev: only the daemon needs it

            monitor = pyudev.Monitor.from_netlink(pyudev.Context(), source=self.source)
            monitor.filter_by("block")
            self._observer = pyudev.MonitorObserver(
                monitor, callback=self._on_event, name="hotplug"
            )
            self._observer.daemon = True
            self._observer.start()
        except (ImportError, OSError, ValueError) as error:
            raise HotplugUnavailable(f"disk hotplug monitor unavailable: {error}") from error
        log.info("watching block devices (%s uevents)", self.source)

    def stop(self) -> None:
        """Stop the observer thread."""
        if self._observer is not None:
            self._observer.stop()
            self._observer = None
