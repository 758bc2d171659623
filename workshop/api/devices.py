"""API: devices, their history and lifecycle transitions."""

from __future__ import annotations

from sqlmodel import Session

from workshop.api import bp
from workshop.api.registry import operation
from workshop.api.schemas import DeviceOut, DevicePage, DeviceQuery, EventOut, TransitionIn
from workshop.services import devices as device_service
from workshop.services.actors import Actor
from workshop.services.events import event_data


@operation(bp, "/devices", "GET", summary="List devices", query=DeviceQuery, response=DevicePage)
def list_devices(session: Session, actor: Actor, query: DeviceQuery) -> DevicePage:
    """Devices visible to the caller, filtered."""
    filters = device_service.DeviceFilters(
        status=query.status, type=query.type, donation_id=query.donation_id, search=query.q
    )
    rows, total = device_service.list_devices(
        session, actor, filters, limit=query.limit, offset=query.offset
    )
    return DevicePage(total=total, items=[DeviceOut.of(d) for d in rows])


@operation(bp, "/devices/<tag>", "GET", summary="One device by asset tag", response=DeviceOut)
def get_device(session: Session, actor: Actor, tag: str) -> DeviceOut:
    """A device by its asset tag (hyphens and case do not matter)."""
    return DeviceOut.of(device_service.get_device(session, actor, tag))


@operation(
    bp, "/devices/<tag>/events", "GET", summary="A device's history", response=EventOut, many=True
)
def device_events(session: Session, actor: Actor, tag: str) -> list[EventOut]:
    """The device's events, oldest first."""
    device = device_service.get_device(session, actor, tag)
    return [
        EventOut.model_validate({**e.model_dump(), "data": event_data(e)})
        for e in device_service.device_events(session, device)
    ]


@operation(
    bp,
    "/devices/<tag>/transitions",
    "POST",
    summary="Move a device along its lifecycle",
    body=TransitionIn,
    response=DeviceOut,
)
def transition(session: Session, actor: Actor, tag: str, body: TransitionIn) -> DeviceOut:
    """Change the device's status; illegal moves get 409 naming both states."""
    device = device_service.get_device(session, actor, tag)
    device_service.transition_device(session, actor, device, body.status, reason=body.reason)
    return DeviceOut.of(device)
