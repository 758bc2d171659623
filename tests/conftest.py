"""Shared fixtures: the workshop app on a real database (SQLite always, PostgreSQL when reachable).

Each backend gets one throwaway database per test run, migrated with Alembic (not create_all),
and every test starts from empty tables.
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlmodel import Session, SQLModel

PG_HOST = os.environ.get("ATELIER_TEST_PG_HOST", "127.0.0.1")
PG_ADMIN_DSN = f"host={PG_HOST} port=5432 user=postgres dbname=postgres connect_timeout=3"
BACKENDS = ["sqlite", "postgresql"]


def _postgres_or_skip() -> Any:
    try:
        import psycopg

        return psycopg.connect(PG_ADMIN_DSN, autocommit=True)
    except Exception as exc:  # noqa: BLE001 - any failure means "no PostgreSQL here"
        pytest.skip(f"PostgreSQL not reachable at {PG_HOST}:5432 ({exc.__class__.__name__}: {exc})")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked postgresql_only run on PostgreSQL alone: their SQLite variant is not
    collected at all (deselected, never a skip: SQLite cannot show what they test)."""
    keep, drop = [], []
    for item in items:
        callspec = getattr(item, "callspec", None)
        backend = callspec.params.get("database_url") if callspec is not None else None
        sqlite_variant = backend == "sqlite"
        (drop if sqlite_variant and item.get_closest_marker("postgresql_only") else keep).append(
            item
        )
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A migrated, empty throwaway database for the whole run, one per backend."""
    from workshop.migrations import upgrade

    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
        upgrade(url)
        yield url
        return
    admin = _postgres_or_skip()
    name = f"atelier_test_{uuid.uuid4().hex[:12]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    url = f"postgresql+psycopg://postgres@{PG_HOST}:5432/{name}"
    try:
        upgrade(url)
        yield url
    finally:
        from workshop.db import make_engine

        make_engine(url).dispose()
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.fixture(scope="session")
def _app_per_backend(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Any:
    from workshop import create_app
    from workshop.settings import WorkshopSettings

    settings = WorkshopSettings(
        env="testing",
        database_url=database_url,
        instance_path=tmp_path_factory.mktemp("instance"),
        secret_key="test-secret-" + uuid.uuid4().hex,
        public_base_url="http://atelier.test",
    )
    return create_app(settings)


def _empty_tables(engine: Any) -> None:
    import workshop.models  # noqa: F401

    tables = [t.name for t in SQLModel.metadata.sorted_tables]
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            quoted = ", ".join(f'"{t}"' for t in tables)
            conn.execute(text(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(tables):
                conn.execute(text(f'DELETE FROM "{table}"'))
        conn.execute(
            text(
                "INSERT INTO event_chain_head (id, seq, last_hash, frontier) VALUES (1, 0, :h, '[]')"
            ),
            {"h": "0" * 64},
        )


def _forget_checkpoints(instance_path: Path) -> None:
    # The checkpoints of the previous test's log would contradict the emptied tables.
    from workshop.services.checkpoints import checkpoint_file

    checkpoint_file(instance_path).path.unlink(missing_ok=True)


@pytest.fixture
def app(_app_per_backend: Any) -> Iterator[Any]:
    """The app on empty tables; settings changed by a test are restored after it."""
    from workshop.db import get_engine

    engine = get_engine(_app_per_backend)
    _empty_tables(engine)
    settings = _app_per_backend.config["WORKSHOP"]
    _forget_checkpoints(settings.instance_path)
    saved = settings.model_dump()
    yield _app_per_backend
    for key, value in saved.items():
        setattr(settings, key, value)


@pytest.fixture
def engine(app: Any) -> Any:
    from workshop.db import get_engine

    return get_engine(app)


@pytest.fixture
def db(engine: Any) -> Iterator[Session]:
    """A session for arranging and checking data; commit what you arrange.

    Its transactions begin deferred, so a test reading data never holds SQLite's write lock
    while the app under test writes."""
    from workshop.db import DEFERRED_BEGIN_OPTION

    bind = engine.execution_options(**{DEFERRED_BEGIN_OPTION: True})
    with Session(bind, expire_on_commit=False) as session:
        yield session


CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


class WebClient:
    """A test client that knows how to log in and post forms with their CSRF token."""

    def __init__(self, client: Any) -> None:
        self.client = client

    def csrf(self, page: str = "/login") -> str:
        html = self.client.get(page).get_data(as_text=True)
        match = CSRF_RE.search(html)
        assert match, f"no CSRF token on {page}"
        return match.group(1) or match.group(2)

    def login(self, email: str, password: str) -> Any:
        token = self.csrf("/login")
        return self.client.post(
            "/login", data={"email": email, "password": password, "csrf_token": token}
        )

    def post_form(self, url: str, data: dict[str, Any], page: str | None = None) -> Any:
        return self.client.post(url, data={**data, "csrf_token": self.csrf(page or url)})

    def __getattr__(self, name: str) -> Any:
        return getattr(self.client, name)


PASSWORD = "correct horse battery"


@pytest.fixture
def make_org(db: Session) -> Callable[..., Any]:
    """Create an organisation: make_org(kind, name=None)."""
    from workshop.models import OrganisationKind
    from workshop.services.actors import SYSTEM
    from workshop.services.organisations import create_organisation

    def make(kind: str = "collectivite", name: str | None = None) -> Any:
        org = create_organisation(
            db, SYSTEM, kind=OrganisationKind(kind), name=name or f"{kind} {uuid.uuid4().hex[:6]}"
        )
        db.commit()
        return org

    return make


@pytest.fixture
def make_user(db: Session, make_org: Callable[..., Any]) -> Callable[..., Any]:
    """Create a user of a role (with a fitting organisation unless given)."""
    from workshop.models import Role
    from workshop.services.accounts import ROLE_ORGANISATION_KIND, create_user
    from workshop.services.actors import SYSTEM

    def make(role: str, org: Any = None, email: str | None = None) -> Any:
        role_enum = Role(role)
        org = org or make_org(ROLE_ORGANISATION_KIND[role_enum].value)
        user = create_user(
            db,
            SYSTEM,
            email=email or f"{role}-{uuid.uuid4().hex[:6]}@example.org",
            full_name=f"Test {role}",
            password=PASSWORD,
            role=role_enum,
            organisation_id=org.id,
        )
        db.commit()
        return user

    return make


@pytest.fixture
def make_bench(db: Session) -> Callable[..., tuple[Any, str]]:
    """Create a bench; returns (bench, token)."""
    from workshop.services.actors import SYSTEM
    from workshop.services.organisations import create_bench

    def make(name: str | None = None) -> tuple[Any, str]:
        bench, token = create_bench(db, SYSTEM, name=name or f"bench {uuid.uuid4().hex[:6]}")
        db.commit()
        return bench, token

    return make


@pytest.fixture
def make_donation(db: Session, make_org: Callable[..., Any]) -> Callable[..., Any]:
    """Create a donation with `count` laptops (or given item lines) for a donor."""
    from datetime import date

    from workshop.models import DeviceType
    from workshop.services.actors import SYSTEM
    from workshop.services.donations import ItemLine, create_donation

    def make(donor: Any = None, count: int = 2, items: list[Any] | None = None) -> Any:
        donor = donor or make_org("collectivite")
        donation = create_donation(
            db,
            SYSTEM,
            donor_id=donor.id,
            received_on=date(2026, 11, 2),
            place="Mairie",
            items=items or [ItemLine(type=DeviceType.LAPTOP, count=count)],
        )
        db.commit()
        return donation

    return make


@pytest.fixture
def make_device(db: Session, make_donation: Callable[..., Any]) -> Callable[..., Any]:
    """A device walked through the lifecycle up to `status`."""
    from workshop.demo import PATHS
    from workshop.models import Device, DeviceStatus
    from workshop.services.actors import SYSTEM
    from workshop.services.devices import transition_device

    def make(status: str = "received", donation: Any = None, type: str = "laptop") -> Device:
        from workshop.models import DeviceType
        from workshop.services.donations import ItemLine

        donation = donation or make_donation(items=[ItemLine(type=DeviceType(type))])
        from workshop.services.donations import donation_devices

        device = donation_devices(db, donation)[-1]
        for step in PATHS[DeviceStatus(status)]:
            transition_device(db, SYSTEM, device, step)
        db.commit()
        return device

    return make


@pytest.fixture
def web(app: Any) -> WebClient:
    """A browser-like test client (cookies, CSRF tokens)."""
    return WebClient(app.test_client())


@pytest.fixture
def api(app: Any) -> Callable[..., Any]:
    """Call the API: api(method, path, token=None, json=None, data=None)."""
    client = app.test_client()

    def call(method: str, path: str, token: str | None = None, **kwargs: Any) -> Any:
        headers = kwargs.pop("headers", {})
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return client.open(path, method=method, headers=headers, **kwargs)

    return call


@pytest.fixture
def artifacts_dir() -> Path:
    """Where tests leave screenshots and rendered pages for people to look at."""
    path = Path(__file__).resolve().parent.parent / "test-artifacts"
    path.mkdir(exist_ok=True)
    return path


def build_snapshot(
    serial: str | None = "PF0QMY5N",
    uuid: str | None = "4c4c4544-0042-3510-8052-b4c04f4e3232",
    vendor: str = "LENOVO",
    product: str = "20HRCTO1WW",
    chassis: str = "Notebook",
    disks: list[tuple[str, int]] | None = None,
    memory: list[tuple[str, int]] | None = None,
) -> dict[str, Any]:
    """A valid inventory snapshot (schema 1.x) of a laptop; identity and parts chosen by the test."""

    def ident(value: str | None) -> dict[str, Any]:
        from atelier_protocol.identity import is_placeholder

        return {"value": value, "placeholder": value is None or is_placeholder(value)}

    disks = [("S3Z9NB0K123456", 500_107_862_016)] if disks is None else disks
    memory = [("25477B84", 8 * 1024**3)] if memory is None else memory
    return {
        "schema_version": "1.0",
        "kind": "inventory",
        "collected_at": "2026-11-20T09:30:00+00:00",
        "agent_version": "0.1.0",
        "hostname": "live",
        "system": {
            "vendor": vendor,
            "product": product,
            "version": "ThinkPad X1 Carbon 5th",
            "serial": ident(serial),
            "uuid": ident(uuid),
            "board": {"vendor": vendor, "product": product, "serial": ident("L3HF74S00AB")},
            "chassis": {"vendor": vendor, "type": chassis, "serial": ident(serial)},
            "bios": {"vendor": "LENOVO", "version": "N1MET31W (1.16 )", "date": "05/23/2017"},
        },
        "cpu": {
            "model": "Intel(R) Core(TM) i7-7600U CPU @ 2.80GHz",
            "vendor": "GenuineIntel",
            "cores": 2,
            "threads": 4,
            "max_mhz": 3900,
        },
        "memory": {
            "total_bytes": sum(size for _, size in memory) or 1,
            "modules": [
                {
                    "locator": f"ChannelA-DIMM{i}",
                    "size_bytes": size,
                    "type": "LPDDR3",
                    "serial": ident(sn),
                }
                for i, (sn, size) in enumerate(memory)
            ],
        },
        "disks": [
            {
                "name": f"nvme{i}n1",
                "path": f"/dev/nvme{i}n1",
                "model": "SAMSUNG MZVLW1T0",
                "serial": ident(sn),
                "wwn": None,
                "size_bytes": size,
                "logical_sector_size": 512,
                "physical_sector_size": 512,
                "rotational": False,
                "transport": "nvme",
                "removable": False,
            }
            for i, (sn, size) in enumerate(disks)
        ],
        "batteries": [
            {
                "name": "BAT0",
                "manufacturer": "LGC",
                "model": "01AV429",
                "serial": ident("0431"),
                "design_capacity": 57000,
                "full_capacity": 45600,
                "capacity_unit": "mWh",
                "wear_percent": 20.0,
                "cycle_count": 311,
            }
        ],
        "network": [{"name": "enp0s31f6", "mac": "54:e1:ad:12:34:56", "kind": "wired"}],
        "gpus": [
            {
                "pci_address": "0000:00:02.0",
                "class_id": "0x030000",
                "vendor_id": "8086",
                "device_id": "5916",
                "vendor_name": "Intel Corporation",
                "device_name": "HD Graphics 620",
            }
        ],
    }


@pytest.fixture
def snapshot() -> Callable[..., dict[str, Any]]:
    """Build a valid inventory snapshot payload: snapshot(serial=..., disks=[(sn, size)])."""
    return build_snapshot
