"""Errors of the wire protocol: one base class, carrying a message and details.

Independent of the agent's and the server's own errors: both sides import this package, and
neither may pull the other in. The shape (message + details) is the agent's AgentError's, so
either side reports them the same way.
"""

from __future__ import annotations

from typing import Any


class ProtocolError(Exception):
    """A record does not follow its wire format: a human message naming the field, details."""

    def __init__(self, message: str, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details: dict[str, Any] = dict(details or {})

    def __str__(self) -> str:
        if not self.details:
            return self.message
        extra = ", ".join(f"{key}={value!r}" for key, value in sorted(self.details.items()))
        return f"{self.message} ({extra})"


class SnapshotError(ProtocolError):
    """An inventory snapshot failed validation; the message names the field and the rule."""


class WipeRecordInvalid(ProtocolError):
    """A wipe record does not follow the wire format; the message names the field."""


class DiagnosticInvalid(ProtocolError):
    """A diagnostic result does not follow the wire format; the message names the field."""
