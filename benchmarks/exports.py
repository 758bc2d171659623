"""The device CSV export at two sizes: its peak Python memory must not grow with the device count.

Builds a throwaway SQLite database (migrated with Alembic) holding N devices inserted in bulk
(one donation, realistic vendors, models and serials), then downloads `/devices/export.csv` as a
coordinator through the Flask test client, reading the streamed body chunk by chunk as a
browser would, under tracemalloc. The reference, in the same process and on the same database,
is the same rows materialised at once (the ORM objects of `list_devices`, as the export did
before it streamed). Prints, for N and 4 N devices, the rows received, the time, the peak
memory of both, and the growth ratios (memory 4 N / N: about 1.0 when flat, 4.0 when it grows
with the count). Sample run (2-core VM shared with other work)::

    $ .venv/bin/python benchmarks/exports.py --devices 20000
    devices   rows       time   peak (stream)   peak (materialised)
    20000     20000      0.9 s          3.9 MB               40.9 MB
    80000     80000      4.6 s          3.9 MB              163.8 MB
    growth ×4 devices: time ×5.0, stream memory ×0.99, materialised memory ×4.00
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

VENDORS = [("Dell", "Latitude 5490"), ("Lenovo", "ThinkPad T480"), ("HP", "EliteBook 840 G5")]


def _tag(number: int) -> str:
    """A valid asset tag made from a number (8 symbols and the check symbol)."""
    from workshop.services import asset_tags

    body, value = "", number + 1
    for _ in range(8):
        value, digit = divmod(value, 32)
        body = asset_tags.ALPHABET[digit] + body
    check = asset_tags.check_symbol(body)
    if check not in asset_tags.ALPHABET:  # a check symbol outside the alphabet: next body
        return _tag(number + 10_000_000)
    return body + check


def _database(folder: Path, devices: int) -> str:
    """A migrated SQLite database with `devices` devices in one donation; its URL."""
    from sqlalchemy import insert
    from sqlmodel import Session

    from workshop.db import make_engine
    from workshop.migrations import upgrade
    from workshop.models import Device, DeviceType, OrganisationKind
    from workshop.services import organisations
    from workshop.services.actors import SYSTEM
    from workshop.services.donations import ItemLine, create_donation

    url = f"sqlite:///{folder / f'export-{devices}.sqlite3'}"
    upgrade(url)
    engine = make_engine(url)
    with Session(engine) as session:
        donor = organisations.create_organisation(
            session, SYSTEM, kind=OrganisationKind.COLLECTIVITE, name="Mairie de Guingamp"
        )
        assert donor.id is not None
        donation = create_donation(
            session, SYSTEM, donor_id=donor.id, received_on=datetime.now(UTC).date(),
            place="Centre technique", items=[ItemLine(type=DeviceType.LAPTOP)],
        )  # fmt: skip
        now = datetime.now(UTC)
        rows = []
        for number in range(devices - 1):  # the donation brought one already
            vendor, model = VENDORS[number % len(VENDORS)]
            rows.append(
                {
                    "asset_tag": _tag(number),
                    "type": "laptop", "vendor": vendor, "model": model,
                    "serial": f"SN{number:010d}", "status": "available", "grade": "B",
                    "weight_kg": 2.1, "donation_id": donation.id, "created_at": now,
                    "updated_at": now, "serial_placeholder": False, "weight_measured": False,
                    "notes": "",
                }
            )  # fmt: skip
        session.execute(insert(Device), rows)
        session.commit()
    return url


def _app(url: str, folder: Path):  # type: ignore[no-untyped-def]
    from sqlmodel import Session

    from tests.conftest import PASSWORD
    from workshop import create_app
    from workshop.models import OrganisationKind, Role
    from workshop.services import accounts, organisations
    from workshop.services.actors import SYSTEM
    from workshop.settings import WorkshopSettings

    settings = WorkshopSettings(
        env="testing", database_url=url, instance_path=folder, secret_key="bench-" + "x" * 32,
        public_base_url="http://atelier.bench",
    )  # fmt: skip
    app = create_app(settings)
    engine = app.extensions["db_engine"]

    with Session(engine) as session:
        workshop = organisations.create_organisation(
            session, SYSTEM, kind=OrganisationKind.WORKSHOP, name="Atelier"
        )
        assert workshop.id is not None
        accounts.create_user(
            session, SYSTEM, email="coordination@bench.test", full_name="Coordination",
            password=PASSWORD, role=Role.COORDINATOR, organisation_id=workshop.id,
        )  # fmt: skip
        session.commit()
    return app, PASSWORD


def _measure(url: str, folder: Path) -> tuple[int, float, int, int]:
    """(rows, seconds, peak bytes streamed, peak bytes materialised) for one database."""
    from sqlmodel import Session

    from tests.conftest import WebClient
    from workshop.services import devices
    from workshop.services.actors import SYSTEM

    app, password = _app(url, folder)
    web = WebClient(app.test_client())
    web.login("coordination@bench.test", password)
    tracemalloc.start()
    started = time.perf_counter()
    response = web.get("/devices/export.csv", buffered=False)
    lines = 0
    for chunk in response.response:
        lines += chunk.count(b"\n") if isinstance(chunk, bytes) else chunk.count("\n")
    response.close()
    seconds = time.perf_counter() - started
    _size, streamed = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    tracemalloc.start()
    with Session(app.extensions["db_engine"]) as session:
        rows, _total = devices.list_devices(
            session, SYSTEM, devices.DeviceFilters(), limit=10_000_000
        )
        assert len(rows) == lines - 1
    _size, materialised = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return lines - 1, seconds, streamed, materialised


def main() -> int:
    """Run the export at N and 4 N devices and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=20_000)
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for count in (args.devices, 4 * args.devices):
            folder = Path(tmp) / str(count)
            folder.mkdir()
            results.append((count, *_measure(_database(folder, count), folder)))
    print(f"{'devices':<10}{'rows':<9}{'time':>6}{'peak (stream)':>16}{'peak (materialised)':>22}")
    for count, rows, seconds, streamed, materialised in results:
        print(
            f"{count:<10}{rows:<9}{seconds:>5.1f} s{streamed / 1e6:>13.1f} MB"
            f"{materialised / 1e6:>19.1f} MB"
        )
    (_, _, t1, s1, m1), (_, _, t4, s4, m4) = results
    print(
        f"growth ×4 devices: time ×{t4 / t1:.1f}, stream memory ×{s4 / s1:.2f}, "
        f"materialised memory ×{m4 / m1:.2f}"
    )
    assert all(rows == count for count, rows, *_ in results), "rows missing from the export"
    return 0


if __name__ == "__main__":
    sys.exit(main())
