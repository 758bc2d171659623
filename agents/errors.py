"""Errors of the bench agent: one base class, carrying a message and details."""

from __future__ import annotations

from typing import Any


class AgentError(Exception):
    """Base error of the bench agent: a human message plus machine-readable details."""

    def __init__(self, message: str, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details: dict[str, Any] = dict(details or {})

    def __str__(self) -> str:
        if not self.details:
            return self.message
        extra = ", ".join(f"{key}={value!r}" for key, value in sorted(self.details.items()))
        return f"{self.message} ({extra})"
