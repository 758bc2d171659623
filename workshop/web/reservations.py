"""Reservations: the list, one reservation with its actions, the bon de remise PDF."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import Length

from workshop import db
from workshop.errors import WorkshopError
from workshop.models import Organisation, Role
from workshop.models.reservations import OPEN_STATUSES
from workshop.services import needs, notifications
from workshop.services import reservations as service
from workshop.services.documents.common import issuer_name
from workshop.services.handover_receipt import receipt_for
from workshop.web.labels import web_actor

bp = Blueprint("reservations", __name__, url_prefix="/reservations")
ACTIONS = ("confirm", "refuse", "cancel", "handover", "accept", "decline")


class ActionForm(FlaskForm):
    text = StringField(_l("Comment or reason"), validators=[Length(max=500)])


@bp.route("/")
@login_required
def index() -> Any:
    """Reservations the user may see (an association: its own)."""
    session, actor = db.request_session(), web_actor()
    service.expire_holds(session)
    rows = service.list_reservations(session, actor)
    names = {o.id: o.name for o in session.exec(_organisations(rows))}
    messages = notifications.recent_notifications(session, actor)
    return render_template(
        "reservations/list.html",
        reservations=rows,
        names=names,
        reservation_label=service.status_label,
        messages=messages,
    )


def _organisations(rows: list[Any]) -> Any:
    from sqlmodel import col, select

    return select(Organisation).where(col(Organisation.id).in_({r.organisation_id for r in rows}))


@bp.route("/<int:reservation_id>")
@login_required
def detail(reservation_id: int) -> Any:
    """One reservation: its devices, its state and what the user may do with it."""
    session, actor = db.request_session(), web_actor()
    service.expire_holds(session)
    reservation = service.get_reservation(session, actor, reservation_id)
    return _render(reservation, ActionForm())


def _render(reservation: Any, form: ActionForm, status: int = 200) -> Any:
    session, actor = db.request_session(), web_actor()
    is_open = reservation.status in OPEN_STATUSES
    coordinator = actor.role == Role.COORDINATOR
    return render_template(
        "reservations/detail.html",
        reservation=reservation,
        reference=service.reference(reservation),
        organisation=session.get(Organisation, reservation.organisation_id),
        devices=service.reservation_devices(session, reservation),
        reservation_label=service.status_label,
        form=form,
        can_decide=coordinator and reservation.status == "pending",
        can_hand_over=coordinator and is_open,
        can_cancel=is_open and actor.role in (Role.COORDINATOR, Role.ASSOCIATION),
        can_answer=reservation.status == "offered"
        and actor.role in (Role.COORDINATOR, Role.ASSOCIATION),
    ), status


@bp.route("/<int:reservation_id>/<action>", methods=["POST"])
@login_required
def act(reservation_id: int, action: str) -> Any:
    """Confirm, refuse (with a reason), cancel or record the handover."""
    if action not in ACTIONS:
        abort(404)
    session, actor = db.request_session(), web_actor()
    reservation = service.get_reservation(session, actor, reservation_id)
    form = ActionForm()
    if not form.validate_on_submit():
        return _render(reservation, form, 400)
    text = form.text.data or ""
    hold_days = current_app.config["WORKSHOP"].hold_days
    try:
        if action == "confirm":
            service.confirm_reservation(
                session, actor, reservation, hold_days=hold_days, comment=text
            )
        elif action == "refuse":
            service.refuse_reservation(session, actor, reservation, reason=text)
        elif action == "cancel":
            service.cancel_reservation(session, actor, reservation, reason=text)
        elif action in ("accept", "decline"):
            needs.answer_offer(session, actor, reservation, accept=action == "accept")
        else:
            service.hand_over(session, actor, reservation, comment=text)
    except WorkshopError as exc:
        session.rollback()
        flash(exc.message, "error")
        return _render(service.get_reservation(session, actor, reservation_id), form, exc.status)
    flash(
        _(
            "Reservation %(ref)s: %(status)s.",
            ref=service.reference(reservation),
            status=service.status_label(reservation.status),
        ),
        "info",
    )
    return redirect(url_for("reservations.detail", reservation_id=reservation.id))


@bp.route("/<int:reservation_id>/bon-de-remise.pdf")
@login_required
def receipt(reservation_id: int) -> Any:
    """The bon de remise of a handed-over reservation, as a PDF download."""
    session, actor = db.request_session(), web_actor()
    reservation = service.get_reservation(session, actor, reservation_id)
    settings = current_app.config["WORKSHOP"]
    name = issuer_name(session, settings.workshop_name)
    pdf = receipt_for(session, reservation, workshop_name=name, timezone=settings.timezone)
    name = f"bon-de-remise-{service.reference(reservation)}.pdf"
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
