"""API: verify a signed PDF or an envelope alone; list a donation's documents and wipes."""

from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime
from typing import Annotated, Any

from flask import current_app
from pydantic import Field, StringConstraints, field_validator
from sqlmodel import Session

from workshop.api import bp
from workshop.api.registry import operation
from workshop.api.schemas import Input, Output
from workshop.errors import ValidationFailed
from workshop.services import devices as device_service
from workshop.services import documents as doc_service
from workshop.services import donations as donation_service
from workshop.services import wipes as wipe_service
from workshop.services.actors import Actor, require_staff
from workshop.services.canonical import canonical_json
from workshop.services.documents.common import issuer_name
from workshop.services.erasure_state import erasure_state
from workshop.services.signing import KeyRing


class EnvelopeIn(Input):
    """The signature block embedded in a document (attachment atelier-signature.json)."""

    key_id: Annotated[str, StringConstraints(max_length=64)]
    # The signed facts as a JSON object; the signature covers its canonical form.
    payload: dict[str, Any]
    signature: Annotated[str, StringConstraints(max_length=200)]


BASE64_PATTERN = r"^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$"


class PdfIn(Input):
    """A document's PDF file, base64-encoded (the whole file: its PDF signature covers it)."""

    # About 9 MB of PDF, under the request limit (a 500-drive certificate is ~90 KB).
    pdf: Annotated[
        str,
        StringConstraints(min_length=1, max_length=12_000_000),
        # Checked by the decoder (its own message), stated here for clients.
        Field(json_schema_extra={"pattern": BASE64_PATTERN}),
    ]


class VerdictOut(Output):
    status: str
    reason: str
    uid: str | None
    payload: dict[str, Any] | None


class DocumentOut(Output):
    uid: str
    kind: str
    subject: str
    key_id: str
    payload_hash: str
    issued_at: datetime
    revoked_at: datetime | None
    revoked_reason: str | None


class WipeOut(Output):
    id: int
    wipe_uid: str
    result: str
    disk_model: str | None
    disk_serial: str | None
    disk_size_bytes: int
    method: str
    technique: str
    tool: str
    tool_version: str
    passes: int
    verification_mode: str
    verification_result: str
    started_at: datetime
    ended_at: datetime | None
    validated_by: str | None
    validated_at: datetime | None
    reservations: list[str] = []

    @field_validator("reservations", mode="before")
    @classmethod
    def _from_json(cls, value: Any) -> Any:
        return json.loads(value) if isinstance(value, str) else value


class DriveOut(Output):
    """One drive of a device and what happened to it (per-disk truth)."""

    model: str
    serial: str
    size_bytes: int
    outcome: str
    accepted: bool
    reservations: list[str]
    from_inventory: bool
    declared: bool
    wipe_record_id: int | None


class DrivesOut(Output):
    complete: bool
    drives_declared: int | None
    drives: list[DriveOut]


class DrivesDeclaredIn(Input):
    count: Annotated[int, Field(ge=0, le=32)]


def _ring(session: Session) -> KeyRing:
    settings = current_app.config["WORKSHOP"]
    name = issuer_name(session, settings.workshop_name)
    return KeyRing(settings.instance_path / "keys", name)


@operation(
    bp,
    "/documents/verification",
    "POST",
    summary="Verify a document's signature block alone (not the PDF around it)",
    body=EnvelopeIn,
    response=VerdictOut,
    public=True,
)
def verify_document(session: Session, body: EnvelopeIn) -> VerdictOut:
    """valid / invalid / revoked, with the signed content when the signature holds."""
    try:
        text = canonical_json(body.payload)
    except TypeError:
        raise ValidationFailed(
            "payload: numbers must be integers (no document payload holds a float)",
            field="payload",
        ) from None
    envelope = {"key_id": body.key_id, "signature": body.signature, "payload": text}
    return _out(doc_service.verify_signed(session, _ring(session), envelope))


@operation(
    bp,
    "/documents/pdf-verification",
    "POST",
    summary="Verify a signed PDF document (its PDF signature, signed content and binding)",
    body=PdfIn,
    response=VerdictOut,
    public=True,
)
def verify_pdf_document(session: Session, body: PdfIn) -> VerdictOut:
    """valid / invalid / revoked for a whole PDF file, as the /verify upload answers."""
    try:
        data = base64.b64decode(body.pdf, validate=True)
    except (binascii.Error, ValueError):
        raise ValidationFailed("pdf: not base64 text", field="pdf") from None
    return _out(doc_service.verify_pdf(session, _ring(session), data))


def _out(verdict: doc_service.Verdict) -> VerdictOut:
    return VerdictOut(
        status=verdict.status,
        reason=str(verdict.reason),
        uid=verdict.document.uid if verdict.document else None,
        payload=verdict.payload,
    )


@operation(
    bp,
    "/donations/<int:donation_id>/documents",
    "GET",
    summary="Documents issued for a donation",
    response=DocumentOut,
    many=True,
)
def donation_documents(session: Session, actor: Actor, donation_id: int) -> list[DocumentOut]:
    """Every document issued for the donation, newest first."""
    donation = donation_service.get_donation(session, actor, donation_id)
    return [
        DocumentOut.model_validate(d) for d in doc_service.documents_of_donation(session, donation)
    ]


@operation(
    bp,
    "/devices/<tag>/wipes",
    "GET",
    summary="Wipe records of a device",
    response=WipeOut,
    many=True,
)
def device_wipes(session: Session, actor: Actor, tag: str) -> list[WipeOut]:
    """Every wipe attempt on the device's drives (workshop staff)."""
    require_staff(actor)
    device = device_service.get_device(session, actor, tag)
    return [WipeOut.model_validate(w) for w in wipe_service.device_wipes(session, device)]


@operation(
    bp,
    "/devices/<tag>/drives",
    "GET",
    summary="Each drive of a device and whether it is erased",
    response=DrivesOut,
)
def device_drives(session: Session, actor: Actor, tag: str) -> DrivesOut:
    """The drives known for the device (inventory, wipe records, count), each with its outcome."""
    require_staff(actor)
    return _drives_out(session, device_service.get_device(session, actor, tag))


@operation(
    bp,
    "/devices/<tag>/drives",
    "PUT",
    summary="Record how many drives a person counted in the device",
    body=DrivesDeclaredIn,
    response=DrivesOut,
)
def put_drives_declared(
    session: Session, actor: Actor, tag: str, body: DrivesDeclaredIn
) -> DrivesOut:
    """The device is wiped only once at least that many drives are erased or destroyed."""
    require_staff(actor)
    device = device_service.get_device(session, actor, tag)
    wipe_service.declare_drives(session, actor, device, body.count)
    return _drives_out(session, device)


def _drives_out(session: Session, device: Any) -> DrivesOut:
    state = erasure_state(session, device)
    drives = [
        DriveOut(
            model=d.model,
            serial=d.serial,
            size_bytes=d.size_bytes,
            outcome=d.outcome,
            accepted=d.accepted,
            reservations=list(d.reservations),
            from_inventory=d.from_inventory,
            declared=d.declared,
            wipe_record_id=d.record.id if d.record else None,
        )
        for d in state.drives
    ]
    return DrivesOut(complete=state.complete, drives_declared=device.drives_declared, drives=drives)
