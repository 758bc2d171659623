"""Security headers on every response (HTML pages, PDF downloads, API answers, static files),
and the client's address as the login throttle counts it.

The policy allows only what the templates use: scripts, styles, images and the live event
stream from this server, no inline script or style, no framing by any site. The camera is
allowed only on the pages that carry the label scanner (workshop/static/scan.js, loaded by
base.html for signed-in users); every other powerful feature is denied everywhere.
"""

from __future__ import annotations

import ipaddress

from flask import Flask, Response, current_app, request
from flask_login import current_user

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
DENIED_FEATURES = (
    "accelerometer",
    "autoplay",
    "display-capture",
    "geolocation",
    "gyroscope",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "usb",
    "serial",
    "hid",
    "bluetooth",
)
HSTS = "max-age=31536000; includeSubDomains"


def permissions_policy(camera: bool) -> str:
    """Deny every powerful feature; the camera only for this origin when `camera` is set."""
    features = [f"{name}=()" for name in DENIED_FEATURES]
    features.append("camera=(self)" if camera else "camera=()")
    return ", ".join(features)


def _carries_scanner(response: Response) -> bool:
    # base.html loads scan.js on every HTML page of a signed-in user.
    return response.mimetype == "text/html" and bool(current_user.is_authenticated)


def add_security_headers(response: Response, *, https_only: bool) -> Response:
    """Set the headers on `response`; HSTS only when the site is served over HTTPS only."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", permissions_policy(_carries_scanner(response)))
    if https_only:
        headers.setdefault("Strict-Transport-Security", HSTS)
    return response


def init_app(app: Flask) -> None:
    """Install the after_request hook; secure cookies mean HTTPS only, hence HSTS."""

    @app.after_request
    def _security_headers(response: Response) -> Response:
        https_only = current_app.config["WORKSHOP"].session_cookie_secure
        return add_security_headers(response, https_only=https_only)


def client_address() -> str:
    """The client's IP address, in canonical form.

    Behind a trusted proxy (WORKSHOP_TRUSTED_PROXIES) it is the address the proxy forwarded,
    when that is an IP address; anything else in the header (a misconfigured proxy passing on
    what the client wrote) falls back to the proxy's own address, never stored as sent.
    """
    original = request.environ.get("werkzeug.proxy_fix.orig", {}).get("REMOTE_ADDR")
    for candidate in (request.remote_addr, original):
        try:
            return str(ipaddress.ip_address(candidate or ""))
        except ValueError:
            continue
    return "?"
