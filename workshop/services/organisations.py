"""Organisations and benches: the parties the workshop deals with."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from workshop.errors import Conflict, Forbidden, NotFound, ValidationFailed
from workshop.i18n import _
from workshop.models import ApiToken, Bench, Organisation, OrganisationKind, PublicInterest
from workshop.models.base import utcnow
from workshop.services import registry_numbers
from workshop.services.accounts import EMAIL_RE, issue_token, revoke_tokens
from workshop.services.actors import Actor, require_coordinator, require_staff

POSTAL_CODE_RE = re.compile(r"^\d{5}$")
PHONE_RE = re.compile(r"^\+?[\d .()-]{6,30}$")


@dataclass(frozen=True)
class OrganisationInput:
    """What a coordinator says about an organisation (texts as typed; checked by the service)."""

    name: str
    siren: str = ""
    siret: str = ""
    rna: str = ""
    address: str = ""
    postal_code: str = ""
    city: str = ""
    contact_name: str = ""
    email: str = ""
    phone: str = ""
    public_interest: PublicInterest = PublicInterest.NONE
    public_name_allowed: bool = False


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
    """Register an organisation by its name and place (unique name)."""
    data = OrganisationInput(
        name=name,
        city=city or "",
        postal_code=postal_code or "",
        public_name_allowed=public_name_allowed,
    )
    return register_organisation(session, actor, kind=kind, data=data)


def register_organisation(
    session: Session, actor: Actor, *, kind: OrganisationKind, data: OrganisationInput
) -> Organisation:
    """Register an organisation with its identity (SIREN/SIRET Luhn-checked, unique name)."""
    require_coordinator(actor)
    organisation = Organisation(kind=kind, name=data.name.strip())
    _apply(session, organisation, data)
    session.add(organisation)
    _flush_unique_name(session, _name_taken(organisation.name))
    return organisation


def update_organisation(
    session: Session, actor: Actor, organisation_id: int, data: OrganisationInput
) -> Organisation:
    """Change an organisation's identity (its kind stays: accounts and donations hang on it)."""
    require_coordinator(actor)
    organisation = get_organisation(session, actor, organisation_id)
    _apply(session, organisation, data)
    session.add(organisation)
    _flush_unique_name(session, _name_taken(organisation.name))
    return organisation


def _name_taken(name: str) -> Conflict:
    return Conflict(_("An organisation named %(name)s already exists.", name=name), field="name")


def _flush_unique_name(session: Session, taken: Conflict) -> None:
    """Flush in a savepoint: a name taken by a concurrent request between the check and the
    write (the unique index says so) is the same Conflict as one found by the check, not a 500."""
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError as exc:
        raise taken from exc


def get_organisation(session: Session, actor: Actor, organisation_id: int) -> Organisation:
    """One organisation (staff only)."""
    require_staff(actor)
    organisation = session.get(Organisation, organisation_id)
    if organisation is None:
        raise NotFound(
            _("No organisation with id %(id)s.", id=organisation_id), field="organisation_id"
        )
    return organisation


def _text(value: str, limit: int, field: str, label: str) -> str | None:
    value = value.strip()
    if len(value) > limit:
        raise ValidationFailed(
            _("%(field)s: at most %(n)s characters.", field=label, n=limit), field=field
        )
    return value or None


def _apply(session: Session, organisation: Organisation, data: OrganisationInput) -> None:
    """Check all of `data`, then write it into the organisation (not yet flushed)."""
    name = _checked_name(session, organisation, data.name)
    siren, siret, rna = _checked_numbers(organisation.kind, data)
    postal_code = _text(data.postal_code, 10, "postal_code", _("Postal code"))
    if postal_code and not POSTAL_CODE_RE.match(postal_code):
        raise ValidationFailed(
            _("Postal code: %(value)s is not 5 digits.", value=postal_code), field="postal_code"
        )
    email = _text(data.email, 254, "email", _("E-mail address"))
    if email and not EMAIL_RE.match(email):
        raise ValidationFailed(
            _("E-mail address: %(value)s is not an e-mail address.", value=email), field="email"
        )
    phone = _text(data.phone, 30, "phone", _("Phone"))
    if phone and not PHONE_RE.match(phone):
        raise ValidationFailed(
            _("Phone: %(value)s is not a phone number.", value=phone), field="phone"
        )
    address = _text(data.address, 300, "address", _("Address"))
    city = _text(data.city, 100, "city", _("City"))
    contact_name = _text(data.contact_name, 200, "contact_name", _("Contact"))
    organisation.name, organisation.siren, organisation.siret = name, siren, siret
    organisation.rna, organisation.public_interest = rna, data.public_interest
    organisation.address, organisation.postal_code, organisation.city = address, postal_code, city
    organisation.contact_name, organisation.phone = contact_name, phone
    organisation.email = email.lower() if email else None
    organisation.public_name_allowed = data.public_name_allowed


def _checked_name(session: Session, organisation: Organisation, text: str) -> str:
    name = text.strip()
    if not name:
        raise ValidationFailed(_("Name: give the organisation's name."), field="name")
    _text(name, 200, "name", _("Name"))
    same_name = select(Organisation.id).where(Organisation.name == name)
    if organisation.id is not None:
        same_name = same_name.where(Organisation.id != organisation.id)
    if session.exec(same_name).first() is not None:
        raise _name_taken(name)
    return name


def _checked_numbers(
    kind: OrganisationKind, data: OrganisationInput
) -> tuple[str | None, str | None, str | None]:
    """SIREN, SIRET and RNA number as stored (the SIREN taken from the SIRET when absent)."""
    association = kind == OrganisationKind.ASSOCIATION
    if data.rna.strip() and not association:
        raise ValidationFailed(_("RNA number: only an association has one."), field="rna")
    if data.public_interest != PublicInterest.NONE and not association:
        raise ValidationFailed(
            _("Public-interest status: only an association has one."), field="public_interest"
        )
    siret = registry_numbers.siret(data.siret) if data.siret.strip() else None
    siren = registry_numbers.siren(data.siren) if data.siren.strip() else None
    if siret and siren and siret[:9] != siren:
        raise ValidationFailed(
            _("SIRET: it does not start with the SIREN %(siren)s.", siren=siren), field="siret"
        )
    rna = registry_numbers.rna(data.rna) if data.rna.strip() else None
    return siren or (siret[:9] if siret else None), siret, rna


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
    _flush_unique_name(
        session, Conflict(_("A bench named %(name)s already exists.", name=name), field="name")
    )
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


def revoke_bench(session: Session, actor: Actor, bench_id: int) -> Bench:
    """Withdraw a bench (a PC given away, a lost token): its tokens stop working at once and it
    is no longer offered work. Its records and history stay."""
    require_coordinator(actor)
    bench = get_bench(session, actor, bench_id)
    bench.active = False
    revoke_tokens(session, col(ApiToken.bench_id) == bench.id)
    session.add(bench)
    session.flush()
    return bench


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
