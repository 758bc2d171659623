"""Typed settings of the workshop server, read from WORKSHOP_* environment variables."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Literal, get_args

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_SECRET = "dev-only-secret-change-me"
RESERVATIONS_ENV = "WORKSHOP_WIPE_RESERVATIONS_ACCEPTED"


def parse_reservations(text: str) -> frozenset[str]:
    """The comma-separated reservation names of the policy; ValueError names an unknown one."""
    from atelier_protocol.wipe import Reservation  # noqa: PLC0415

    known = set(get_args(Reservation))
    names = frozenset(part.strip() for part in text.split(",") if part.strip())
    unknown = sorted(names - known)
    if unknown:
        raise ValueError(
            f"{RESERVATIONS_ENV}: unknown reservation {', '.join(unknown)} "
            f"(known: {', '.join(sorted(known))})"
        )
    return names


def accepted_wipe_reservations() -> frozenset[str]:
    """The reservations under which a drive still counts as erased (none unless configured)."""
    return parse_reservations(os.environ.get(RESERVATIONS_ENV, ""))


class WorkshopSettings(BaseSettings):
    """Every setting of the server; validated once at start-up."""

    model_config = SettingsConfigDict(env_prefix="WORKSHOP_", extra="ignore")

    env: Literal["development", "testing", "production"] = "development"
    instance_path: Path = Path("instance")
    database_url: str = ""
    secret_key: str = DEV_SECRET
    # The address people reach the workshop at, printed in QR codes and documents' links.
    # Empty: the address each request came to (development and tests only; production must
    # set it, or a forged Host header could end up in a signed document).
    public_base_url: str = ""
    default_locale: Literal["fr", "en"] = "fr"
    timezone: str = "Europe/Paris"
    session_cookie_secure: bool = False
    login_max_failures: int = Field(default=5, ge=1)
    login_window_seconds: int = Field(default=900, ge=1)
    # Failed logins from one address before it is throttled too: everyone behind a NAT or
    # the reverse proxy may share it, so far more than one account's `login_max_failures`.
    login_address_max_failures: int = Field(default=100, ge=1)
    # How many reverse proxies in front of the server set X-Forwarded-For/-Proto (0: none, the
    # headers are ignored; 1: nginx or caddy on the same host). Only set it behind a proxy.
    trusted_proxies: int = Field(default=0, ge=0, le=5)
    workshop_name: str = "Atelier de réemploi"
    # How long a reservation holds its devices before they return to the catalogue.
    hold_days: int = Field(default=7, ge=1, le=90)
    # Email to associations (offers, decisions); an empty host disables sending.
    smtp_host: str = ""
    smtp_port: int = Field(default=25, ge=1, le=65535)
    smtp_sender: str = "atelier@localhost"
    smtp_username: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = False
    # Live pages (bench board, a bench's page) holding an event stream at once; more screens
    # get a fresh view every LIVE_FALLBACK seconds instead, so benches and people always find
    # a free server thread (`workshop serve` lowers it to half its threads).
    live_streams: int = Field(default=8, ge=1, le=1000)
    # Reservations (atelier_protocol/wipe.py) under which a drive passed "with reservations"
    # still counts as erased, comma-separated: hidden_sectors_not_erased, sampled_verification.
    # Empty (the default): such a drive keeps its device out of grading until wiped again.
    wipe_reservations_accepted: str = ""
    # Folder whose files may serve as file:// printers (besides printer devices such as
    # /dev/usb/lp0, always allowed). None (the default): only printer devices.
    printer_file_dir: Path | None = None
    # The bench image's network-boot files (`make bench-image` writes build/netboot/), served
    # at /boot/. None (the default): no network boot.
    netboot_dir: Path | None = None

    @field_validator("wipe_reservations_accepted")
    @classmethod
    def _known_reservations(cls, value: str) -> str:
        parse_reservations(value)
        return value

    @model_validator(mode="after")
    def _refuse_default_secret(self) -> WorkshopSettings:
        if self.env == "production" and self.secret_key == DEV_SECRET:
            raise ValueError("WORKSHOP_SECRET_KEY must be set to a random value in production")
        if self.env == "production" and len(self.secret_key) < 32:
            raise ValueError("WORKSHOP_SECRET_KEY must be at least 32 characters in production")
        if self.public_base_url and not re.fullmatch(
            r"https?://[^\s/?#]+(/[^\s?#]*)?", self.public_base_url
        ):
            raise ValueError(
                "WORKSHOP_PUBLIC_BASE_URL must be an http(s) address such as "
                "https://atelier.example.org"
            )
        if self.env == "production" and not self.public_base_url:
            raise ValueError(
                "WORKSHOP_PUBLIC_BASE_URL must be set in production (the address in QR codes)"
            )
        return self

    def resolved_database_url(self) -> str:
        """The database URL; a SQLite file under the instance folder when none is given."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.instance_path / 'atelier.sqlite3').resolve()}"
