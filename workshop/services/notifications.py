"""Notifications to associations: stored (shown in the UI) and sent by email from an outbox.

A notification is written in the same transaction as the change it reports, so it exists
exactly when the change does; `send_pending` mails those not sent yet (run by
`workshop expire-holds` from cron), retrying a failed delivery up to MAX_ATTEMPTS times.
"""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from email.message import EmailMessage

from sqlmodel import Session, col, select

from workshop.models import Notification, Organisation, Role, User
from workshop.models.base import utcnow
from workshop.services.actors import Actor, require_roles

MAX_ATTEMPTS = 5


@dataclass(frozen=True)
class MailSettings:
    """Where and how to send email; an empty host disables sending."""

    host: str = ""
    port: int = 25
    sender: str = "atelier@localhost"
    username: str = ""
    password: str = ""
    starttls: bool = False
    timeout: float = 10.0


def notify(
    session: Session,
    *,
    organisation_id: int,
    subject: str,
    body: str,
    reservation_id: int | None = None,
) -> Notification:
    """Record a notification for an association (sent later by `send_pending`)."""
    row = Notification(
        organisation_id=organisation_id,
        reservation_id=reservation_id,
        subject=subject[:200],
        body=body[:4000],
    )
    session.add(row)
    session.flush()
    return row


def recent_notifications(session: Session, actor: Actor, *, limit: int = 10) -> list[Notification]:
    """The latest notifications the actor may read (an association: its own)."""
    require_roles(actor, Role.COORDINATOR, Role.TECHNICIAN, Role.ASSOCIATION)
    query = select(Notification)
    if not actor.is_staff:
        query = query.where(Notification.organisation_id == actor.organisation_id)
    return list(session.exec(query.order_by(col(Notification.id).desc()).limit(limit)))


def recipients(session: Session, organisation_id: int) -> list[str]:
    """The organisation's contact address and its active members' addresses."""
    org = session.get(Organisation, organisation_id)
    members = session.exec(
        select(User.email).where(
            User.organisation_id == organisation_id, col(User.active).is_(True)
        )
    ).all()
    addresses = [org.email] if org is not None and org.email else []
    return sorted(set(addresses) | set(members))


def send_pending(session: Session, mail: MailSettings, *, limit: int = 100) -> tuple[int, int]:
    """Email the unsent notifications; returns (sent, failed). Nothing when mail is off."""
    if not mail.host:
        return 0, 0
    rows = session.exec(
        select(Notification)
        .where(col(Notification.sent_at).is_(None), Notification.attempts < MAX_ATTEMPTS)
        .order_by(col(Notification.id))
        .limit(limit)
    ).all()
    sent = failed = 0
    for row in rows:
        to = recipients(session, row.organisation_id)
        try:
            if to:
                _send(mail, to, row.subject, row.body)
        except (smtplib.SMTPException, OSError) as exc:
            row.attempts += 1
            row.last_error = f"{exc.__class__.__name__}: {exc}"[:500]
            failed += 1
        else:
            row.sent_at = utcnow()
            sent += 1
        session.add(row)
    session.flush()
    return sent, failed


def _send(mail: MailSettings, to: list[str], subject: str, body: str) -> None:
    message = EmailMessage()
    message["From"] = mail.sender
    message["To"] = ", ".join(to)
    message["Subject"] = subject
    message.set_content(body)
    with smtplib.SMTP(mail.host, mail.port, timeout=mail.timeout) as smtp:
        if mail.starttls:
            smtp.starttls()
        if mail.username:
            smtp.login(mail.username, mail.password)
        smtp.send_message(message)
