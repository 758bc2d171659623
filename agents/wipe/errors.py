"""Errors raised while selecting, opening and wiping disks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from agents.errors import AgentError

if TYPE_CHECKING:
    from atelier_protocol.reasons import Message


class WipeError(AgentError):
    """Base error of the wipe engine."""


class DiskProtected(WipeError):
    """The disk must not be wiped: mounted, holds the system, has holders, swap, read-only."""


class DiskNotSelected(WipeError):
    """The disk was not explicitly named by the technician."""


class WipeIOError(WipeError):
    """A read or write kept failing after retries; `lba` is the first failing sector."""

    def __init__(
        self,
        message: str,
        *,
        lba: int | None,
        operation: str,
        errno_name: str,
        said: Message | None = None,
    ) -> None:
        details = {"lba": lba, "operation": operation, "errno": errno_name}
        super().__init__(message, details, said=said)
        self.lba = lba
        self.operation = operation
        self.errno_name = errno_name


class VerificationMismatch(WipeError):
    """Read-back found data that differs from what was written."""

    def __init__(self, message: str, *, lba: int, said: Message | None = None) -> None:
        super().__init__(message, {"lba": lba}, said=said)
        self.lba = lba


class JournalError(WipeError):
    """The local wipe journal cannot be written or read."""
