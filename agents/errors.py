"""Errors of the bench agent: one base class, carrying a message and details.

An error the server will show (a refusal, a wipe that failed) also carries its reason code
(`said`, an atelier_protocol.reasons.Message): the message is its English rendering.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

if TYPE_CHECKING:  # pydantic is not imported for the agent's fast commands (inventory)
    from atelier_protocol.reasons import Message


class AgentError(Exception):
    """Base error of the bench agent: a human message plus machine-readable details."""

    def __init__(
        self, message: str, details: dict[str, Any] | None = None, *, said: Message | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.details: dict[str, Any] = dict(details or {})
        self.said = said

    @classmethod
    def of(cls, said: Message, details: dict[str, Any] | None = None) -> Self:
        """The error for a reason code: its message is the reason in English."""
        return cls(said.english(), details, said=said)

    def __str__(self) -> str:
        if not self.details:
            return self.message
        extra = ", ".join(f"{key}={value!r}" for key, value in sorted(self.details.items()))
        return f"{self.message} ({extra})"
