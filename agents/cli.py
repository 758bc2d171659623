"""`bench-agent` command line.

Each subcommand lives in its own module that exposes ``register(subparsers)``;
the module is imported only when listed here, so start-up stays lean (the
inventory must start fast). Add a line to COMMAND_MODULES to add a command.
"""

from __future__ import annotations

import argparse
import importlib
import sys

# Modules providing subcommands, in the order shown by --help.
COMMAND_MODULES: list[str] = [
    "agents.inventory.command",
    "agents.wipe.disks_command",
    "agents.wipe.command",
]


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser with every registered subcommand."""
    parser = argparse.ArgumentParser(
        prog="bench-agent", description="Atelier bench agent (reconditioning bench)."
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `bench-agent` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
