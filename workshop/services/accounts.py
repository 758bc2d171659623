"""Users, passwords (argon2), login rate limiting and API tokens."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from workshop.errors import (
    Conflict,
    Forbidden,
    NotAuthenticated,
    NotFound,
    TooManyAttempts,
    ValidationFailed,
)
from workshop.i18n import ROLE_LABELS, _, _l
from workshop.models import (
    ApiToken,
    Bench,
    LoginFailure,
    Organisation,
    OrganisationKind,
    Role,
    User,
)
from workshop.models.accounts import new_session_nonce
from workshop.models.base import utcnow
from workshop.services.actors import Actor, require_coordinator

_hasher = PasswordHasher()
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD_LENGTH = 10
TOKEN_PREFIX_LENGTH = 8

# Which kind of organisation each role belongs to.
ROLE_ORGANISATION_KIND = {
    Role.COORDINATOR: OrganisationKind.WORKSHOP,
    Role.TECHNICIAN: OrganisationKind.WORKSHOP,
    Role.DONOR: OrganisationKind.COLLECTIVITE,
    Role.ASSOCIATION: OrganisationKind.ASSOCIATION,
}
KIND_ARTICLES = {
    OrganisationKind.WORKSHOP: _l("the workshop"),
    OrganisationKind.COLLECTIVITE: _l("a collectivité"),
    OrganisationKind.ASSOCIATION: _l("an association"),
}


def hash_password(password: str) -> str:
    """An argon2id hash of the password."""
    return _hasher.hash(password)


def password_matches(password_hash: str, password: str) -> bool:
    """Whether the password matches the stored hash."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def create_user(
    session: Session,
    actor: Actor,
    *,
    email: str,
    full_name: str,
    password: str,
    role: Role,
    organisation_id: int,
) -> User:
    """Create an account; the organisation's kind must fit the role."""
    require_coordinator(actor)
    email = email.strip().lower()
    if not EMAIL_RE.match(email) or len(email) > 254:
        raise ValidationFailed(
            _("E-mail address: %(value)s is not an e-mail address.", value=email[:254]),
            field="email",
        )
    if not full_name.strip() or len(full_name.strip()) > 200:
        raise ValidationFailed(_("Name: 1 to 200 characters."), field="full_name")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationFailed(
            _("The password needs at least %(n)s characters.", n=MIN_PASSWORD_LENGTH),
            field="password",
        )
    _check_role_fits(session, role, organisation_id)
    if session.exec(select(User).where(User.email == email)).first() is not None:
        raise Conflict(_("An account already exists for %(email)s.", email=email), field="email")
    user = User(
        email=email,
        full_name=full_name.strip(),
        password_hash=hash_password(password),
        role=role,
        organisation_id=organisation_id,
    )
    session.add(user)
    session.flush()
    return user


def _check_role_fits(session: Session, role: Role, organisation_id: int) -> None:
    """A coordinator or a technician belongs to the workshop, a donor contact to a collectivité,
    an association member to an association."""
    organisation = session.get(Organisation, organisation_id)
    if organisation is None:
        raise NotFound(
            _("No organisation with id %(id)s.", id=organisation_id), field="organisation_id"
        )
    wanted = ROLE_ORGANISATION_KIND[role]
    if organisation.kind != wanted:
        raise ValidationFailed(
            _(
                "Organisation: the role %(role)s belongs to %(kind)s, not to %(name)s.",
                role=ROLE_LABELS[role],
                kind=KIND_ARTICLES[wanted],
                name=organisation.name,
            ),
            field="organisation_id",
        )


def list_users(session: Session, actor: Actor) -> list[User]:
    """Every account, open ones first, by name (coordinators only)."""
    require_coordinator(actor)
    query = select(User).order_by(col(User.active).desc(), col(User.full_name), col(User.id))
    return list(session.exec(query))


def get_user(session: Session, actor: Actor, user_id: int) -> User:
    """One account (coordinators only)."""
    require_coordinator(actor)
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(_("No account with id %(id)s.", id=user_id), field="user_id")
    return user


def change_role(
    session: Session, actor: Actor, user: User, *, role: Role, organisation_id: int
) -> User:
    """Give an account another role (and the organisation that role belongs to); its sessions
    end, so every open page is asked again with the new rights."""
    require_coordinator(actor)
    if actor.user is not None and actor.user.id == user.id:
        raise Forbidden(
            _("You cannot change your own role: ask another coordinator."), field="role"
        )
    _check_role_fits(session, role, organisation_id)
    user.role, user.organisation_id = role, organisation_id
    end_sessions(session, user)
    return user


def close_account(session: Session, actor: Actor, user: User) -> User:
    """A coordinator closes an account (never their own): see `disable_user`."""
    require_coordinator(actor)
    if actor.user is not None and actor.user.id == user.id:
        raise Forbidden(_("You cannot close your own account."), field="user_id")
    disable_user(session, user)
    return user


