"""A request hook that refuses control characters in query strings, paths and forms.

Pages and API alike: one check before any view, so a NUL byte never reaches PostgreSQL (which
refuses it with an error) nor SQLite (which would store it), and both answer the same 400.
JSON bodies are checked where the API parses them (workshop/api/registry.py).
"""

from __future__ import annotations

from flask import Flask, request
from flask_babel import gettext as _

from workshop.errors import RefusedInput
from workshop.input_policy import check_texts


def install(app: Flask) -> None:
    """Check every request's texts before its view (and before the CSRF check reads the form)."""
    app.before_request_funcs.setdefault(None, []).insert(0, refuse_control_characters)


def refuse_control_characters() -> None:
    """Raise RefusedInput naming the first field whose text holds a control character."""
    try:
        check_texts(request.args.items(multi=True), multiline=False)
        check_texts(((k, str(v)) for k, v in (request.view_args or {}).items()), multiline=False)
        if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
            check_texts(request.form.items(multi=True), multiline=True)
    except RefusedInput as exc:
        if request.path.startswith("/api/"):
            raise
        message = _(
            "The field “%(field)s” holds a control character (%(character)s), which is not"
            " allowed.",
            field=exc.field or "?",
            character=exc.details.get("character", "?"),
        )
        raise RefusedInput(message, field=exc.field, **exc.details) from None
