"""API: the catalogue of available devices and reservations (reserve, decide, cancel, hand over)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from flask import current_app
from pydantic import Field, StrictBool, StringConstraints
from sqlmodel import Session

from workshop.api import bp
from workshop.api.registry import operation
from workshop.api.schemas import AssetTagText, DeviceOut, Input, Output, RowId
from workshop.models import DeviceType, Grade, Need, Reservation, ReservationStatus
from workshop.services import catalogue as catalogue_service
from workshop.services import needs as need_service
from workshop.services import reservations as service
from workshop.services.actors import Actor


class CatalogueQuery(Input):
    type: DeviceType | None = None
    min_ram_gb: float | None = Field(default=None, ge=0, le=4096)
    min_storage_gb: int | None = Field(default=None, ge=0, le=100_000)
    storage_kind: Annotated[str, StringConstraints(pattern=r"^(ssd|hdd|emmc)$")] | None = None
    cpu: Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)] = ""
    grade: Grade | None = None
    max_battery_wear: float | None = Field(default=None, ge=0, le=100)


class SpecCardOut(Output):
    device: DeviceOut
    cpu: str | None
    ram_gb: float
    storage_gb: int
    storage_kinds: list[str]
    battery_wear_percent: float | None


class ReserveIn(Input):
    asset_tags: list[AssetTagText] = Field(min_length=1, max_length=service.MAX_DEVICES)
    organisation_id: RowId | None = None
    note: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] = ""


class RefuseIn(Input):
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]


class CommentIn(Input):
    comment: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] = ""


class CancelIn(Input):
    reason: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] = ""


class ReservationQuery(Input):
    status: ReservationStatus | None = None


class ReservationOut(Output):
    id: int
    reference: str
    organisation_id: int
    status: str
    note: str
    expires_at: datetime
    decided_at: datetime | None
    decision_reason: str
    handed_over_at: datetime | None
    created_at: datetime
    devices: list[DeviceOut]


def _out(session: Session, reservation: Reservation) -> ReservationOut:
    devices = service.reservation_devices(session, reservation)
    return ReservationOut.model_validate(
        {
            **reservation.model_dump(exclude={"status"}),
            "status": str(reservation.status),
            "reference": service.reference(reservation),
            "devices": [DeviceOut.of(d) for d in devices],
        }
    )


def _hold_days() -> int:
    return int(current_app.config["WORKSHOP"].hold_days)


@operation(
    bp,
    "/catalogue",
    "GET",
    summary="Available devices with their specs",
    query=CatalogueQuery,
    response=SpecCardOut,
    many=True,
)
def catalogue(session: Session, actor: Actor, query: CatalogueQuery) -> list[SpecCardOut]:
    """Available devices matching the filters, with a spec card each."""
    service.expire_holds(session)  # lapsed holds return to the catalogue on access
    filters = catalogue_service.CatalogueFilters(**query.model_dump())
    return [
        SpecCardOut(
            device=DeviceOut.of(card.device),
            cpu=card.cpu,
            ram_gb=card.ram_gb,
            storage_gb=card.storage_gb,
            storage_kinds=card.storage_kinds,
            battery_wear_percent=card.battery_wear_percent,
        )
        for card in catalogue_service.browse_catalogue(session, actor, filters)
    ]


@operation(
    bp,
    "/reservations",
    "GET",
    summary="List reservations (an association sees its own)",
    query=ReservationQuery,
    response=ReservationOut,
    many=True,
)
def list_reservations(
    session: Session, actor: Actor, query: ReservationQuery
) -> list[ReservationOut]:
    """Reservations visible to the caller, newest first."""
    service.expire_holds(session)
    rows = service.list_reservations(session, actor, status=query.status)
    return [_out(session, r) for r in rows]


@operation(
    bp,
    "/reservations",
    "POST",
    summary="Reserve available devices (409 already_reserved if one is taken)",
    body=ReserveIn,
    response=ReservationOut,
    status=201,
)
def reserve(session: Session, actor: Actor, body: ReserveIn) -> ReservationOut:
    """Hold the devices for the caller's association (a coordinator names the association)."""
    reservation = service.reserve_devices(
        session,
        actor,
        asset_tags=list(body.asset_tags),
        organisation_id=body.organisation_id,
        note=body.note,
        hold_days=_hold_days(),
    )
    return _out(session, reservation)


