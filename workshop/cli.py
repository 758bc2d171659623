"""`workshop` command line: serve, migrate, demo data, accounts, log verification.

Sample run::

    $ workshop db upgrade
    database upgraded to head: sqlite:////srv/atelier/instance/atelier.sqlite3
    $ workshop demo --if-empty
    demo data loaded: 5 organisations, 62 devices, 241 events
    $ workshop verify-log
    event log intact: 241 events, checkpoint of 2026-12-03T09:12:44.120031+00:00 (tree size 241)
    matches; 9 wipe records match their events
    $ sqlite3 instance/atelier.sqlite3 "update event set data='{}' where seq=12"
    $ workshop verify-log
    event log BROKEN at event #12 (id 12): its content does not match its hash: ...
    $ sqlite3 instance/atelier.sqlite3 "delete from event where seq > 200; update event_chain_head…"
    $ workshop verify-log
    event log BROKEN: the log was truncated: the checkpoint of … covers 241 events, ...
"""

from __future__ import annotations

import sys
from datetime import datetime
from typing import TYPE_CHECKING, Any

import click
from pydantic import ValidationError
from sqlalchemy.engine import Engine

if TYPE_CHECKING:
    from workshop.services.log_verification import LogReport

from workshop.db import make_engine, session_scope
from workshop.errors import WorkshopError
from workshop.services.checkpoints import CheckpointFile, checkpoint_file
from workshop.settings import WorkshopSettings


def _settings() -> WorkshopSettings:
    try:
        return WorkshopSettings()
    except ValidationError as exc:
        raise click.ClickException(f"invalid settings: {exc}") from exc


def _engine() -> Engine:
    from workshop.services.sealing import install

    settings = _settings()
    settings.instance_path.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.resolved_database_url())
    install(engine, _checkpoints())
    return engine


def _checkpoints() -> CheckpointFile:
    return checkpoint_file(_settings().instance_path)


