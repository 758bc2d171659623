"""Bench enrollment: a coordinator issues a one-time code, the bench agent trades it for a token.

A site may also hold a reusable *site secret*, carried by its bench image (boot parameters):
each PC booted from that image trades it for a token of its own, as a new bench session of
the site, so nobody types a code on a donated PC.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlmodel import Session, col, select

from workshop.errors import NotFound, ValidationFailed, WorkshopError
from workshop.i18n import _
from workshop.models import Bench, EnrollmentCode, SiteSecret
from workshop.models.base import utcnow
from workshop.services.accounts import issue_token
from workshop.services.actors import Actor, require_coordinator
from workshop.services.asset_tags import ALPHABET

CODE_LENGTH = 8
CODE_LIFETIME = timedelta(hours=24)
# Reusable and sent to every booted PC, so long enough not to be guessed: 20 symbols, 100 bits.
SITE_SECRET_LENGTH = 20


class InvalidEnrollmentCode(WorkshopError):
    code = "invalid_enrollment_code"
    status = 403


class InvalidSiteSecret(WorkshopError):
    code = "invalid_site_secret"
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


def _grouped(raw: str) -> str:
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def create_site_secret(session: Session, actor: Actor, *, site_name: str) -> tuple[SiteSecret, str]:
    """A new site secret (returned in clear once, as five groups of four); replaces the old one."""
    require_coordinator(actor)
    name = site_name.strip()
    if not name or len(name) > 100:
        raise ValidationFailed(_("Name the site (1 to 100 characters)."), field="site_name")
    raw = "".join(secrets.choice(ALPHABET) for _ in range(SITE_SECRET_LENGTH))
    row = session.exec(select(SiteSecret).where(SiteSecret.site_name == name)).first()
    if row is None:
        row = SiteSecret(site_name=name, secret_hash=_digest(raw))
    row.secret_hash, row.revoked_at = _digest(raw), None
    row.created_by_id = actor.user.id if actor.user else None
    row.created_at = utcnow()
    session.add(row)
    session.flush()
    return row, _grouped(raw)


def list_site_secrets(session: Session, actor: Actor) -> list[SiteSecret]:
    """Every site's secret (its hash only), by site name (coordinators only)."""
    require_coordinator(actor)
    return list(session.exec(select(SiteSecret).order_by(col(SiteSecret.site_name))))


def revoke_site_secret(session: Session, actor: Actor, *, site_name: str) -> SiteSecret:
    """Stop new enrolments with the site's secret (the sessions already made keep working)."""
    require_coordinator(actor)
    row = session.exec(select(SiteSecret).where(SiteSecret.site_name == site_name.strip())).first()
    if row is None:
        raise NotFound(_("No site secret for this site."), field="site_name")
    row.revoked_at = utcnow()
    session.add(row)
    return row


def enroll_with_site_secret(
    session: Session, *, secret: str, hostname: str | None, agent_version: str | None
) -> tuple[Bench, str]:
    """A booted PC presents its site's secret; it becomes a new bench session of that site."""
    row = session.exec(select(SiteSecret).where(SiteSecret.secret_hash == _digest(secret))).first()
    if row is None or row.revoked_at is not None:
        raise InvalidSiteSecret(_("This site secret is unknown or revoked."), field="secret")
    label = (hostname or "").strip()[:60] or "PC"
    name = _unique_bench_name(session, f"{row.site_name} · {label}")
    bench = Bench(
        name=name, agent_version=agent_version, last_seen_at=utcnow(), site_secret_id=row.id
    )
    session.add(bench)
    session.flush()
    return bench, issue_token(session, bench=bench, label=f"booted PC {name}")
