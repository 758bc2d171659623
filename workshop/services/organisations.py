"""Organisations and benches: the parties the workshop deals with."""

from __future__ import annotations

import json
from datetime import datetime

from sqlmodel import Session, col, select

from workshop.errors import Conflict, Forbidden, NotFound
from workshop.i18n import _
from workshop.models import Bench, Organisation, OrganisationKind
from workshop.models.base import utcnow
from workshop.services.accounts import issue_token
from workshop.services.actors import Actor, require_coordinator, require_staff


def create_organisation(
    session: Session,
    actor: Actor,
    *,
    kind: OrganisationKind,
    name: str,
    city: str | None = None,
    postal_code: str | None = None,
    public_name_allowed: bool = False,
) -> Organisation:
    """Register an organisation (unique name)."""
    require_coordinator(actor)
    name = name.strip()
    if session.exec(select(Organisation).where(Organisation.name == name)).first():
        raise Conflict(_("An organisation named %(name)s already exists.", name=name), field="name")
    organisation = Organisation(
        kind=kind,
        name=name,
        city=city,
        postal_code=postal_code,
        public_name_allowed=public_name_allowed,
    )
    session.add(organisation)
    session.flush()
    return organisation


def list_organisations(
    session: Session, actor: Actor, kind: OrganisationKind | None = None
) -> list[Organisation]:
    """Organisations, by name (staff only)."""
    require_staff(actor)
    query = select(Organisation).order_by(col(Organisation.name))
    if kind:
        query = query.where(Organisation.kind == kind)
    return list(session.exec(query))


def create_bench(
    session: Session, actor: Actor, *, name: str, location: str = ""
) -> tuple[Bench, str]:
    """Register a bench and issue its token (returned once, stored hashed)."""
    require_coordinator(actor)
    name = name.strip()
    if session.exec(select(Bench).where(Bench.name == name)).first():
        raise Conflict(_("A bench named %(name)s already exists.", name=name), field="name")
    bench = Bench(name=name, location=location.strip() or None)
    session.add(bench)
    session.flush()
    return bench, issue_token(session, bench=bench, label=f"bench {name}")


def get_bench(session: Session, actor: Actor, bench_id: int) -> Bench:
    """A bench: staff see all of them, a bench only itself."""
    if actor.bench is not None:
        if actor.bench.id != bench_id:
            raise Forbidden(_("A bench token acts only as its own bench."))
    else:
        require_staff(actor)
    bench = session.get(Bench, bench_id)
    if bench is None:
        raise NotFound(_("No bench with id %(id)s.", id=bench_id), field="bench_id")
    return bench


def list_benches(session: Session, actor: Actor) -> list[Bench]:
    """Every bench, by name (staff only)."""
    require_staff(actor)
    return list(session.exec(select(Bench).order_by(col(Bench.name))))


def record_heartbeat(session: Session, actor: Actor, *, agent_version: str | None) -> Bench:
    """A bench says it is alive."""
    if actor.bench is None:
        raise Forbidden(_("Only a bench sends heartbeats."))
    bench = actor.bench
    bench.last_seen_at = utcnow()
    if agent_version:
        bench.agent_version = agent_version
    session.add(bench)
    session.flush()
    return bench


def record_disks(
    session: Session, actor: Actor, *, disks: list[dict[str, object]], observed_at: datetime
) -> Bench:
    """The set of disks a bench sees now (replaces the previous set; sent on every hotplug)."""
    if actor.bench is None:
        raise Forbidden(_("Only a bench reports its disks."))
    bench = actor.bench
    bench.disks = json.dumps(disks, ensure_ascii=False)
    bench.disks_observed_at = observed_at
    bench.last_seen_at = utcnow()
    session.add(bench)
    session.flush()
    return bench
