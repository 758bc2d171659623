"""Who is acting: a user, a bench (through its token) or the system; and the access rules."""

from __future__ import annotations

from dataclasses import dataclass

from workshop.errors import Forbidden
from workshop.i18n import _
from workshop.models import Bench, Role, User


@dataclass(frozen=True)
class Actor:
    """The party on whose behalf a service runs."""

    user: User | None = None
    bench: Bench | None = None
    system: bool = False

    @property
    def role(self) -> Role | None:
        return Role(self.user.role) if self.user else None

    @property
    def organisation_id(self) -> int | None:
        return self.user.organisation_id if self.user else None

    @property
    def label(self) -> str:
        """The pseudonymous id written into events."""
        if self.user is not None:
            return self.user.pseudonym
        if self.bench is not None:
            return f"bench:{self.bench.id}"
        return "system"

    @property
    def is_staff(self) -> bool:
        """Coordinators, technicians and the system see and handle everything."""
        return self.system or self.role in (Role.COORDINATOR, Role.TECHNICIAN)


SYSTEM = Actor(system=True)


def require_roles(actor: Actor, *roles: Role, bench: bool = False) -> None:
    """Raise Forbidden unless the actor has one of `roles` (or is a bench, when allowed)."""
    if actor.system:
        return
    if actor.bench is not None and bench:
        return
    if actor.role is not None and actor.role in roles:
        return
    raise Forbidden(_("You are not allowed to do this."))


def require_staff(actor: Actor, *, bench: bool = False) -> None:
    """Only coordinators and technicians (and, when allowed, benches)."""
    require_roles(actor, Role.COORDINATOR, Role.TECHNICIAN, bench=bench)


def require_coordinator(actor: Actor) -> None:
    """Only coordinators."""
    require_roles(actor, Role.COORDINATOR)
