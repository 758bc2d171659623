"""Every main page of the web UI on the demo data: no page should need more than a second.

Builds the demo dataset (`workshop demo`) in a throwaway database (SQLite, or PostgreSQL with
--pg URL of an empty database), logs in through the Flask test client (coordinator; the donor
for the donor portal; nobody for the public pages) and times each page: the median of --runs
requests after one warm-up request, its ratio to a reference request in the same process
(`/api/v1/health`: routing, session and JSON, no query) and the number of SQL statements it
ran. A page over --limit seconds is flagged and the exit status is 1. Sample run::

    $ .venv/bin/python benchmarks/pages.py --runs 15      # 2-core VM shared with other work
    sqlite: 6 organisations, 62 devices, 356 events; median of 15 runs
    page                            median   ratio  queries
    reference /api/v1/health       0.001 s    1.00        0
    dashboard                      0.009 s    7.30        4
    donations                      0.016 s   12.92        7
    new donation                   0.024 s   19.32        3
    devices                        0.020 s   16.77        5
    device                         0.017 s   14.02       12
    stock                          0.019 s   15.82        4
    ...                                                  (every page under 0.03 s)

--extra N adds N devices (in donations of 50, states spread like the demo's) to see how
the pages grow: with 2,000 more the query counts stay the same; the catalogue (every
available device on one page, ~0.17 s) and the device CSV (~0.13 s) grow with the data.

Performance is measured here, never by timed tests.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def _grow(session: Any, extra: int) -> None:
    """`extra` more devices in donations of 50, walked to states spread like the demo's."""
    import random
    from datetime import date

    from sqlmodel import select

    from workshop.demo import PATHS, TARGETS
    from workshop.models import DeviceType, Organisation, OrganisationKind
    from workshop.services.actors import SYSTEM
    from workshop.services.devices import transition_device
    from workshop.services.donations import ItemLine, create_donation, donation_devices

    rng = random.Random(7)
    donors = session.exec(
        select(Organisation).where(Organisation.kind == OrganisationKind.COLLECTIVITE)
    ).all()
    states = [state for state, n in TARGETS.items() for _ in range(n)]
    types = [DeviceType.LAPTOP, DeviceType.DESKTOP, DeviceType.SCREEN, DeviceType.TABLET]
    for start in range(0, extra, 50):
        donation = create_donation(
            session,
            SYSTEM,
            donor_id=rng.choice(donors).id,
            received_on=date(2025, 1, 1 + start // 50 % 28),
            place="Dépôt",
            items=[ItemLine(type=rng.choice(types)) for _ in range(min(50, extra - start))],
        )
        for device in donation_devices(session, donation):
            for step in PATHS[rng.choice(states)]:
                transition_device(session, SYSTEM, device, step)
    session.commit()


def _world(url: str, extra: int = 0) -> tuple[Any, str, dict[str, str]]:
    """The app on a migrated database holding the demo data; its summary and some ids."""
    from sqlmodel import Session, col, select

    from workshop import create_app
    from workshop.db import get_engine
    from workshop.demo import load_demo
    from workshop.migrations import upgrade
    from workshop.models import Bench, Device, DeviceStatus, Donation, Reservation
    from workshop.settings import WorkshopSettings

    upgrade(url)
    settings = WorkshopSettings(
        env="testing",
        database_url=url,
        secret_key="benchmark-" + "b" * 40,
        instance_path=Path(tempfile.mkdtemp()),
    )
    app = create_app(settings)
    with Session(get_engine(app)) as session:
        summary = load_demo(session)
        session.commit()
        if extra:
            _grow(session, extra)
            summary += f", then {extra} more devices"
        available = select(Device.asset_tag).where(Device.status == DeviceStatus.AVAILABLE)
        ids = {
            "donation": str(session.exec(select(Donation.id).order_by(col(Donation.id))).first()),
            "tag": str(session.exec(available.order_by(col(Device.id))).first()),
            "bench": str(session.exec(select(Bench.id).order_by(col(Bench.id))).first()),
            "reservation": str(
                session.exec(select(Reservation.id).order_by(col(Reservation.id))).first()
            ),
        }
    return app, summary, ids


def _client(app: Any, email: str | None) -> Any:
    from workshop.demo import DEMO_PASSWORD

    client = app.test_client()
    if email is None:
        return client
    html = client.get("/login").get_data(as_text=True)
    match = CSRF_RE.search(html)
    assert match, "no CSRF token on /login"
    response = client.post(
        "/login", data={"email": email, "password": DEMO_PASSWORD, "csrf_token": match.group(1)}
    )
    assert response.status_code == 302, f"login of {email} failed: {response.status_code}"
    return client


def pages(ids: dict[str, str]) -> list[tuple[str, str, str | None]]:
    """(name, path, who): who is the demo login, None for an anonymous visitor."""
    staff = "coordination@atelier.demo"
    donor = "dsi@lamballe.demo"
    return [
        ("dashboard", "/", staff),
        ("donations", "/donations/", staff),
        ("donations filtered", "/donations/?status=available&q=mairie", staff),
        ("donations CSV", "/donations/export.csv", staff),
        ("donation", f"/donations/{ids['donation']}", staff),
        ("new donation", "/donations/new", staff),
        ("devices", "/devices/", staff),
        ("devices filtered", "/devices/?status=available&type=laptop", staff),
        ("devices CSV", "/devices/export.csv", staff),
        ("device", f"/devices/{ids['tag']}", staff),
        ("stock", "/stock/", staff),
        ("benches", "/benches/", staff),
        ("bench", f"/benches/{ids['bench']}", staff),
        ("catalogue", "/catalogue/", staff),
        ("reservations", "/reservations/", staff),
        ("reservation", f"/reservations/{ids['reservation']}", staff),
        ("needs", "/needs/", staff),
        ("printers", "/printers/", staff),
        ("waste register", "/waste/", staff),
        ("verify", "/verify", None),
        ("login", "/login", None),
        ("public device", f"/d/{ids['tag']}", None),
        ("donor portal", "/portal/", donor),
        ("donor donations", "/donations/", donor),
        ("API stock", "/api/v1/stock", None),
    ]


def _count_queries(app: Any) -> Callable[[], int]:
    """A counter of the SQL statements the app's engine runs."""
    from sqlalchemy import event

    from workshop.db import get_engine

    seen = [0]

    def before(*_args: Any) -> None:
        seen[0] += 1

    event.listen(get_engine(app), "before_cursor_execute", before)
    return lambda: seen[0]


def _time(get: Callable[[], Any], runs: int, queries: Callable[[], int]) -> tuple[float, int]:
    response = get()  # warm-up: template compilation, caches
    assert response.status_code == 200, response.status_code
    before = queries()
    get().close()
    count = queries() - before
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        response = get()
        response.get_data()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), count


