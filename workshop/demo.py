"""A realistic demo dataset: the workshop, 3 collectivités, 2 associations, ~60 devices.

Every device walks the real lifecycle through the services, so its events and
the hash chain are exactly what production would write.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

from sqlmodel import Session, func, select

from workshop.demo_benches import load_bench_demo
from workshop.demo_reservations import load_reservations_demo
from workshop.models import (
    Component,
    ComponentKind,
    Device,
    DeviceStatus,
    DeviceType,
    Event,
    Grade,
    Organisation,
    OrganisationKind,
    Role,
)
from workshop.models.base import story_clock
from workshop.models.devices import DATA_BEARING_TYPES
from workshop.services import accounts, donations, organisations
from workshop.services.actors import SYSTEM, Actor
from workshop.services.canonical import canonical_json
from workshop.services.devices import transition_device
from workshop.services.documents.demo import after_demo_wipe, recycle_demo_device, send_demo_wipe
from workshop.services.printing import create_printer

DEMO_PASSWORD = "atelier-demo"
S = DeviceStatus

ORGANISATIONS = [
    (OrganisationKind.WORKSHOP, "Atelier Réemploi Armor (SCIC)", "Saint-Brieuc", "22000"),
    (OrganisationKind.COLLECTIVITE, "Mairie de Lamballe-Armor", "Lamballe-Armor", "22400"),
    (OrganisationKind.COLLECTIVITE, "Saint-Brieuc Armor Agglomération", "Saint-Brieuc", "22000"),
    (OrganisationKind.COLLECTIVITE, "Mairie de Paimpol", "Paimpol", "22500"),
    (OrganisationKind.ASSOCIATION, "Numérique Solidaire du Trégor", "Lannion", "22300"),
    (OrganisationKind.ASSOCIATION, "Les Clés du Goëlo", "Binic-Étables-sur-Mer", "22680"),
]

# (email, role, full name, organisation)
DEMO_USERS = [
    ("coordination@atelier.demo", "coordinator", "Morgane Le Gall", ORGANISATIONS[0][1]),
    ("technicien@atelier.demo", "technician", "Yann Kerambrun", ORGANISATIONS[0][1]),
    ("dsi@lamballe.demo", "donor", "Service informatique Lamballe", ORGANISATIONS[1][1]),
    ("numerique@sbaa.demo", "donor", "Direction du numérique SBAA", ORGANISATIONS[2][1]),
    (
        "contact@trégor-solidaire.demo".replace("é", "e"),
        "association",
        "Accueil NST",
        ORGANISATIONS[4][1],
    ),
    ("benevoles@cles-goelo.demo", "association", "Bénévoles Clés du Goëlo", ORGANISATIONS[5][1]),
]

# (type, vendor, model, cpu, ram GB, disk GB, disk kind, typical weight kg)
CATALOGUE = [
    (DeviceType.LAPTOP, "Lenovo", "ThinkPad T470", "Intel Core i5-6300U", 8, 256, "ssd", 1.6),
    (DeviceType.LAPTOP, "Dell", "Latitude E7450", "Intel Core i5-5300U", 8, 256, "ssd", 1.6),
    (DeviceType.LAPTOP, "HP", "EliteBook 840 G3", "Intel Core i5-6200U", 8, 500, "hdd", 1.5),
    (DeviceType.DESKTOP, "HP", "ProDesk 600 G2 SFF", "Intel Core i5-6500", 8, 500, "hdd", 5.9),
    (DeviceType.DESKTOP, "Dell", "OptiPlex 7040 SFF", "Intel Core i5-6500", 8, 256, "ssd", 5.4),
    (DeviceType.DESKTOP, "Lenovo", "ThinkCentre M710q", "Intel Core i3-7100T", 4, 128, "ssd", 1.3),
    (DeviceType.SCREEN, "Dell", "P2217H", None, None, None, None, 4.2),
    (DeviceType.SCREEN, "HP", "EliteDisplay E243", None, None, None, None, 5.1),
    (DeviceType.TABLET, "Samsung", "Galaxy Tab A 10.1", "Exynos 7870", 2, 32, "emmc", 0.5),
]

# Path from received to each target state, for data-bearing devices.
PATHS = {
    S.RECEIVED: [],
    S.INVENTORIED: [S.INVENTORIED],
    S.TESTED: [S.INVENTORIED, S.TESTED],
    S.WIPED: [S.INVENTORIED, S.TESTED, S.WIPED],
    S.WIPE_FAILED: [S.INVENTORIED, S.TESTED, S.WIPE_FAILED],
    S.GRADED: [S.INVENTORIED, S.TESTED, S.WIPED, S.GRADED],
    S.REFURBISHED: [S.INVENTORIED, S.TESTED, S.WIPED, S.GRADED, S.REFURBISHED],
    S.AVAILABLE: [S.INVENTORIED, S.TESTED, S.WIPED, S.GRADED, S.REFURBISHED, S.AVAILABLE],
    S.RESERVED: [S.INVENTORIED, S.TESTED, S.WIPED, S.GRADED, S.AVAILABLE, S.RESERVED],
    S.HANDED_OVER: [
        S.INVENTORIED,
        S.TESTED,
        S.WIPED,
        S.GRADED,
        S.AVAILABLE,
        S.RESERVED,
        S.HANDED_OVER,
    ],
    S.PARTS: [S.INVENTORIED, S.TESTED, S.PARTS],
    S.RECYCLED: [S.INVENTORIED, S.TESTED, S.WIPE_FAILED, S.RECYCLED],
}
# How many devices end in each state (62 in all).
# The first demo donation; the next ones three weeks apart.
FIRST_DONATION = date(2026, 9, 1)

TARGETS = {
    S.RECEIVED: 6,
    S.INVENTORIED: 5,
    S.TESTED: 5,
    S.WIPED: 5,
    S.WIPE_FAILED: 3,
    S.GRADED: 5,
    S.REFURBISHED: 4,
    S.AVAILABLE: 10,
    S.RESERVED: 4,
    S.HANDED_OVER: 8,
    S.PARTS: 3,
    S.RECYCLED: 4,
}
BENCH_STEPS = {S.INVENTORIED, S.TESTED, S.WIPED, S.WIPE_FAILED}


def database_is_empty(session: Session) -> bool:
    """True when no organisation exists yet."""
    return session.exec(select(func.count()).select_from(Organisation)).one() == 0


def _serial(rng: random.Random, prefix: str) -> str:
    return prefix + "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ0123456789") for _ in range(7))


def _add_components(session: Session, rng: random.Random, device: Device, spec: tuple) -> None:  # type: ignore[type-arg]
    _type, _vendor, _model, cpu, ram, disk, disk_kind, _weight = spec
    if cpu is None:
        return
    assert device.id is not None
    parts = [
        Component(device_id=device.id, kind=ComponentKind.CPU, model=cpu),
        Component(
            device_id=device.id,
            kind=ComponentKind.MEMORY,
            vendor="SK hynix",
            serial=_serial(rng, "H"),
            capacity_bytes=ram * 1024**3,
            details=canonical_json({"type": "DDR4", "speed_mts": 2133}),
        ),
        Component(
            device_id=device.id,
            kind=ComponentKind.DISK,
            vendor="Samsung" if disk_kind == "ssd" else "Seagate",
            model="PM871b" if disk_kind == "ssd" else "ST500LM021",
            serial=_serial(rng, "S"),
            capacity_bytes=disk * 1000**3,
            details=canonical_json({"kind": disk_kind}),
        ),
        Component(
            device_id=device.id,
            kind=ComponentKind.NETWORK,
            vendor="Intel",
            model="Ethernet I219-LM",
            details=canonical_json(
                {"mac": "00:1b:21:" + ":".join(f"{rng.randrange(256):02x}" for _ in range(3))}
            ),
        ),
    ]
    if device.type == DeviceType.LAPTOP:
        parts.append(
            Component(
                device_id=device.id,
                kind=ComponentKind.BATTERY,
                vendor="LGC",
                serial=_serial(rng, "B"),
                details=canonical_json({"wear_percent": rng.randrange(8, 45)}),
            )
        )
    session.add_all(parts)


class StoryClock:
    """The demo's clock: each step of a device's life a little later than the one before, each
    donation from the morning it arrived, so histories read in the order things happen."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, rng: random.Random) -> None:
        self.now += timedelta(minutes=rng.randint(20, 180))

    def from_morning_of(self, day: date) -> None:
        morning = datetime.combine(day, time(8, 30), UTC)
        self.now = max(self.now, morning)


