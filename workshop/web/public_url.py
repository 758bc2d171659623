"""The address people reach the workshop at, for QR codes, labels and documents' links."""

from __future__ import annotations

from flask import current_app, request


def public_base_url() -> str:
    """WORKSHOP_PUBLIC_BASE_URL, or (development and tests) the address this request came to.

    Production refuses to start without the setting (workshop/settings.py): a Host header is
    written by the client, and a signed document must not carry an address someone chose.
    """
    configured = str(current_app.config["WORKSHOP"].public_base_url).rstrip("/")
    return configured or request.host_url.rstrip("/")
