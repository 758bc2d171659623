"""Seconds per million events for `workshop verify-log`, against only reading the rows.

Builds a throwaway database (SQLite, or PostgreSQL with --pg URL of an empty database), inserts
--events events directly (unsealed, in chunks of --chunk, like many commits), seals after each
chunk (one signed checkpoint per chunk), then times:

- reference: streaming the sealed events in seq order without checking anything;
- verify-log: what the command does — seal (nothing left), read and check the checkpoint
  file, recompute every hash, link and the Merkle tree, compare every checkpoint, check the
  head row and the wipe records.

Prints the time of each, seconds per million events (extrapolated linearly: one pass, constant
memory) and the ratio to the reference.
Sample run (2-core VM shared with other work)::

    $ .venv/bin/python benchmarks/verify_log.py --events 200000
    (figures in the report of the change; run it to see this machine's)
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _fill(engine, checkpoints, events: int, chunk: int) -> float:  # type: ignore[no-untyped-def]
    """Insert the events chunk by chunk, sealing after each; returns the sealing seconds."""
    from sqlmodel import SQLModel

    from workshop.services.sealing import seal

    table = SQLModel.metadata.tables["event"]
    start_at = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
    sealing = 0.0
    for first in range(0, events, chunk):
        rows = [
            {
                "kind": "wipe.recorded" if i % 7 else "device.status_changed",
                "device_id": None,
                "donation_id": None,
                "data": f'{{"from":"tested","i":{i},"reason":"wipe passed","to":"wiped"}}',
                "actor": f"bench:{i % 16}",
                "bench_id": None,
                "created_at": start_at + timedelta(milliseconds=37 * i),
            }
            for i in range(first, min(first + chunk, events))
        ]
        with engine.begin() as conn:
            conn.execute(table.insert(), rows)
        began = time.perf_counter()
        seal(engine, checkpoints)
        sealing += time.perf_counter() - began
    return sealing


def _read_only(engine) -> float:  # type: ignore[no-untyped-def]
    from sqlmodel import Session

    from workshop.services.log_verification import _stream

    began = time.perf_counter()
    with Session(engine) as session:
        count = sum(1 for _ in _stream(session))
    assert count > 0
    return time.perf_counter() - began


def main() -> int:
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--chunk", type=int, default=1000)
    parser.add_argument("--pg", default="", help="URL of an empty PostgreSQL database")
    args = parser.parse_args()
    from workshop.db import make_engine
    from workshop.migrations import upgrade
    from workshop.services.checkpoints import checkpoint_file
    from workshop.services.log_verification import verify_log

    with tempfile.TemporaryDirectory() as tmp:
        url = args.pg or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        upgrade(url)
        engine = make_engine(url)
        checkpoints = checkpoint_file(Path(tmp))
        sealing = _fill(engine, checkpoints, args.events, args.chunk)
        reference = _read_only(engine)
        began = time.perf_counter()
        report = verify_log(engine, checkpoints)
        verifying = time.perf_counter() - began
        compared = len(checkpoints.read_all())
        engine.dispose()
    assert report.ok, report.reason
    per_million = 1_000_000 / args.events
    print(f"{engine.dialect.name}: {args.events} events, {compared} checkpoints compared")
    print(f"{'step':<22}{'seconds':>9}{'s/million':>11}{'ratio':>8}")
    for name, seconds in (("reference (read)", reference), ("verify-log", verifying)):
        print(f"{name:<22}{seconds:>9.2f}{seconds * per_million:>11.2f}{seconds / reference:>8.2f}")
    print(f"sealing (all chunks)  {sealing:>9.2f}{sealing * per_million:>11.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