def _walk(
    session: Session,
    rng: random.Random,
    clock: StoryClock,
    device: Device,
    target: DeviceStatus,
    staff: Actor,
    bench: Actor,
    recipients: list[Organisation],
) -> None:
    path = list(PATHS[target])
    if device.type == DeviceType.SCREEN and S.WIPED in path:
        path.remove(S.WIPED)
    if device.type == DeviceType.SCREEN and S.WIPE_FAILED in path:
        path = [S.INVENTORIED, S.TESTED, S.RECYCLED]
    for step in path:
        clock.advance(rng)
        if step == S.GRADED:
            device.grade = rng.choice([Grade.A, Grade.A, Grade.B, Grade.C])
        if step == S.HANDED_OVER:
            device.recipient_id = rng.choice(recipients).id
        if step in (S.WIPED, S.WIPE_FAILED) and device.type in DATA_BEARING_TYPES:
            # The bench's wipe record moves the device, as at a real bench.
            send_demo_wipe(session, bench, device, passed=step == S.WIPED)
            assert device.status == step, (device.asset_tag, device.status, step)
            clock.advance(rng)
            after_demo_wipe(session, staff, device, target)
            continue
        if step == S.RECYCLED:
            recycle_demo_device(session, staff, device)  # the exit moves it to recycled
            continue
        actor = bench if step in BENCH_STEPS else staff
        reason = "disque : secteurs illisibles" if step == S.WIPE_FAILED else ""
        transition_device(session, actor, device, step, reason=reason)