def main() -> int:
    """Time every page and print the table; 1 when a page is over the limit."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--limit", type=float, default=1.0, help="seconds a page may take")
    parser.add_argument("--pg", default="", help="URL of an empty PostgreSQL database")
    parser.add_argument(
        "--extra", type=int, default=0, help="add this many devices to the demo (query growth)"
    )
    args = parser.parse_args()
    url = args.pg or f"sqlite:///{Path(tempfile.mkdtemp()) / 'pages.sqlite3'}"
    app, summary, ids = _world(url, args.extra)
    queries = _count_queries(app)
    from workshop.services.accounts import issue_token

    clients: dict[str | None, Any] = {}
    engine = "postgresql" if args.pg else "sqlite"
    print(f"{engine}: {summary}; median of {args.runs} runs")
    anonymous = _client(app, None)
    reference, ref_queries = _time(lambda: anonymous.get("/api/v1/health"), args.runs, queries)
    print(f"{'page':28} {'median':>9} {'ratio':>7} {'queries':>8}")
    print(f"{'reference /api/v1/health':28} {reference:7.3f} s {1:7.2f} {ref_queries:8}")
    token = _api_token(app, issue_token)
    slow = []
    for name, path, who in pages(ids):
        if who not in clients:
            clients[who] = _client(app, who)
        client = clients[who]
        headers = {"Authorization": f"Bearer {token}"} if path.startswith("/api/") else {}
        median, count = _time(
            lambda c=client, p=path, h=headers: c.get(p, headers=h), args.runs, queries
        )
        flag = "  SLOW" if median > args.limit else ""
        print(f"{name:28} {median:7.3f} s {median / reference:7.2f} {count:8}{flag}")
        if flag:
            slow.append(name)
    if slow:
        print(f"over {args.limit} s: {', '.join(slow)}")
        return 1
    return 0


def _api_token(app: Any, issue_token: Any) -> str:
    from sqlmodel import Session, select

    from workshop.db import get_engine
    from workshop.models import User

    with Session(get_engine(app)) as session:
        user = session.exec(select(User).where(User.email == "coordination@atelier.demo")).one()
        token = issue_token(session, user=user)
        session.commit()
    return str(token)


if __name__ == "__main__":
    sys.exit(main())
