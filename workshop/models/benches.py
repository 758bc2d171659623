"""Reconditioning benches (each runs a bench agent)."""

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from workshop.models.base import utcnow


class Bench(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100, unique=True)
    location: str | None = Field(default=None, max_length=200)
    active: bool = Field(default=True)
    agent_version: str | None = Field(default=None, max_length=50)
    created_at: datetime = Field(default_factory=utcnow)
    last_seen_at: datetime | None = None
    # The disks the bench sees now (JSON list sent by its agent on hotplug).
    disks: str = Field(default="[]", sa_type=sa.Text)
    disks_observed_at: datetime | None = None
    # Set for a PC booted from the bench image: it enrolled itself with its site's secret.
    site_secret_id: int | None = Field(default=None, foreign_key="site_secret.id", index=True)


class SiteSecret(SQLModel, table=True):
    """A reusable enrolment secret of one workshop site, carried by its bench image.

    Every PC booted from that image enrols with it as its own bench session of the site.
    Only the hash is stored; revoking it stops new enrolments, not the sessions made.
    """

    __tablename__ = "site_secret"

    id: int | None = Field(default=None, primary_key=True)
    site_name: str = Field(max_length=100, unique=True)
    secret_hash: str = Field(max_length=64, unique=True)
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)
    revoked_at: datetime | None = None


class EnrollmentCode(SQLModel, table=True):
    """A one-time code a coordinator gives to a new bench; only its hash is stored."""

    __tablename__ = "enrollment_code"

    id: int | None = Field(default=None, primary_key=True)
    code_hash: str = Field(max_length=64, unique=True)
    bench_name: str | None = Field(default=None, max_length=100)
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    used_at: datetime | None = None
    bench_id: int | None = Field(default=None, foreign_key="bench.id")


class BenchRecord(SQLModel, table=True):
    """A record a bench sent (inventory snapshot, wipe record...), kept with its idempotency key.

    A replayed key returns the stored result: a bench that resends after a crash or an
    outage never creates a duplicate.
    """

    __tablename__ = "bench_record"
    __table_args__ = (sa.UniqueConstraint("bench_id", "idempotency_key"),)

    id: int | None = Field(default=None, primary_key=True)
    bench_id: int = Field(foreign_key="bench.id", index=True)
    idempotency_key: str = Field(max_length=100)
    kind: str = Field(max_length=50, index=True)
    payload_hash: str = Field(max_length=64)
    payload: str = Field(sa_type=sa.Text)
    result: str = Field(default="{}", sa_type=sa.Text)
    device_id: int | None = Field(default=None, foreign_key="device.id", index=True)
    # For snapshots that could not be matched safely: waits for a technician to bind it.
    needs_binding: bool = Field(default=False, index=True)
    created_at: datetime = Field(default_factory=utcnow)


class BenchTask(SQLModel, table=True):
    """A wipe or diagnostic asked of a bench (from the UI, or started by the bench in dock mode).

    The disk is named as the technician confirmed it (name, serial, size); the bench
    refuses the task if the disk it sees under that name is another one. `progress`
    holds the latest report of a running task (JSON), `status` follows the bench's
    durable task.status records.
    """

    __tablename__ = "bench_task"

    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(max_length=64, unique=True)
    bench_id: int = Field(foreign_key="bench.id", index=True)
    kind: str = Field(max_length=20)
    origin: str = Field(default="web", max_length=20)
    status: str = Field(default="queued", max_length=32, index=True)
    disk_name: str = Field(max_length=64)
    disk_serial: str | None = Field(default=None, max_length=100)
    disk_model: str | None = Field(default=None, max_length=200)
    disk_size_bytes: int = Field(default=0, sa_type=sa.BigInteger)
    method: str = Field(default="auto", max_length=10)
    verify: str = Field(default="full", max_length=10)
    asset_tag: str | None = Field(default=None, max_length=20)
    device_id: int | None = Field(default=None, foreign_key="device.id", index=True)
    requested_by_id: int | None = Field(default=None, foreign_key="user.id")
    requested_by: str | None = Field(default=None, max_length=200)
    message: str | None = Field(default=None, max_length=1000)
    # The message as reason codes (JSON list of atelier_protocol.reasons.Message); [] from
    # agents before the codes, whose message is shown as sent (or by the old matching).
    reasons: str = Field(default="[]", sa_type=sa.Text, sa_column_kwargs={"server_default": "[]"})
    verdict: str | None = Field(default=None, max_length=40)
    wipe_uid: str | None = Field(default=None, max_length=100)
    progress: str = Field(default="{}", sa_type=sa.Text)
    progress_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)
    started_at: datetime | None = None
    finished_at: datetime | None = None
