"""API: organisations, benches and the bench heartbeat."""

from __future__ import annotations

from sqlmodel import Session

from workshop.api import bp
from workshop.api.registry import operation
from workshop.api.schemas import BenchOut, HeartbeatIn, MeOut, OrganisationOut, OrganisationQuery
from workshop.services import organisations as org_service
from workshop.services.actors import Actor


@operation(bp, "/me", "GET", summary="Who the token belongs to", response=MeOut)
def me(session: Session, actor: Actor) -> MeOut:
    """The caller: a user's role and organisation, or a bench."""
    return MeOut(
        kind="bench" if actor.bench else "user",
        role=actor.role.value if actor.role else None,
        organisation_id=actor.organisation_id,
        bench_id=actor.bench.id if actor.bench else None,
    )


@operation(
    bp,
    "/organisations",
    "GET",
    summary="List organisations",
    query=OrganisationQuery,
    response=OrganisationOut,
    many=True,
)
def list_organisations(
    session: Session, actor: Actor, query: OrganisationQuery
) -> list[OrganisationOut]:
    """Organisations (workshop staff only)."""
    return [
        OrganisationOut.model_validate(o)
        for o in org_service.list_organisations(session, actor, query.kind)
    ]


@operation(bp, "/benches", "GET", summary="List benches", response=BenchOut, many=True)
def list_benches(session: Session, actor: Actor) -> list[BenchOut]:
    """Every bench (workshop staff only)."""
    return [BenchOut.of(b) for b in org_service.list_benches(session, actor)]


@operation(bp, "/benches/<int:bench_id>", "GET", summary="One bench", response=BenchOut)
def get_bench(session: Session, actor: Actor, bench_id: int) -> BenchOut:
    """A bench; a bench token sees only itself."""
    return BenchOut.of(org_service.get_bench(session, actor, bench_id))


@operation(
    bp,
    "/bench/heartbeat",
    "POST",
    summary="A bench says it is alive",
    body=HeartbeatIn,
    response=BenchOut,
)
def heartbeat(session: Session, actor: Actor, body: HeartbeatIn) -> BenchOut:
    """Record that the calling bench is alive (bench tokens only)."""
    return BenchOut.of(
        org_service.record_heartbeat(session, actor, agent_version=body.agent_version)
    )
