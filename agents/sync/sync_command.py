"""`bench-agent sync`: send everything waiting in the outbox now.

Exit status 0 when nothing is left to send and nothing was refused in this run,
1 when records remain (the reason is printed), 2 when the bench is not enrolled.

Sample run (the server was stopped while 30 inventories waited, then restarted)::

    $ bench-agent sync                  # the server was killed after 5 records
    sent 5 records; 25 records waiting: server unreachable: [Errno 111] Connection refused
    $ bench-agent sync                  # restarted
    sent 25 records; nothing left to send
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from agents.errors import AgentError

if TYPE_CHECKING:
    from agents.client import ClientError


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `sync` subcommand."""
    parser = subparsers.add_parser("sync", help="send the records waiting in the outbox now")
    parser.set_defaults(func=run)


def records(count: int) -> str:
    """'1 record', '2 records'."""
    return f"{count} record" if count == 1 else f"{count} records"


def summary(created: int, duplicates: int, rejected: int) -> str:
    """One line saying what a pass did."""
    parts = [f"sent {records(created + duplicates)}"]
    if duplicates:
        parts[0] += f" ({duplicates} the server already had)"
    if rejected:
        parts.append(f"{rejected} rejected (see `bench-agent status`)")
    return "; ".join(parts)


def _reason(error: ClientError | None) -> str:
    from agents.client import TokenRefused  # noqa: PLC0415

    if error is None:
        return "still in flight in another process"
    if isinstance(error, TokenRefused):
        return f"the server refused this bench's token ({error.message}): enroll again"
    return error.message


def run(args: argparse.Namespace) -> int:
    """Flush the outbox once, ignoring retry delays."""
    from agents.settings import load_settings  # noqa: PLC0415
    from agents.sync.link import fail, make_client, open_outbox  # noqa: PLC0415
    from agents.sync.sender import flush  # noqa: PLC0415

    try:
        settings = load_settings()
        client = make_client(settings)
        outbox = open_outbox(settings)
    except AgentError as error:
        return fail(str(error), 2)
    try:
        report = flush(outbox, client, ignore_schedule=True)
        remaining = outbox.pending_count()
    except AgentError as error:
        return fail(str(error))
    finally:
        outbox.close()
    line = summary(report.created, report.duplicates, report.rejected)
    if remaining:
        reason = _reason(report.stopped_by)
        print(f"{line}; {records(remaining)} waiting: {reason}")
        return 1
    print(f"{line}; nothing left to send")
    return 1 if report.rejected else 0
