"""`bench-agent status`: the server link and what waits in the outbox.

Sample run::

    $ bench-agent status
    Server    http://127.0.0.1:5871 (reachable)
    Bench     Établi 2 (id 1)
    Outbox    /var/lib/atelier-bench/outbox.sqlite3
    Pending   0
    Rejected  1
              #204 inventory.snapshot: HTTP 422 invalid: An asset tag has 9 symbols; \
'0000' has 4. (field asset_tag)
    Sent      202
    Policy    remote wipes: hotplugged disks only; disk dock: off
    Tasks     1 running (7d1c0e9a-…)

With the server away, the Server line says `NOT reachable: <why>` and Pending
names the oldest record, its attempts and its last error.
`--offline` skips the call to the server.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from agents.errors import AgentError

if TYPE_CHECKING:
    from agents.settings import BenchSettings


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `status` subcommand."""
    parser = subparsers.add_parser("status", help="show the server link and the outbox")
    parser.add_argument("--offline", action="store_true", help="do not contact the server")
    parser.set_defaults(func=run)


def _server_line(settings: BenchSettings, offline: bool) -> tuple[str, str | None]:
    from agents.client import ClientError  # noqa: PLC0415
    from agents.sync.link import make_client  # noqa: PLC0415

    if not settings.server_url or not settings.token:
        return "(not enrolled: run `bench-agent enroll URL CODE`)", None
    if offline:
        return settings.server_url, None
    try:
        bench = make_client(settings, timeout=settings.connect_timeout).heartbeat()
    except ClientError as error:
        return f"{settings.server_url} (NOT reachable: {error.message})", None
    return f"{settings.server_url} (reachable)", f"{bench.get('name')} (id {bench.get('id')})"


def run(args: argparse.Namespace) -> int:
    """Print the link's state; exit 0 unless the settings or the outbox are unusable."""
    from agents.settings import load_settings  # noqa: PLC0415
    from agents.sync.link import fail, open_outbox  # noqa: PLC0415

    try:
        settings = load_settings()
        outbox = open_outbox(settings)
    except AgentError as error:
        return fail(str(error), 2)
    server, bench = _server_line(settings, args.offline)
    if bench is None and settings.bench_name:
        bench = f"{settings.bench_name} (id {settings.bench_id})"
    try:
        counts, oldest, rejected = outbox.counts(), outbox.oldest_pending(), outbox.rejected(5)
    finally:
        outbox.close()
    lines = [f"Server    {server}", f"Bench     {bench or '-'}", f"Outbox    {outbox.path}"]
    pending = counts["ready"] + counts["in_flight"]
    if oldest is None:
        lines.append("Pending   0")
    else:
        lines.append(
            f"Pending   {pending}, oldest: {oldest.kind} queued {oldest.created_at}, "
            f"{oldest.attempts} attempts"
        )
        if oldest.last_error:
            lines.append(f"          last error: {oldest.last_error}")
    lines.append(f"Rejected  {counts['rejected']}")
    lines += [f"          #{item.id} {item.kind}: {item.last_error}" for item in rejected]
    lines.append(f"Sent      {counts['acked']}")
    lines += _policy_lines(settings)
    print("\n".join(lines))
    return 0


REMOTE_WIPE = {
    "off": "refused",
    "hotplugged": "hotplugged disks only",
    "any": "any unprotected disk",
}


def _policy_lines(settings: BenchSettings) -> list[str]:
    """The local policy, and the tasks this bench has under way (from its tasks file)."""
    from pathlib import Path  # noqa: PLC0415

    from agents.daemon.tasks import LocalTasks  # noqa: PLC0415

    dock = settings.dock_method or "off"
    if settings.dock_method:
        dock += f" (verify {settings.dock_verify})"
    running = LocalTasks(Path(settings.state_dir) / "tasks.json").running()
    tasks = f"{len(running)} running" + (f" ({', '.join(running)})" if running else "")
    return [
        f"Policy    remote wipes: {REMOTE_WIPE[settings.remote_wipe]}; disk dock: {dock}",
        f"Tasks     {tasks}",
    ]
