"""`python -m agents.inventory [--json]`: the inventory command alone, without the other commands.

`bench-agent` imports every command module to build its help; this entry point
loads only the inventory, for the quickest start on live systems and for the
benchmark. Sample run::

    $ .venv/bin/python -m agents.inventory --json | head -2
    {
      "schema_version": "1.0",
"""

from __future__ import annotations

import argparse
import sys

from agents.inventory.command import run


def main(argv: list[str] | None = None) -> int:
    """Parse the inventory options and run it."""
    parser = argparse.ArgumentParser(prog="python -m agents.inventory")
    parser.add_argument("--json", action="store_true", help="print the versioned JSON snapshot")
    parser.add_argument("--sys-root", default="/sys", help=argparse.SUPPRESS)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
