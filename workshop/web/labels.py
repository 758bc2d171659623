"""Template helpers and the web actor."""

from __future__ import annotations

import json
from typing import Any

from flask import Flask
from flask_babel import get_locale
from flask_login import current_user

from workshop import agent_text, wipe_terms
from workshop.i18n import (
    CHECK_LABELS,
    COMPONENT_LABELS,
    EVENT_LABELS,
    GRADE_LABELS,
    JOB_LABELS,
    RESERVATION_LABELS,
    ROLE_LABELS,
    STATUS_LABELS,
    TYPE_LABELS,
    VERDICT_LABELS,
)
from workshop.models import Role
from workshop.services import asset_tags
from workshop.services.actors import Actor


def web_actor() -> Actor:
    """The logged-in user as an Actor."""
    return Actor(user=current_user._get_current_object())


def register_template_helpers(app: Flask) -> None:
    """Make the label maps and helpers available in every template."""

    app.jinja_env.filters["fromjson"] = json.loads
    # What a bench said, in the page's language: from its reason codes, else its text.
    app.jinja_env.filters["technique"] = wipe_terms.technique
    app.jinja_env.filters["agent_text"] = agent_text.render
    app.jinja_env.filters["agent_texts"] = agent_text.render_each
    app.jinja_env.filters["reservation_label"] = lambda r: str(RESERVATION_LABELS.get(r, r))

    @app.context_processor
    def _helpers() -> dict[str, Any]:
        return {
            "status_label": lambda s: STATUS_LABELS.get(s, s),
            "type_label": lambda t: TYPE_LABELS.get(t, t),
            "role_label": lambda r: ROLE_LABELS.get(r, r),
            "event_label": lambda k: EVENT_LABELS.get(k, k),
            "component_label": lambda k: COMPONENT_LABELS.get(k, k),
            "job_label": lambda k: JOB_LABELS.get(k, k),
            "verdict_label": lambda k: VERDICT_LABELS.get(k, k),
            "check_label": lambda k: CHECK_LABELS.get(k, k),
            "grade_label": lambda g: GRADE_LABELS.get(g, g) if g else "",
            "tag_label": asset_tags.display,
            "Role": Role,
            "get_locale": get_locale,
        }


__all__ = ["STATUS_LABELS", "TYPE_LABELS", "register_template_helpers", "web_actor"]
