"""Translation helpers and the translated names of domain values (used by services and views).

Messages are written in English and translated when built: inside a request they come out in
the request's language (French by default), outside one (CLI) in English.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from workshop.models import DeviceStatus, DeviceType, Role

__all__ = [
    "COMPONENT_LABELS",
    "EVENT_LABELS",
    "GRADE_LABELS",
    "ROLE_LABELS",
    "STATUS_LABELS",
    "TYPE_LABELS",
    "_",
    "_l",
    "status_name",
]

STATUS_LABELS = {
    DeviceStatus.RECEIVED: _l("received"),
    DeviceStatus.INVENTORIED: _l("inventoried"),
    DeviceStatus.TESTED: _l("tested"),
    DeviceStatus.WIPED: _l("wiped"),
    DeviceStatus.WIPE_FAILED: _l("wipe failed"),
    DeviceStatus.GRADED: _l("graded"),
    DeviceStatus.REFURBISHED: _l("refurbished"),
    DeviceStatus.AVAILABLE: _l("available"),
    DeviceStatus.RESERVED: _l("reserved"),
    DeviceStatus.HANDED_OVER: _l("handed over"),
    DeviceStatus.PARTS: _l("parts"),
    DeviceStatus.RECYCLED: _l("recycled"),
}

TYPE_LABELS = {
    DeviceType.LAPTOP: _l("laptop"),
    DeviceType.DESKTOP: _l("desktop"),
    DeviceType.ALL_IN_ONE: _l("all-in-one"),
    DeviceType.SERVER: _l("server"),
    DeviceType.TABLET: _l("tablet"),
    DeviceType.SMARTPHONE: _l("smartphone"),
    DeviceType.SCREEN: _l("screen"),
    DeviceType.PRINTER: _l("printer"),
    DeviceType.DISK: _l("disk"),
    DeviceType.PERIPHERAL: _l("peripheral"),
    DeviceType.OTHER: _l("other"),
}

ROLE_LABELS = {
    Role.COORDINATOR: _l("coordinator"),
    Role.TECHNICIAN: _l("technician"),
    Role.DONOR: _l("donor contact"),
    Role.ASSOCIATION: _l("association member"),
}

COMPONENT_LABELS = {
    "cpu": _l("processor"),
    "memory": _l("memory"),
    "disk": _l("disk"),
    "battery": _l("battery"),
    "gpu": _l("graphics"),
    "network": _l("network"),
}

VERDICT_LABELS = {
    "pass": _l("healthy"),
    "suspect": _l("suspect"),
    "fail": _l("failing"),
    "unavailable": _l("unknown (no SMART data)"),
}

CHECK_LABELS = {
    "passed": _l("passed"),
    "failed": _l("failed"),
    "skipped": _l("skipped"),
    "aborted": _l("aborted"),
    "timeout": _l("timed out"),
    "interrupted": _l("interrupted"),
}

# A suggested grade (agents/diagnostics/grading_rules.json): A, B, C read the same everywhere.
GRADE_LABELS = {
    "parts": _l("parts"),
    "recycle": _l("to recycle"),
}

JOB_LABELS = {
    "queued": _l("queued"),
    "printed": _l("printed"),
    "failed": _l("failed"),
    "cancelled": _l("cancelled"),
}

EVENT_LABELS = {
    "device.received": _l("Received"),
    "device.status_changed": _l("Status changed"),
    "donation.received": _l("Donation received"),
    "device.inventoried": _l("Inventory"),
    "device.diagnosed": _l("Diagnostic"),
    "device.graded": _l("Grade"),
    "component.added": _l("Component added"),
    "component.removed": _l("Component removed"),
    "wipe.recorded": _l("Wipe recorded"),
    "wipe.validated": _l("Wipe validated"),
    "disk.destroyed": _l("Drive destroyed"),
    "device.recycling_exit": _l("Sent to recycling"),
    "document.issued": _l("Document issued"),
    "document.revoked": _l("Document revoked"),
    "wipe.requested": _l("Wipe asked of a bench"),
    "diagnose.requested": _l("Disk diagnostic asked of a bench"),
    "machine.requested": _l("Machine diagnostic asked of a bench"),
    "device.erasure_incomplete": _l("A drive is not erased"),
    "device.drives_declared": _l("Drives counted in the case"),
}

# What happened to one drive of a device (workshop/services/erasure_state.py).
DRIVE_OUTCOMES = {
    "erased": _l("erased"),
    "erased_with_reservations": _l("erased with reservations (accepted by the workshop)"),
    "reserved": _l("erased with reservations (not accepted: wipe again)"),
    "destroyed": _l("destroyed"),
    "failed": _l("wipe failed"),
    "interrupted": _l("wipe interrupted"),
    "not_wiped": _l("not wiped yet"),
}

# The reservations a wipe record may name (atelier_protocol/wipe.py).
RESERVATION_LABELS = {
    "hidden_sectors_not_erased": _l("hidden sectors not erased"),
    "sampled_verification": _l("sampled verification"),
}


def status_name(status: DeviceStatus | str) -> str:
    """The translated name of a device status."""
    return str(STATUS_LABELS.get(DeviceStatus(status), status))
