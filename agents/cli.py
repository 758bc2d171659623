"""`bench-agent` command line.

Each subcommand lives in its own module that exposes ``register(subparsers)``.
Only the module of the command being run is imported (every module for
``--help``), so start-up stays lean: the inventory must start fast and must not
pay for the wipe engine's imports. Add an entry to COMMANDS to add a command.
"""

from __future__ import annotations

import argparse
import importlib
import sys

# Subcommand name -> module providing it, in the order shown by --help.
COMMANDS: dict[str, str] = {
    "inventory": "agents.inventory.command",
    "disks": "agents.wipe.disks_command",
    "wipe": "agents.wipe.command",
    "diagnose": "agents.diagnostics.command",
    "enroll": "agents.sync.enroll_command",
    "status": "agents.sync.status_command",
    "sync": "agents.sync.sync_command",
    "run": "agents.daemon.command",
    "print-labels": "agents.print_command",
}


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """Build the parser; with `argv`, only the requested command's module is loaded."""
    parser = argparse.ArgumentParser(
        prog="bench-agent", description="Atelier bench agent (reconditioning bench)."
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    requested = next((a for a in argv or [] if not a.startswith("-")), None)
    modules = [COMMANDS[requested]] if requested in COMMANDS else list(COMMANDS.values())
    for name in modules:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `bench-agent` console script."""
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
