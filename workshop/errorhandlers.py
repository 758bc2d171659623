"""Turn errors into JSON for the API and into a page for people, never into a bare 500."""

from __future__ import annotations

from typing import Any

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from workshop.errors import WorkshopError

HTTP_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    429: "too_many_attempts",
}


def _generic_description(status: int) -> str:
    """Our words for an HTTP error (Werkzeug's default descriptions are English only)."""
    texts = {
        400: _("The request is not valid."),
        401: _("Log in to see this page."),
        403: _("You are not allowed to see this page."),
        404: _("This page does not exist, or no longer."),
        405: _("This address does not take this kind of request."),
        413: _("What was sent is too large."),
        429: _("Too many requests: wait a little before trying again."),
    }
    return texts.get(status, _("The request could not be served."))


def _description(exc: HTTPException) -> str:
    # A description given where the error was raised is ours (translated there); Werkzeug's
    # class default is replaced by ours.
    if exc.description and exc.description != type(exc).description:
        return exc.description
    return _generic_description(exc.code or 400)


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def _json_error(code: str, message: str, status: int, field: str | None = None) -> Any:
    return jsonify({"error": {"code": code, "message": message, "field": field}}), status


def register_error_handlers(app: Flask) -> None:
    """Install the handlers on the app."""

    @app.errorhandler(WorkshopError)
    def _workshop_error(exc: WorkshopError) -> Any:
        if _wants_json():
            return jsonify(exc.to_dict()), exc.status
        return render_template("error.html", message=exc.message, status=exc.status), exc.status

    @app.errorhandler(CSRFError)
    def _csrf_error(exc: CSRFError) -> Any:
        message = _("The form expired or was not sent from this site: reload the page and retry.")
        return render_template("error.html", message=message, status=400), 400

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> Any:
        status = exc.code or 500
        if status >= 500:
            # An internal error: answer without templates, which may be what failed.
            app.logger.error("internal error on %s %s", request.method, request.path)
            if _wants_json():
                return _json_error("internal", "internal error", status)
            return "<h1>500</h1><p>Erreur interne / internal error</p>", status
        # The exception's own headers travel with the answer (Allow on a 405, Retry-After...).
        headers = [(k, v) for k, v in exc.get_headers() if k.lower() != "content-type"]
        if _wants_json():
            body, code = _json_error(HTTP_CODES.get(status, "error"), _description(exc), status)
            return body, code, headers
        return (
            render_template("error.html", message=_description(exc), status=status),
            status,
            headers,
        )
