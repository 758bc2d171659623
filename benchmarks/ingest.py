"""Wipe records ingested per second by 16 benches at once: the old in-transaction chain head
against sealing after commit.

Builds a throwaway database (PostgreSQL with --pg URL of an empty database, SQLite otherwise),
devices in "tested" state and --benches benches, then has every bench (a thread with its own
session and connection) deliver --records wipe records through the real ingest path
(bench_records.receive_record → wipes.ingest_wipe: bench record, wipe record, "wipe.recorded"
event, device moved to "wiped" with its own event), one transaction per record:

- reference: the old scheme, reimplemented here: every append_event takes the single
  event_chain_head row with UPDATE … RETURNING inside the writer's transaction, so the
  benches queue on that row until each one commits;
- sealed after commit: today's append_event (inserts unsealed) and the sealer that runs after
  each commit in its own short transaction, with a signed checkpoint per seal.

Prints records/s of each and the ratio to the reference, then checks that the whole log
verifies. Sample run (2-core VM shared with other work)::

    $ .venv/bin/python benchmarks/ingest.py --pg postgresql+psycopg://postgres@127.0.0.1/bench
    (figures in the report of the change; run it to see this machine's)
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
import uuid
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def old_append_event(session, actor, kind, *, device_id=None, donation_id=None, data=None):  # type: ignore[no-untyped-def]
    """The reference: the chain head row taken in the writer's transaction (the old scheme)."""
    from sqlalchemy import update
    from sqlmodel import col

    from workshop.models import Event, EventChainHead
    from workshop.models.base import utcnow
    from workshop.services.canonical import canonical_json
    from workshop.services.events import event_hash

    seq, prev_hash = session.execute(
        update(EventChainHead)
        .where(col(EventChainHead.id) == 1)
        .values(seq=EventChainHead.seq + 1)
        .returning(col(EventChainHead.seq), col(EventChainHead.last_hash))
    ).one()
    event = Event(
        seq=seq,
        kind=kind,
        device_id=device_id,
        donation_id=donation_id,
        data=canonical_json(data or {}),
        actor=actor.label,
        bench_id=actor.bench.id if actor.bench is not None else None,
        created_at=utcnow(),
        prev_hash=prev_hash,
    )
    event.hash = event_hash(event)
    session.add(event)
    session.execute(
        update(EventChainHead).where(col(EventChainHead.id) == 1).values(last_hash=event.hash)
    )
    session.flush()
    return event


def _world(engine, benches: int, per_bench: int) -> tuple[list[Any], list[list[str]]]:  # type: ignore[no-untyped-def]
    """Benches, and for each scheme and bench `per_bench` tested devices (their tags)."""
    from sqlmodel import Session

    from workshop.demo import PATHS
    from workshop.models import DeviceStatus, DeviceType, OrganisationKind
    from workshop.services.actors import SYSTEM
    from workshop.services.devices import transition_device
    from workshop.services.donations import ItemLine, create_donation, donation_devices
    from workshop.services.organisations import create_bench, create_organisation

    with Session(engine, expire_on_commit=False) as session:
        donor = create_organisation(session, SYSTEM, kind=OrganisationKind.COLLECTIVITE, name="M")
        rigs = [create_bench(session, SYSTEM, name=f"bench {i}")[0] for i in range(benches)]
        donation = create_donation(
            session,
            SYSTEM,
            donor_id=donor.id,
            received_on=date(2026, 11, 2),
            place="Mairie",
            items=[ItemLine(type=DeviceType.LAPTOP, count=per_bench) for _ in range(2 * benches)],
        )
        tags = []
        for device in donation_devices(session, donation):
            for step in PATHS[DeviceStatus.TESTED]:
                transition_device(session, SYSTEM, device, step)
            tags.append(device.asset_tag)
        session.commit()
    lots = [tags[i * per_bench : (i + 1) * per_bench] for i in range(2 * benches)]
    return rigs, lots


def _ingest(engine, rigs: list[Any], lots: list[list[str]]) -> float:  # type: ignore[no-untyped-def]
    """Every bench delivers one wipe record per device of its lot; returns records/s."""
    from sqlmodel import Session

    from tests.helpers.records import build_wipe
    from workshop.services.actors import Actor
    from workshop.services.bench_records import receive_record

    errors: list[BaseException] = []

    def bench(rig: Any, tags: list[str]) -> None:
        try:
            for tag in tags:
                with Session(engine, expire_on_commit=False) as session:
                    receive_record(
                        session,
                        Actor(bench=rig),
                        key=uuid.uuid4().hex,
                        kind="wipe.record",
                        payload=build_wipe(),
                        extra={"asset_tag": tag},
                    )
                    session.commit()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=bench, args=pair) for pair in zip(rigs, lots, strict=True)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    if errors:
        raise errors[0]
    return sum(len(tags) for tags in lots) / elapsed


def _use_old_scheme() -> None:
    import workshop.services.events as events

    original = events.append_event
    for name, module in list(sys.modules.items()):
        if name.startswith("workshop.") and getattr(module, "append_event", None) is original:
            module.append_event = old_append_event  # type: ignore[attr-defined]


def main() -> int:
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--benches", type=int, default=16)
    parser.add_argument("--records", type=int, default=20, help="wipe records per bench")
    parser.add_argument("--pg", default="", help="URL of an empty PostgreSQL database")
    args = parser.parse_args()
    from workshop.db import make_engine
    from workshop.migrations import upgrade
    from workshop.services import sealing, wipes  # noqa: F401  (registers wipe.record)
    from workshop.services.checkpoints import checkpoint_file
    from workshop.services.log_verification import verify_log

    with tempfile.TemporaryDirectory() as tmp:
        url = args.pg or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        upgrade(url)
        engine = make_engine(url, pool_size=args.benches + 2)
        checkpoints = checkpoint_file(Path(tmp))
        sealing.install(engine, checkpoints)
        rigs, lots = _world(engine, args.benches, args.records)
        # Sealed first: the old scheme chains correctly after it but leaves the Merkle
        # frontier behind, so the log is verified in between.
        sealed = _ingest(engine, rigs, lots[: args.benches])
        report = verify_log(engine, checkpoints)
        assert report.ok and report.unsealed == 0, report.reason
        _use_old_scheme()
        reference = _ingest(engine, rigs, lots[args.benches :])
        engine.dispose()
    total = args.benches * args.records
    print(
        f"{engine.dialect.name}: {args.benches} benches × {args.records} wipe records "
        f"({total} per scheme); sealed log verified: {report.chain.checked} events, "
        f"{report.wipes.matched} wipe records"
    )
    print(f"{'scheme':<34}{'records/s':>10}{'ratio':>8}")
    print(f"{'reference (head row in writer tx)':<34}{reference:>10.1f}{1.0:>8.2f}")
    print(f"{'sealed after commit':<34}{sealed:>10.1f}{sealed / reference:>8.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
