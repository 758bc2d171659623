"""API for bench agents: enrollment, idempotent records, the disks a bench sees."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from workshop.api import bp
from workshop.api.registry import operation
from workshop.api.schemas import (
    BenchOut,
    BindIn,
    DisksIn,
    DisksOut,
    EnrollIn,
    EnrollOut,
    RecordIn,
    RecordOut,
    RecordSummary,
    SiteEnrollIn,
)
from workshop.models import BenchRecord
from workshop.services import (
    bench_records,
    bench_tasks,
    diagnostics,
    enrollment,
    inventory,
    printing,
)
from workshop.services import organisations as org_service
from workshop.services.actors import Actor
from workshop.web.public_url import public_base_url

assert inventory.HANDLERS and printing.HANDLERS and diagnostics.HANDLERS  # register kinds
assert bench_tasks.KIND in bench_records.HANDLERS


@operation(
    bp,
    "/enroll",
    "POST",
    summary="Trade a one-time enrollment code for a bench token",
    body=EnrollIn,
    response=EnrollOut,
    public=True,
    status=201,
)
def enroll(session: Session, body: EnrollIn) -> EnrollOut:
    """A new bench presents the code a coordinator gave; it gets its token (shown once)."""
    bench, token = enrollment.enroll_bench(
        session, code=body.code, hostname=body.hostname, agent_version=body.agent_version
    )
    assert bench.id is not None
    return EnrollOut(bench_id=bench.id, bench_name=bench.name, token=token)


@operation(
    bp,
    "/enroll/site",
    "POST",
    summary="Trade a site's enrolment secret for a token of a new bench session",
    body=SiteEnrollIn,
    response=EnrollOut,
    public=True,
    status=201,
)
def enroll_site(session: Session, body: SiteEnrollIn) -> EnrollOut:
    """A PC booted from the bench image enrols itself as its own bench session of the site."""
    bench, token = enrollment.enroll_with_site_secret(
        session, secret=body.secret, hostname=body.hostname, agent_version=body.agent_version
    )
    assert bench.id is not None
    return EnrollOut(
        bench_id=bench.id, bench_name=bench.name, token=token, public_url=public_base_url()
    )


@operation(
    bp,
    "/bench/records",
    "POST",
    summary="Send a record (idempotent by its key)",
    body=RecordIn,
    response=RecordOut,
    status=201,
)
def send_record(session: Session, actor: Actor, body: RecordIn) -> Any:
    """201 the first time, 200 with the same result when the key is replayed."""
    extra = {"asset_tag": body.asset_tag} if body.asset_tag else {}
    outcome = bench_records.receive_record(
        session,
        actor,
        key=body.idempotency_key,
        kind=body.kind,
        payload=body.payload,
        extra=extra,
    )
    out = RecordOut(
        status="duplicate" if outcome.duplicate else "created",
        kind=body.kind,
        result=outcome.result,
    )
    return out, 200 if outcome.duplicate else 201


@operation(
    bp,
    "/bench/disks",
    "PUT",
    summary="The disks the bench sees now",
    body=DisksIn,
    response=DisksOut,
)
def put_disks(session: Session, actor: Actor, body: DisksIn) -> DisksOut:
    """Replace the bench's set of disks (sent at start and on every hotplug)."""
    # Each disk says which reasons the bench protects it for (system disk, mounted, its policy).
    disks = [disk.model_dump(mode="json") for disk in body.disks]
    org_service.record_disks(session, actor, disks=disks, observed_at=body.observed_at)
    return DisksOut(count=len(disks))


@operation(
    bp,
    "/benches/<int:bench_id>/records",
    "GET",
    summary="Records a bench sent",
    response=RecordSummary,
    many=True,
)
def list_records(session: Session, actor: Actor, bench_id: int) -> list[RecordSummary]:
    """Newest first (staff, or the bench itself)."""
    org_service.get_bench(session, actor, bench_id)
    rows = session.exec(
        select(BenchRecord)
        .where(BenchRecord.bench_id == bench_id)
        .order_by(col(BenchRecord.id).desc())
        .limit(1000)
    )
    return [RecordSummary.model_validate(r) for r in rows]


@operation(
    bp,
    "/records/<int:record_id>/binding",
    "POST",
    summary="Bind a waiting snapshot or diagnostic to an asset tag",
    body=BindIn,
    response=RecordOut,
)
def bind(session: Session, actor: Actor, record_id: int, body: BindIn) -> RecordOut:
    """A technician resolves an ambiguous or unidentified snapshot, or a diagnostic no device
    matched."""
    record, result = bench_records.bind_record(session, actor, record_id, body.asset_tag)
    return RecordOut(status="bound", kind=record.kind, result=result)


__all__ = ["BenchOut"]
