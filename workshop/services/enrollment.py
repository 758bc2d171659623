"""Bench enrollment: a coordinator issues a one-time code, the bench agent trades it for a token."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlmodel import Session, select

from workshop.errors import WorkshopError
from workshop.i18n import _
from workshop.models import Bench, EnrollmentCode
from workshop.models.base import utcnow
from workshop.services.accounts import issue_token
from workshop.services.actors import Actor, require_coordinator
from workshop.services.asset_tags import ALPHABET

CODE_LENGTH = 8
CODE_LIFETIME = timedelta(hours=24)


class InvalidEnrollmentCode(WorkshopError):
    code = "invalid_enrollment_code"
    status = 403


def _digest(code: str) -> str:
    cleaned = "".join(c for c in code.upper() if c.isalnum())
    return hashlib.sha256(cleaned.encode()).hexdigest()


def create_enrollment_code(
    session: Session, actor: Actor, *, bench_name: str | None = None
) -> tuple[EnrollmentCode, str]:
    """A new one-time code (returned in clear once, shown as ABCD-EFGH), valid 24 hours."""
    require_coordinator(actor)
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    code = EnrollmentCode(
        code_hash=_digest(raw),
        bench_name=(bench_name or "").strip() or None,
        created_by_id=actor.user.id if actor.user else None,
        expires_at=utcnow() + CODE_LIFETIME,
    )
    session.add(code)
    session.flush()
    return code, f"{raw[:4]}-{raw[4:]}"


def _unique_bench_name(session: Session, wanted: str) -> str:
    name, n = wanted, 2
    while session.exec(select(Bench.id).where(Bench.name == name)).first() is not None:
        name, n = f"{wanted} ({n})", n + 1
    return name


def enroll_bench(
    session: Session, *, code: str, hostname: str | None, agent_version: str | None
) -> tuple[Bench, str]:
    """Trade a valid unused code for a new bench and its token (the code is then spent)."""
    row = session.exec(
        select(EnrollmentCode).where(EnrollmentCode.code_hash == _digest(code))
    ).first()
    if row is None or row.used_at is not None or row.expires_at < utcnow():
        raise InvalidEnrollmentCode(
            _("This enrollment code is unknown, already used or expired."), field="code"
        )
    name = _unique_bench_name(session, row.bench_name or hostname or "Établi")
    bench = Bench(name=name, agent_version=agent_version, last_seen_at=utcnow())
    session.add(bench)
    session.flush()
    row.used_at, row.bench_id = utcnow(), bench.id
    return bench, issue_token(session, bench=bench, label=f"enrolled bench {name}")
