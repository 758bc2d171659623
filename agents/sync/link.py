"""Build the outbox and the server client from the settings (shared by the commands)."""

from __future__ import annotations

import sys

from agents.client import ServerClient
from agents.outbox import Outbox
from agents.settings import BenchSettings


def agent_version() -> str:
    """This agent's version, as stamped on snapshots."""
    from agents.inventory.collect import agent_version as installed  # noqa: PLC0415

    return installed()


def make_client(settings: BenchSettings, *, timeout: float | None = None) -> ServerClient:
    """A client for the enrolled server (raises SettingsError when not enrolled)."""
    url, token = settings.require_server()
    return ServerClient(
        url,
        token,
        ca_file=settings.ca_file,
        timeout=timeout or settings.read_timeout,
        agent_version=agent_version(),
    )


def open_outbox(settings: BenchSettings) -> Outbox:
    """Open (creating if needed) the outbox under the state directory."""
    return Outbox(settings.outbox_path, lease=settings.read_timeout + 30.0)


def fail(message: str, status: int = 1) -> int:
    """Print an error line on stderr and return the exit status."""
    print(f"bench-agent: {message}", file=sys.stderr)
    return status
