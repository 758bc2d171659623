"""SQLModel tables of the workshop; importing this package registers every table."""

from workshop.models.accounts import ApiToken, LoginFailure, Role, User
from workshop.models.benches import Bench, BenchRecord, BenchTask, EnrollmentCode, SiteSecret
from workshop.models.devices import Component, ComponentKind, Device, DeviceType, Grade
from workshop.models.documents import (
    DocumentKind,
    IssuedDocument,
    IssuedDocumentFile,
    RecyclingExit,
)
from workshop.models.donations import Donation
from workshop.models.events import Event, EventChainHead
from workshop.models.labels import LabelJob, LabelJobStatus, Printer
from workshop.models.lifecycle import DeviceStatus
from workshop.models.organisations import (
    Organisation,
    OrganisationKind,
    OrganisationLogo,
    PublicInterest,
)
from workshop.models.reservations import (
    Need,
    NeedStatus,
    Notification,
    Reservation,
    ReservationItem,
    ReservationStatus,
)
from workshop.models.wipes import WipeRecord, WipeResult

__all__ = [
    "ApiToken",
    "Bench",
    "BenchRecord",
    "BenchTask",
    "Component",
    "ComponentKind",
    "Device",
    "DeviceStatus",
    "DeviceType",
    "DocumentKind",
    "Donation",
    "EnrollmentCode",
    "SiteSecret",
    "Event",
    "EventChainHead",
    "Grade",
    "IssuedDocument",
    "IssuedDocumentFile",
    "LabelJob",
    "LabelJobStatus",
    "LoginFailure",
    "Organisation",
    "OrganisationKind",
    "OrganisationLogo",
    "PublicInterest",
    "Need",
    "NeedStatus",
    "Notification",
    "Printer",
    "Reservation",
    "ReservationItem",
    "ReservationStatus",
    "RecyclingExit",
    "Role",
    "User",
    "WipeRecord",
    "WipeResult",
]