def load_demo(session: Session, *, seed: int = 2026) -> str:
    """Load the dataset; returns a one-line summary."""
    rng = random.Random(seed)
    orgs = {
        name: organisations.create_organisation(
            session,
            SYSTEM,
            kind=kind,
            name=name,
            city=city,
            postal_code=postal,
            public_name_allowed=kind == OrganisationKind.COLLECTIVITE,
        )
        for kind, name, city, postal in ORGANISATIONS
    }
    users = {}
    for email, role, name, org_name in DEMO_USERS:
        org_id = orgs[org_name].id
        assert org_id is not None
        users[role] = accounts.create_user(
            session,
            SYSTEM,
            email=email,
            full_name=name,
            password=DEMO_PASSWORD,
            role=Role(role),
            organisation_id=org_id,
        )
    bench, _token = organisations.create_bench(
        session, SYSTEM, name="Établi 1", location="Atelier, rangée A"
    )
    staff, bench_actor = Actor(user=users["coordinator"]), Actor(bench=bench)
    targets = [state for state, n in TARGETS.items() for _ in range(n)]
    rng.shuffle(targets)
    donors = [o for o in orgs.values() if o.kind == OrganisationKind.COLLECTIVITE]
    recipients = [o for o in orgs.values() if o.kind == OrganisationKind.ASSOCIATION]
    per_donation = [len(targets) // 3 + (1 if i < len(targets) % 3 else 0) for i in range(3)]
    start = 0
    clock = StoryClock(datetime.combine(FIRST_DONATION, time(8, 0), UTC))
    with story_clock(clock):  # the past months of the workshop; the rest happens now
        for index, (donor, size) in enumerate(zip(donors, per_donation, strict=True)):
            chosen = targets[start : start + size]
            start += size
            clock.from_morning_of(FIRST_DONATION + timedelta(days=21 * index))
            _demo_donation(session, rng, clock, staff, bench_actor, donor, recipients, chosen)
    load_reservations_demo(session)
    load_bench_demo(session, bench, staff)
    # A label printer on the bench: its jobs wait for the bench's agent (`bench-agent run`).
    create_printer(
        session,
        SYSTEM,
        name="Imprimante établi 1",
        uri="usb://0416:5011",
        profile="pos-5890",
        media="58mm",
        bench_id=bench.id,
    )
    devices = session.exec(select(func.count()).select_from(Device)).one()
    events = session.exec(select(func.count()).select_from(Event)).one()
    return f"{len(orgs)} organisations, {devices} devices, {events} events"


def _demo_donation(
    session: Session,
    rng: random.Random,
    clock: StoryClock,
    staff: Actor,
    bench: Actor,
    donor: Organisation,
    recipients: list[Organisation],
    chosen: list[DeviceStatus],
) -> None:
    specs = [rng.choice(CATALOGUE) for _ in chosen]
    assert donor.id is not None
    donation = donations.create_donation(
        session,
        staff,
        donor_id=donor.id,
        received_on=clock().date(),
        place=f"Services techniques, {donor.city}",
        notes="Lot collecté par le camion de l'atelier.",
        items=[
            donations.ItemLine(
                type=spec[0],
                vendor=spec[1],
                model=spec[2],
                serials=[_serial(rng, spec[1][:2].upper())],
            )
            for spec in specs
        ],
    )
    devices = donations.donation_devices(session, donation)
    for device, spec, target in zip(devices, specs, chosen, strict=True):
        device.weight_kg = spec[7]
        if spec[0] == DeviceType.DESKTOP and rng.random() < 0.2:
            device.serial, device.serial_placeholder = "To be filled by O.E.M.", True
        _add_components(session, rng, device, spec)
        _walk(session, rng, clock, device, target, staff, bench, recipients)
