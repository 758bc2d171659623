"""`bench-agent enroll URL CODE`: join a workshop server with a one-time code.

A coordinator creates the code on the server (Établis page, or
`workshop create-enrollment-code`). The agent trades it for this bench's token
and writes the settings file (default /etc/atelier-bench/bench.json, mode 0600).

Sample run::

    $ bench-agent enroll https://atelier.example 7KQ2-M4XP
    enrolled as bench "Établi 2" (id 3) at https://atelier.example
    settings written to /etc/atelier-bench/bench.json
    $ bench-agent enroll https://atelier.example 7KQ2-M4XP
    bench-agent: this bench is already enrolled (bench "Établi 2" at https://atelier.example); \
use --force to enroll again
"""

from __future__ import annotations

import argparse
import sys

from agents.errors import AgentError


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `enroll` subcommand."""
    parser = subparsers.add_parser("enroll", help="join a workshop server with a one-time code")
    parser.add_argument("url", help="the server, e.g. https://atelier.example")
    parser.add_argument("code", help="the one-time code a coordinator gave, e.g. 7KQ2-M4XP")
    parser.add_argument("--ca-file", help="CA certificate(s) to verify the server with (PEM)")
    parser.add_argument("--force", action="store_true", help="replace an existing enrollment")
    parser.set_defaults(func=run)


def _clear_text(url: str) -> bool:
    """True for http:// to anything but this machine (the token would cross the network)."""
    from urllib.parse import urlsplit  # noqa: PLC0415

    parts = urlsplit(url)
    return parts.scheme == "http" and parts.hostname not in ("127.0.0.1", "localhost", "::1")


def run(args: argparse.Namespace) -> int:
    """Enroll and write the settings file."""
    import os  # noqa: PLC0415
    import socket  # noqa: PLC0415

    from agents import settings as config  # noqa: PLC0415
    from agents.client import ServerClient  # noqa: PLC0415
    from agents.sync.link import agent_version, fail  # noqa: PLC0415

    try:
        settings = config.load_settings()
        config.check_url(args.url)
        stored = config.read_config_file(settings.config_path)
        if stored.get("token") and not args.force:
            where = f'bench "{stored.get("bench_name")}" at {stored.get("server_url")}'
            return fail(f"this bench is already enrolled ({where}); use --force to enroll again")
        client = ServerClient(
            args.url,
            ca_file=args.ca_file,
            timeout=settings.read_timeout,
            agent_version=agent_version(),
        )
        answer = client.enroll(args.code.strip().upper(), socket.gethostname() or None)
        stored.update(
            server_url=client.base_url,
            token=answer["token"],
            bench_id=answer["bench_id"],
            bench_name=answer["bench_name"],
        )
        if args.ca_file:
            stored["ca_file"] = os.path.abspath(args.ca_file)
        config.write_config(settings.config_path, stored)
    except (AgentError, OSError) as error:
        return fail(str(error))
    if _clear_text(args.url):
        print("bench-agent: warning: plain http: the token travels unencrypted", file=sys.stderr)
    print(f'enrolled as bench "{answer["bench_name"]}" (id {answer["bench_id"]}) at {args.url}')
    print(f"settings written to {settings.config_path}")
    return 0
