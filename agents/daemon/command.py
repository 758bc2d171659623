"""`bench-agent run`: the bench daemon (what the systemd unit starts).

It beats every `heartbeat_interval` seconds (with jitter), sends the outbox as
soon as the server answers, and tells the server which disks the bench sees,
within a second or two of a disk being plugged in or pulled out. SIGTERM or
Ctrl+C stops it cleanly (exit 0); a record being sent at that moment stays in
the outbox and is resent at the next start.

Sample run::

    $ bench-agent run                   # then losetup attaches and detaches loop1
    12:37:01 INFO bench daemon: server http://127.0.0.1:5871
    12:37:01 INFO outbox /var/lib/atelier-bench/outbox.sqlite3
    12:37:01 INFO watching block devices (kernel uevents)
    12:37:01 INFO disks sent: 2 (loop0, vda)
    12:37:03 INFO disks sent: 3 (loop0, loop1, vda)
    12:37:04 INFO disks sent: 2 (loop0, vda)
    12:37:04 INFO stopped                # after SIGTERM
"""

from __future__ import annotations

import argparse

from agents.errors import AgentError


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `run` subcommand."""
    parser = subparsers.add_parser("run", help="run the bench daemon (heartbeat, sync, hotplug)")
    parser.add_argument("--verbose", action="store_true", help="log debug messages too")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Start the daemon and block until SIGTERM/SIGINT."""
    import logging  # noqa: PLC0415
    import signal  # noqa: PLC0415

    from agents.daemon.service import BenchDaemon  # noqa: PLC0415
    from agents.settings import load_settings  # noqa: PLC0415
    from agents.sync.link import fail, make_client, open_outbox  # noqa: PLC0415

    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(message)s",
        datefmt="%H:%M:%S",
    )
    log = logging.getLogger("agents.daemon")
    try:
        settings = load_settings()
        client = make_client(settings)
        outbox = open_outbox(settings)
        outbox.prune_acked()
    except AgentError as error:
        return fail(str(error), 2)
    daemon = BenchDaemon(settings, client, outbox)
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda _signum, _frame: daemon.stop())
    log.info("bench daemon: server %s", client.base_url)
    log.info("outbox %s", outbox.path)
    daemon.start()
    while not daemon.stopping.wait(3600):
        pass  # the loops run in their threads; this thread only waits for a signal
    daemon.join(timeout=settings.read_timeout + 5)
    outbox.close()
    log.info("stopped")
    return 0