def authenticate(
    session: Session,
    *,
    email: str,
    password: str,
    remote_addr: str,
    max_failures: int,
    window_seconds: int,
    address_max_failures: int,
) -> User:
    """Check a login; recent failures lock the account, or (far more of them) the address.

    Everyone behind a NAT or a reverse proxy shares one address, so an address alone is
    only throttled at `address_max_failures`, well above an account's `max_failures`.
    """
    email = email.strip().lower()
    since = utcnow() - timedelta(seconds=window_seconds)
    if _recent_failures(session, col(LoginFailure.email) == email, since) >= max_failures:
        raise TooManyAttempts(
            "too many failed logins for this account: wait a few minutes before trying again",
            retry_after=window_seconds,
        )
    by_address = col(LoginFailure.remote_addr) == remote_addr[:64]
    if _recent_failures(session, by_address, since) >= address_max_failures:
        raise TooManyAttempts(
            "too many failed logins from this address: wait a few minutes before trying again",
            retry_after=window_seconds,
        )
    user = session.exec(select(User).where(User.email == email)).first()
    if user is None or not user.active or not password_matches(user.password_hash, password):
        session.add(LoginFailure(email=email[:254], remote_addr=remote_addr[:64]))
        session.flush()
        raise NotAuthenticated("wrong e-mail address or password")
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    session.execute(delete(LoginFailure).where(col(LoginFailure.email) == email))
    session.flush()
    return user


def _recent_failures(session: Session, condition: Any, since: datetime) -> int:
    query = select(func.count()).select_from(LoginFailure).where(LoginFailure.at >= since)
    return session.exec(query.where(condition)).one()


def user_for_session(session: Session, session_id: str) -> User | None:
    """The active user a session cookie's id ("<user id>:<nonce>") names, if still valid."""
    user_id, _, nonce = session_id.partition(":")
    if not user_id.isdigit() or not nonce or int(user_id) >= 2**31:
        return None
    user = session.get(User, int(user_id))
    if user is None or not user.active:
        return None
    return user if hmac.compare_digest(user.session_nonce.encode(), nonce.encode()) else None


def end_sessions(session: Session, user: User) -> None:
    """End every session of the user, on every browser and every copied cookie."""
    user.session_nonce = new_session_nonce()
    session.add(user)
    session.flush()


def change_password(session: Session, user: User, *, password: str) -> None:
    """Set a new password; every open session of the account ends with the old one."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationFailed(
            _("The password needs at least %(n)s characters.", n=MIN_PASSWORD_LENGTH),
            field="password",
        )
    user.password_hash = hash_password(password)
    end_sessions(session, user)


def disable_user(session: Session, user: User) -> None:
    """Close an account (erasure, departure): it can no longer log in, its sessions end and its
    API tokens are revoked."""
    user.active = False
    revoke_tokens(session, col(ApiToken.user_id) == user.id)
    end_sessions(session, user)


def revoke_tokens(session: Session, owner: Any) -> None:
    """Revoke every API token still open that matches `owner` (a user's, a bench's)."""
    open_tokens = select(ApiToken).where(owner, col(ApiToken.revoked_at).is_(None))
    for token in session.exec(open_tokens):
        token.revoked_at = utcnow()
        session.add(token)


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(
    session: Session, *, user: User | None = None, bench: Bench | None = None, label: str = ""
) -> str:
    """Create a bearer token for a user or a bench; the clear token is returned once."""
    if (user is None) == (bench is None):
        raise ValueError("a token belongs to exactly one user or one bench")
    token = "atl_" + secrets.token_urlsafe(32)
    session.add(
        ApiToken(
            token_hash=_token_digest(token),
            prefix=token[:TOKEN_PREFIX_LENGTH],
            user_id=user.id if user else None,
            bench_id=bench.id if bench else None,
            label=label[:100],
        )
    )
    session.flush()
    return token


def actor_for_token(session: Session, token: str) -> Actor:
    """The actor behind a bearer token; NotAuthenticated for unknown or revoked ones."""
    row = session.exec(select(ApiToken).where(ApiToken.token_hash == _token_digest(token))).first()
    if row is None or row.revoked_at is not None:
        raise NotAuthenticated("unknown or revoked token")
    row.last_used_at = utcnow()
    if row.bench_id is not None:
        bench = session.get(Bench, row.bench_id)
        if bench is None or not bench.active:
            raise NotAuthenticated("this bench is disabled")
        return Actor(bench=bench)
    user = session.get(User, row.user_id)
    if user is None or not user.active:
        raise NotAuthenticated("this account is disabled")
    return Actor(user=user)
