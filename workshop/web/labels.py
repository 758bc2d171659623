"""Translated names of domain values, and template helpers."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from workshop.models import DeviceStatus, DeviceType, Role
from workshop.services import asset_tags
from workshop.services.actors import Actor

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

EVENT_LABELS = {
    "device.received": _l("Received"),
    "device.status_changed": _l("Status changed"),
    "donation.received": _l("Donation received"),
}


def web_actor() -> Actor:
    """The logged-in user as an Actor."""
    return Actor(user=current_user._get_current_object())


def register_template_helpers(app: Flask) -> None:
    """Make the label maps and helpers available in every template."""

    @app.context_processor
    def _helpers() -> dict[str, Any]:
        return {
            "status_label": lambda s: STATUS_LABELS.get(s, s),
            "type_label": lambda t: TYPE_LABELS.get(t, t),
            "role_label": lambda r: ROLE_LABELS.get(r, r),
            "event_label": lambda k: EVENT_LABELS.get(k, k),
            "tag_label": asset_tags.display,
            "Role": Role,
            "get_locale": get_locale,
        }
