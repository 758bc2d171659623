"""Reservation latency when many clients race for the same devices, against no contention.

Starts the app behind a threaded HTTP server on a throwaway database (SQLite, or PostgreSQL
with --pg URL of an empty database), then times over real HTTP:

- reference: one client reserving free devices one after the other (no contention);
- race: --clients clients posting at once for the same device, --rounds times (one 201,
  the rest 409 already_reserved each round).

Prints the median time per request of each and the ratio to the reference. Sample run
(2-core VM shared with other work)::

    $ .venv/bin/python benchmarks/reservations.py --clients 16 --rounds 10
    sqlite: 16 clients, 10 rounds, winners per round: {1}
    step                 median/request   ratio
    reference (serial)          0.008 s    1.00
    race (16 at once)           0.063 s    8.06
    $ .venv/bin/python benchmarks/reservations.py --pg postgresql+psycopg://postgres@/bench
    postgresql: 16 clients, 10 rounds, winners per round: {1}
    reference (serial)          0.011 s    1.00
    race (16 at once)           0.110 s   10.30

A racing request waits behind the others (they are serialised on the device row or the
SQLite write lock), so its latency grows with the number of clients: ~N/2 times the serial
one is what a queue of N gives; nothing is lost or held twice.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _world(url: str, clients: int, devices: int):  # type: ignore[no-untyped-def]
    from sqlmodel import Session

    from workshop import create_app
    from workshop.db import get_engine
    from workshop.demo import PATHS
    from workshop.migrations import upgrade
    from workshop.models import DeviceStatus, DeviceType, OrganisationKind, Role
    from workshop.services.accounts import create_user, issue_token
    from workshop.services.actors import SYSTEM
    from workshop.services.devices import create_device, transition_device
    from workshop.services.organisations import create_organisation
    from workshop.settings import WorkshopSettings

    upgrade(url)
    app = create_app(WorkshopSettings(env="testing", database_url=url, secret_key="b" * 40))
    with Session(get_engine(app)) as session:
        tokens = []
        for i in range(clients):
            org = create_organisation(
                session, SYSTEM, kind=OrganisationKind.ASSOCIATION, name=f"Asso {i}"
            )
            user = create_user(
                session,
                SYSTEM,
                email=f"a{i}@example.org",
                full_name="A",
                password="benchmark-password",
                role=Role.ASSOCIATION,
                organisation_id=org.id,
            )
            tokens.append(issue_token(session, user=user))
        tags = []
        for _ in range(devices):
            device = create_device(session, SYSTEM, type=DeviceType.LAPTOP)
            for step in PATHS[DeviceStatus.AVAILABLE]:
                transition_device(session, SYSTEM, device, step)
            tags.append(device.asset_tag)
        session.commit()
    return app, tokens, tags


def _post(base: str, token: str, tag: str) -> tuple[int, float]:
    body = json.dumps({"asset_tags": [tag]}).encode()
    request = urllib.request.Request(
        f"{base}/api/v1/reservations",
        data=body,
        method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            status = response.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    return status, time.perf_counter() - start


def _round(base: str, tokens: list[str], tag: str) -> list[tuple[int, float]]:
    """Every client posts for the same device at the same moment."""
    barrier = threading.Barrier(len(tokens))
    results: list[tuple[int, float]] = []

    def run(token: str) -> None:
        barrier.wait()
        results.append(_post(base, token, tag))

    threads = [threading.Thread(target=run, args=(token,)) for token in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def main() -> None:
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--pg", default="", help="URL of an empty PostgreSQL database")
    args = parser.parse_args()
    import logging

    from werkzeug.serving import make_server

    logging.getLogger("werkzeug").setLevel(logging.ERROR)

    folder = Path(tempfile.mkdtemp())
    url = args.pg or f"sqlite:///{folder / 'bench.sqlite3'}"
    app, tokens, tags = _world(url, args.clients, 20 + args.rounds)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    serial = [_post(base, tokens[0], tag)[1] for tag in tags[:20]]
    race: list[float] = []
    winners: set[int] = set()
    for tag in tags[20:]:
        results = _round(base, tokens, tag)
        winners.add(sum(1 for status, _ in results if status == 201))
        race.extend(seconds for _, seconds in results)
    server.shutdown()
    reference = statistics.median(serial)
    engine = "postgresql" if args.pg else "sqlite"
    print(f"{engine}: {args.clients} clients, {args.rounds} rounds, winners per round: {winners}")
    print(f"{'step':20} {'median/request':>14} {'ratio':>7}")
    print(f"{'reference (serial)':20} {reference:12.3f} s {1:7.2f}")
    label = f"race ({args.clients} at once)"
    print(
        f"{label:20} {statistics.median(race):12.3f} s {statistics.median(race) / reference:7.2f}"
    )


if __name__ == "__main__":
    main()
