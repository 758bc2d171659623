"""Users, API tokens and failed logins."""

import uuid
from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from workshop.models.base import utcnow


class Role(StrEnum):
    COORDINATOR = "coordinator"
    TECHNICIAN = "technician"
    DONOR = "donor"
    ASSOCIATION = "association"


def new_pseudonym() -> str:
    """A random id that stands for a person in the event log."""
    return uuid.uuid4().hex


def new_session_nonce() -> str:
    """A fresh random value: every session cookie issued before it stops working."""
    return uuid.uuid4().hex


class User(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True)
    full_name: str = Field(max_length=200)
    password_hash: str = Field(max_length=200)
    role: Role = Field(sa_type=sa.String(20))
    organisation_id: int | None = Field(default=None, foreign_key="organisation.id", index=True)
    active: bool = Field(default=True)
    # Events name this pseudonym, never the person: erasing a user keeps the history intact.
    pseudonym: str = Field(default_factory=new_pseudonym, max_length=32, unique=True)
    locale: str | None = Field(default=None, max_length=5)
    created_at: datetime = Field(default_factory=utcnow)
    last_login_at: datetime | None = None
    # Part of every session cookie's user id; a new value ends every copy of every session.
    session_nonce: str = Field(default_factory=new_session_nonce, max_length=32)

    # Flask-Login protocol
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        # The nonce travels in the (signed) cookie and is checked on every request.
        return f"{self.id}:{self.session_nonce}"


class ApiToken(SQLModel, table=True):
    """A bearer token of a bench or a user; only its SHA-256 is stored."""

    __tablename__ = "api_token"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    prefix: str = Field(max_length=12)
    user_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    bench_id: int | None = Field(default=None, foreign_key="bench.id", index=True)
    label: str = Field(default="", max_length=100)
    created_at: datetime = Field(default_factory=utcnow)
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None


class LoginFailure(SQLModel, table=True):
    """A failed login, kept for rate limiting (by account and by address)."""

    __tablename__ = "login_failure"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, index=True)
    remote_addr: str = Field(max_length=64, index=True)
    at: datetime = Field(default_factory=utcnow, index=True)
