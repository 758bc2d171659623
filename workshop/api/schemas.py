"""Input and output models of the JSON API."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from atelier_protocol.reasons import Message
from atelier_protocol.snapshot import DiskInfo
from workshop.models import DeviceStatus, DeviceType, OrganisationKind
from workshop.services import asset_tags

Short = Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)]
# Row ids are INTEGER columns: PostgreSQL refuses a larger number with an error, not "not found".
RowId = Annotated[int, Field(ge=1, le=2**31 - 1)]

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_RFC3339 = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?"
    r"([Zz]|[+-][0-9]{2}:[0-9]{2})"
)


def _text_shaped(pattern: re.Pattern[str], shape: str, parse: Any) -> Any:
    """Only a text of the stated form, parsed here: never 0 as 1970-01-01, nor a naive time."""

    def check(value: Any) -> Any:
        if isinstance(value, str) and pattern.fullmatch(value):
            try:
                return parse(value)
            except ValueError:
                pass
        raise ValueError(f"must be a text of the form {shape}")

    return BeforeValidator(check)


# Dates and times as the OpenAPI document states them (format date / date-time, RFC 3339).
IsoDate = Annotated[date, _text_shaped(_ISO_DATE, "YYYY-MM-DD", date.fromisoformat)]
IsoDateTime = Annotated[
    datetime,
    _text_shaped(
        _RFC3339, "YYYY-MM-DDThh:mm:ss with an offset (Z or +hh:mm)", datetime.fromisoformat
    ),
]
# An asset tag as a client may type it: 9 Crockford symbols (any case, I/L/O read as 1/1/0),
# hyphens or spaces anywhere; the last symbol is the check symbol. The server still checks it.
TAG_PATTERN = r"^[- ]*(?:[0-9A-TV-Za-tv-z][- ]*){8}[0-9A-Za-z*~$=][- ]*$"
AssetTagText = Annotated[str, StringConstraints(pattern=TAG_PATTERN)]


class Input(BaseModel):
    """Inputs refuse unknown fields so a typo is reported, not ignored."""

    model_config = ConfigDict(extra="forbid")


class ItemIn(Input):
    type: DeviceType
    count: int = Field(default=1, ge=1, le=500)
    serials: list[Short] = Field(default_factory=list, max_length=500)
    vendor: Short | None = None
    model: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] | None = None


class ItemsIn(Input):
    items: list[ItemIn] = Field(min_length=1, max_length=50)


class DonationIn(ItemsIn):
    donor_id: RowId
    received_on: IsoDate
    place: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    notes: Annotated[str, StringConstraints(max_length=2000)] = ""


class TransitionIn(Input):
    status: DeviceStatus
    reason: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] = ""


class HeartbeatIn(Input):
    agent_version: Annotated[str, StringConstraints(max_length=50)] | None = None


class DeviceQuery(Input):
    status: DeviceStatus | None = None
    type: DeviceType | None = None
    donation_id: int | None = Field(default=None, ge=1, le=2**31 - 1)
    q: Annotated[str, StringConstraints(max_length=100)] = ""
    limit: int = Field(default=100, ge=1, le=500)
    offset: int = Field(default=0, ge=0, le=2**31 - 1)


class OrganisationQuery(Input):
    kind: OrganisationKind | None = None


class Output(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class DeviceOut(Output):
    asset_tag: str
    label: str
    type: str
    vendor: str | None
    model: str | None
    serial: str | None
    serial_placeholder: bool
    product_uuid: str | None
    grade: str | None
    status: str
    weight_kg: float | None
    donation_id: int | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, device: Any) -> DeviceOut:
        fields = {name: getattr(device, name) for name in cls.model_fields if name != "label"}
        return cls.model_validate({**fields, "label": asset_tags.display(device.asset_tag)})


class DevicePage(Output):
    total: int
    items: list[DeviceOut]


class EventOut(Output):
    seq: int | None  # None until the sealer chains it, just after commit
    kind: str
    device_id: int | None
    donation_id: int | None
    data: dict[str, Any]
    actor: str
    bench_id: int | None
    created_at: datetime
    hash: str | None


class DonationOut(Output):
    id: int
    reference: str
    donor_id: int
    received_on: date
    place: str
    notes: str
    device_count: int = 0


class DonationDetail(DonationOut):
    devices: list[DeviceOut]


class OrganisationOut(Output):
    id: int
    kind: str
    name: str
    city: str | None


class BenchOut(Output):
    id: int
    name: str
    location: str | None
    active: bool
    agent_version: str | None
    last_seen_at: datetime | None
    disks: list[dict[str, Any]] = []
    disks_observed_at: datetime | None = None

    @classmethod
    def of(cls, bench: Any) -> BenchOut:
        import json

        fields = {name: getattr(bench, name) for name in cls.model_fields if name != "disks"}
        return cls.model_validate({**fields, "disks": json.loads(bench.disks or "[]")})


class MeOut(Output):
    kind: str
    role: str | None
    organisation_id: int | None
    bench_id: int | None


class HealthOut(Output):
    status: str
    version: str


class ErrorBody(Output):
    code: str
    message: str
    field: str | None


class ErrorOut(Output):
    error: ErrorBody


class EnrollIn(Input):
    code: Annotated[str, StringConstraints(strip_whitespace=True, min_length=4, max_length=20)]
    hostname: Annotated[str, StringConstraints(max_length=100)] | None = None
    agent_version: Annotated[str, StringConstraints(max_length=50)] | None = None


class SiteEnrollIn(Input):
    secret: Annotated[str, StringConstraints(strip_whitespace=True, min_length=16, max_length=40)]
    hostname: Annotated[str, StringConstraints(max_length=100)] | None = None
    agent_version: Annotated[str, StringConstraints(max_length=50)] | None = None


class EnrollOut(Output):
    bench_id: int
    bench_name: str
    token: str
    # Where people reach the workshop (QR codes shown by a booted PC point there).
    public_url: str | None = None


class RecordIn(Input):
    idempotency_key: Annotated[
        str, StringConstraints(min_length=8, max_length=100, pattern=r"^[A-Za-z0-9._:-]+$")
    ]
    kind: Annotated[str, StringConstraints(min_length=1, max_length=50)]
    payload: dict[str, Any]
    created_at: IsoDateTime | None = None
    asset_tag: AssetTagText | None = None


class RecordOut(Output):
    status: str
    kind: str
    result: dict[str, Any]


class RecordSummary(Output):
    id: int
    idempotency_key: str
    kind: str
    device_id: int | None
    needs_binding: bool
    created_at: datetime


class BenchDiskIn(DiskInfo):
    """A disk the bench sees, with the reasons it protects it (system disk, mounted, policy)."""

    protected: list[Annotated[str, StringConstraints(max_length=300)]] = Field(
        default_factory=list, max_length=20
    )
    # The same reasons as codes, rendered in the reader's language (absent from agent 0.1).
    protected_reasons: list[Message] = Field(default_factory=list, max_length=20)


class DisksIn(Input):
    observed_at: IsoDateTime
    disks: list[BenchDiskIn] = Field(max_length=256)


class DisksOut(Output):
    count: int


class BindIn(Input):
    asset_tag: AssetTagText