@click.group()
def main() -> None:
    """Atelier workshop server."""


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--threads", default=16, show_default=True, type=int)
def serve(host: str, port: int, threads: int) -> None:
    """Serve the web UI and the API (waitress, a production WSGI server)."""
    from waitress import serve as waitress_serve

    from workshop.app import create_app

    settings = _settings()
    if threads < 2:
        raise click.BadParameter("at least 2 (live pages keep one each)", param_hint="--threads")
    # Live pages never take more than half the threads: the rest answer benches and people.
    settings.live_streams = max(1, min(settings.live_streams, threads // 2))
    app = create_app(settings)
    click.echo(f"Atelier: http://{host}:{port}/  (Ctrl+C to stop)")
    waitress_serve(app, host=host, port=port, threads=threads, ident="atelier")


@main.group()
def db() -> None:
    """Database schema."""


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True)
def db_upgrade(revision: str) -> None:
    """Apply the migrations."""
    from workshop.migrations import upgrade

    settings = _settings()
    settings.instance_path.mkdir(parents=True, exist_ok=True)
    url = settings.resolved_database_url()
    upgrade(url, revision)
    click.echo(f"database upgraded to {revision}: {_redact(url)}")


def _redact(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


@main.command()
@click.option("--if-empty", is_flag=True, help="Do nothing when the database has devices.")
@click.option("--seed", default=2026, show_default=True, type=int)
def demo(if_empty: bool, seed: int) -> None:
    """Load the demo dataset (organisations, users, ~60 devices over every state)."""
    from workshop.demo import DEMO_PASSWORD, database_is_empty, load_demo

    engine = _engine()
    with session_scope(engine) as session:
        if if_empty and not database_is_empty(session):
            click.echo("demo data not loaded: the database already has data")
            return
        summary = load_demo(session, seed=seed)
    click.echo(f"demo data loaded: {summary}")
    click.echo(f"demo logins (password {DEMO_PASSWORD!r}):")
    from workshop.demo import DEMO_USERS

    for email, role, _name, _org in DEMO_USERS:
        click.echo(f"  {role:<12} {email}")


@main.command("create-user")
@click.option("--email", required=True)
@click.option("--name", "full_name", required=True)
@click.option(
    "--role",
    required=True,
    type=click.Choice(["coordinator", "technician", "donor", "association"]),
)
@click.option("--organisation", required=True, help="Organisation name.")
@click.password_option()
def create_user(email: str, full_name: str, role: str, organisation: str, password: str) -> None:
    """Create an account."""
    from sqlmodel import select

    from workshop.models import Organisation, Role
    from workshop.services.accounts import create_user as create
    from workshop.services.actors import SYSTEM

    with session_scope(_engine()) as session:
        org = session.exec(select(Organisation).where(Organisation.name == organisation)).first()
        if org is None or org.id is None:
            raise click.ClickException(f"no organisation named {organisation!r}")
        try:
            user = create(
                session,
                SYSTEM,
                email=email,
                full_name=full_name,
                password=password,
                role=Role(role),
                organisation_id=org.id,
            )
        except WorkshopError as exc:
            raise click.ClickException(exc.message) from exc
        click.echo(f"created {user.role} {user.email}")


@main.command("create-organisation")
@click.option(
    "--kind", required=True, type=click.Choice(["collectivite", "association", "workshop"])
)
@click.option("--name", required=True)
@click.option("--city", default="")
@click.option("--postal-code", default="")
@click.option("--siren", default="", help="9 digits, Luhn key checked.")
@click.option("--siret", default="", help="The workshop's, 14 digits, Luhn key checked.")
@click.option("--rna", default="", help="An association's RNA number (W + 9 characters).")
@click.option(
    "--public-interest",
    default="none",
    show_default=True,
    type=click.Choice(["none", "rup", "rig"]),
    help="An association's standing: reconnue d'utilité publique or d'intérêt général.",
)
def create_organisation(
    kind: str,
    name: str,
    city: str,
    postal_code: str,
    siren: str,
    siret: str,
    rna: str,
    public_interest: str,
) -> None:
    """Register an organisation (the same checks as the Administration pages)."""
    from workshop.models import OrganisationKind, PublicInterest
    from workshop.services.actors import SYSTEM
    from workshop.services.organisations import OrganisationInput, register_organisation

    data = OrganisationInput(
        name=name,
        city=city,
        postal_code=postal_code,
        siren=siren,
        siret=siret,
        rna=rna,
        public_interest=PublicInterest(public_interest),
    )
    with session_scope(_engine()) as session:
        try:
            org = register_organisation(session, SYSTEM, kind=OrganisationKind(kind), data=data)
        except WorkshopError as exc:
            raise click.ClickException(exc.message) from exc
        click.echo(f"created {org.kind} {org.name!r} (id {org.id})")


@main.command("create-token")
@click.argument("email")
@click.option("--label", default="cli", show_default=True)
def create_token(email: str, label: str) -> None:
    """Issue an API token for a user (printed once; only its hash is stored)."""
    from sqlmodel import select

    from workshop.models import User
    from workshop.services.accounts import issue_token

    with session_scope(_engine()) as session:
        user = session.exec(select(User).where(User.email == email.strip().lower())).first()
        if user is None:
            raise click.ClickException(f"no user with e-mail {email!r}")
        click.echo(issue_token(session, user=user, label=label))


def _user_by_email(session: Any, email: str) -> Any:
    from sqlmodel import select

    from workshop.models import User

    user = session.exec(select(User).where(User.email == email.strip().lower())).first()
    if user is None:
        raise click.ClickException(f"no user with e-mail {email!r}")
    return user


@main.command("set-password")
@click.argument("email")
@click.password_option()
def set_password(email: str, password: str) -> None:
    """Give an account a new password; its open sessions end everywhere."""
    from workshop.services.accounts import change_password

    with session_scope(_engine()) as session:
        try:
            change_password(session, _user_by_email(session, email), password=password)
        except WorkshopError as exc:
            raise click.ClickException(exc.message) from exc
        click.echo(f"new password set for {email}; its sessions have ended")


@main.command("end-sessions")
@click.argument("email")
def end_sessions(email: str) -> None:
    """Log an account out on every browser (a lost phone, a shared computer)."""
    from workshop.services.accounts import end_sessions as end

    with session_scope(_engine()) as session:
        end(session, _user_by_email(session, email))
        click.echo(f"every session of {email} has ended")


@main.command("close-account")
@click.argument("email")
def close_account(email: str) -> None:
    """Close an account (a person leaves, or asks for erasure): no more login, no API token,
    every session ended. What the person did stays in the history under their name."""
    from workshop.services.accounts import disable_user

    with session_scope(_engine()) as session:
        disable_user(session, _user_by_email(session, email))
        click.echo(f"the account {email} is closed; its sessions and tokens no longer work")


@main.command("create-bench")
@click.argument("name")
@click.option("--location", default="")
def create_bench(name: str, location: str) -> None:
    """Register a bench and print its token (shown once)."""
    from workshop.services.actors import SYSTEM
    from workshop.services.organisations import create_bench as create

    with session_scope(_engine()) as session:
        try:
            bench, token = create(session, SYSTEM, name=name, location=location)
        except WorkshopError as exc:
            raise click.ClickException(exc.message) from exc
        click.echo(f"bench {bench.name!r} (id {bench.id}) token: {token}")


@main.command("create-enrollment-code")
@click.option("--bench", "bench_name", default=None, help="Name the enrolled bench will get.")
def create_enrollment_code(bench_name: str | None) -> None:
    """Print a one-time code (valid 24 h) for `bench-agent enroll URL CODE`."""
    from workshop.services.actors import SYSTEM
    from workshop.services.enrollment import create_enrollment_code as create

    with session_scope(_engine()) as session:
        row, code = create(session, SYSTEM, bench_name=bench_name)
        click.echo(f"{code}  (valid until {row.expires_at:%Y-%m-%d %H:%M} UTC)")


@main.command("create-site-secret")
@click.argument("site_name")
def create_site_secret(site_name: str) -> None:
    """Print a new reusable enrolment secret for SITE_NAME's bench image (replaces its old one)."""
    from workshop.services.actors import SYSTEM
    from workshop.services.enrollment import create_site_secret as create

    with session_scope(_engine()) as session:
        _, secret = create(session, SYSTEM, site_name=site_name)
        click.echo(secret)


@main.command("verify-log")
def verify_log() -> None:
    """Seal pending events, then check the chain, the signed checkpoints and the wipe records."""
    from workshop.services.log_verification import verify_log as verify

    report = verify(_engine(), _checkpoints())
    for note in report.notes:
        click.echo(f"note: {note}")
    if not report.ok:
        chain = report.chain
        where = ""
        if chain.bad_seq is not None:
            where = f" at event #{chain.bad_seq} (id {chain.bad_event_id})"
        click.echo(f"event log BROKEN{where}: {report.reason}", err=True)
        sys.exit(1)
    click.echo(_intact_line(report))


def _intact_line(report: LogReport) -> str:
    chain, wipes = report.chain, report.wipes
    line = f"event log intact: {chain.checked} events"
    if chain.checkpoint is not None:
        line += (
            f", checkpoint of {chain.checkpoint.timestamp} "
            f"(tree size {chain.checkpoint.tree_size}) matches"
        )
    line += f"; {wipes.matched} wipe records match their events"
    if wipes.without_digest:
        line += f" ({wipes.without_digest} older ones carry no digest)"
    if report.unsealed:
        line += f"; {report.unsealed} events committed meanwhile wait for the sealer"
    return line


@main.command("seal-log")
def seal_log() -> None:
    """Seal committed events into the chain and write a signed checkpoint."""
    from workshop.services.sealing import HeadInvalid, seal

    try:
        report = seal(_engine(), _checkpoints())
    except HeadInvalid as exc:
        raise click.ClickException(str(exc)) from exc
    written = "checkpoint written" if report.checkpoint else "checkpoint already current"
    click.echo(
        f"sealed {report.sealed} events; tree size {report.tree_size}, {written} "
        f"(root {report.root_hash[:12]}…)"
    )


@main.command("expire-holds")
@click.option("--now", "now_text", default=None, help="ISO time to use instead of the clock.")
def expire_holds(now_text: str | None) -> None:
    """End reservations past their hold; their devices return to the catalogue (for cron)."""
    from datetime import UTC, datetime

    from workshop.services.reservations import expire_holds as expire
    from workshop.services.reservations import reference

    try:
        now = datetime.fromisoformat(now_text) if now_text else datetime.now(UTC)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--now") from exc
    now = now if now.tzinfo else now.replace(tzinfo=UTC)
    engine = _engine()
    with session_scope(engine) as session:
        expired = expire(session, now=now)
        names = ", ".join(reference(r) for r in expired)
    click.echo(f"{len(expired)} reservation(s) expired" + (f": {names}" if names else ""))
    _offer_and_notify(engine, now)


def _offer_and_notify(engine: Engine, now: datetime) -> None:
    """Offer available devices to open needs, then email pending notifications."""
    from workshop.services.needs import match_needs
    from workshop.services.notifications import MailSettings, send_pending

    settings = _settings()
    with session_scope(engine) as session:
        offers = match_needs(session, hold_days=settings.hold_days, now=now)
    click.echo(f"{len(offers)} offer(s) made to needs")
    mail = MailSettings(
        host=settings.smtp_host,
        port=settings.smtp_port,
        sender=settings.smtp_sender,
        username=settings.smtp_username,
        password=settings.smtp_password,
        starttls=settings.smtp_starttls,
    )
    with session_scope(engine) as session:
        sent, failed = send_pending(session, mail)
    click.echo(f"{sent} notification(s) emailed, {failed} failed")


from workshop.cli_documents import keys, verify_document  # noqa: E402

main.add_command(keys)
main.add_command(verify_document)

if __name__ == "__main__":
    main()
