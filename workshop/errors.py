"""The server's error hierarchy: each error carries a stable code, an HTTP status and the field."""

from __future__ import annotations

from typing import Any


class WorkshopError(Exception):
    """Base of every error the server reports to a user or a client."""

    code = "error"
    status = 400

    def __init__(self, message: str, *, field: str | None = None, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.details = details

    def to_dict(self) -> dict[str, Any]:
        """The JSON error body of the API."""
        body: dict[str, Any] = {"code": self.code, "message": self.message, "field": self.field}
        if self.details:
            body["details"] = self.details
        return {"error": body}


class ValidationFailed(WorkshopError):
    code = "invalid"
    status = 422


class MalformedRequest(WorkshopError):
    code = "malformed_json"
    status = 400


class NotFound(WorkshopError):
    code = "not_found"
    status = 404


class Conflict(WorkshopError):
    code = "conflict"
    status = 409


class IllegalTransition(WorkshopError):
    code = "illegal_transition"
    status = 409


class NotAuthenticated(WorkshopError):
    code = "not_authenticated"
    status = 401


class Forbidden(WorkshopError):
    code = "forbidden"
    status = 403


class TooManyAttempts(WorkshopError):
    code = "too_many_attempts"
    status = 429


class RefusedInput(WorkshopError):
    """Input breaking the edge policy (workshop/input_policy.py); `details.rule` names the rule."""

    code = "refused_input"
    status = 400
