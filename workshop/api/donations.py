"""API: donations and their items."""

from __future__ import annotations

from sqlmodel import Session

from workshop.api import bp
from workshop.api.registry import operation
from workshop.api.schemas import DeviceOut, DonationDetail, DonationIn, DonationOut, ItemIn, ItemsIn
from workshop.models import Donation
from workshop.services import donations as donation_service
from workshop.services.actors import Actor


def _lines(items: list[ItemIn]) -> list[donation_service.ItemLine]:
    return [
        donation_service.ItemLine(
            type=i.type, count=i.count, serials=list(i.serials), vendor=i.vendor, model=i.model
        )
        for i in items
    ]


def _detail(session: Session, donation: Donation) -> DonationDetail:
    devices = donation_service.donation_devices(session, donation)
    return DonationDetail.model_validate(
        {
            **donation.model_dump(),
            "device_count": len(devices),
            "devices": [DeviceOut.of(d) for d in devices],
        }
    )


@operation(bp, "/donations", "GET", summary="List donations", response=DonationOut, many=True)
def list_donations(session: Session, actor: Actor) -> list[DonationOut]:
    """Donations visible to the caller (a donor sees only its own)."""
    return [
        DonationOut.model_validate({**d.model_dump(), "device_count": n})
        for d, n in donation_service.list_donations(session, actor)
    ]


@operation(
    bp,
    "/donations",
    "POST",
    summary="Record a donation with its items",
    body=DonationIn,
    response=DonationDetail,
    status=201,
)
def create_donation(session: Session, actor: Actor, body: DonationIn) -> DonationDetail:
    """Intake: the donation and one device per item."""
    donation = donation_service.create_donation(
        session,
        actor,
        donor_id=body.donor_id,
        received_on=body.received_on,
        place=body.place,
        notes=body.notes,
        items=_lines(body.items),
    )
    return _detail(session, donation)


@operation(
    bp, "/donations/<int:donation_id>", "GET", summary="One donation", response=DonationDetail
)
def get_donation(session: Session, actor: Actor, donation_id: int) -> DonationDetail:
    """A donation with its devices."""
    return _detail(session, donation_service.get_donation(session, actor, donation_id))


@operation(
    bp,
    "/donations/<int:donation_id>/items",
    "POST",
    summary="Add items to a donation",
    body=ItemsIn,
    response=DonationDetail,
    status=201,
)
def add_items(session: Session, actor: Actor, donation_id: int, body: ItemsIn) -> DonationDetail:
    """More devices for an existing donation."""
    donation = donation_service.get_donation(session, actor, donation_id)
    donation_service.add_items(session, actor, donation, _lines(body.items))
    return _detail(session, donation)