@operation(
    bp,
    "/reservations/<int:reservation_id>",
    "GET",
    summary="One reservation",
    response=ReservationOut,
)
def get_reservation(session: Session, actor: Actor, reservation_id: int) -> ReservationOut:
    """A reservation the caller may see."""
    return _out(session, service.get_reservation(session, actor, reservation_id))


@operation(
    bp,
    "/reservations/<int:reservation_id>/confirm",
    "POST",
    summary="Confirm a pending reservation (coordinator), e.g. with a pick-up slot",
    body=CommentIn,
    response=ReservationOut,
)
def confirm(session: Session, actor: Actor, reservation_id: int, body: CommentIn) -> ReservationOut:
    """Confirm: the devices stay held until collected."""
    reservation = service.get_reservation(session, actor, reservation_id)
    service.confirm_reservation(
        session, actor, reservation, hold_days=_hold_days(), comment=body.comment
    )
    return _out(session, reservation)


@operation(
    bp,
    "/reservations/<int:reservation_id>/refuse",
    "POST",
    summary="Refuse a reservation with a reason (coordinator)",
    body=RefuseIn,
    response=ReservationOut,
)
def refuse(session: Session, actor: Actor, reservation_id: int, body: RefuseIn) -> ReservationOut:
    """Refuse: the devices return to the catalogue."""
    reservation = service.get_reservation(session, actor, reservation_id)
    service.refuse_reservation(session, actor, reservation, reason=body.reason)
    return _out(session, reservation)


@operation(
    bp,
    "/reservations/<int:reservation_id>/cancel",
    "POST",
    summary="Cancel a reservation before handover",
    body=CancelIn,
    response=ReservationOut,
)
def cancel(session: Session, actor: Actor, reservation_id: int, body: CancelIn) -> ReservationOut:
    """Cancel: the devices return to the catalogue."""
    reservation = service.get_reservation(session, actor, reservation_id)
    service.cancel_reservation(session, actor, reservation, reason=body.reason)
    return _out(session, reservation)


@operation(
    bp,
    "/reservations/<int:reservation_id>/handover",
    "POST",
    summary="Record the handover of a reservation (coordinator)",
    body=CommentIn,
    response=ReservationOut,
)
def handover(
    session: Session, actor: Actor, reservation_id: int, body: CommentIn
) -> ReservationOut:
    """The devices become handed over to the association."""
    reservation = service.get_reservation(session, actor, reservation_id)
    service.hand_over(session, actor, reservation, comment=body.comment)
    return _out(session, reservation)


class NeedIn(Input):
    device_type: DeviceType
    quantity: int = Field(ge=1, le=100)
    min_ram_gb: int | None = Field(default=None, ge=0, le=4096)
    min_storage_gb: int | None = Field(default=None, ge=0, le=100_000)
    ssd_only: StrictBool = False
    note: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] = ""
    organisation_id: RowId | None = None


class NeedOut(Output):
    id: int
    organisation_id: int
    device_type: str
    quantity: int
    min_ram_gb: int | None
    min_storage_gb: int | None
    ssd_only: bool
    note: str
    status: str
    created_at: datetime


class AnswerIn(Input):
    accept: StrictBool


def _need_out(need: Need) -> NeedOut:
    return NeedOut.model_validate(
        {**need.model_dump(exclude={"status"}), "status": str(need.status)}
    )


@operation(
    bp, "/needs", "GET", summary="Needs (an association sees its own)", response=NeedOut, many=True
)
def list_needs(session: Session, actor: Actor) -> list[NeedOut]:
    """Needs visible to the caller, oldest first."""
    return [_need_out(n) for n in need_service.list_needs(session, actor)]


@operation(
    bp,
    "/needs",
    "POST",
    summary="Post a need; matching available devices are offered at once (oldest need first)",
    body=NeedIn,
    response=NeedOut,
    status=201,
)
def create_need(session: Session, actor: Actor, body: NeedIn) -> NeedOut:
    """Record what the association needs and offer what is available."""
    need = need_service.create_need(session, actor, **body.model_dump())
    need_service.match_needs(session, hold_days=_hold_days())
    return _need_out(need)


@operation(
    bp,
    "/offers/<int:offer_id>/answer",
    "POST",
    summary="Accept or decline devices offered for a need",
    body=AnswerIn,
    response=ReservationOut,
)
def answer_offer(session: Session, actor: Actor, offer_id: int, body: AnswerIn) -> ReservationOut:
    """Accept (a pending reservation) or decline (the devices go back) an offer."""
    offer = service.get_reservation(session, actor, offer_id)
    need_service.answer_offer(session, actor, offer, accept=body.accept)
    return _out(session, offer)
