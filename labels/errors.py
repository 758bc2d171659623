"""The labels package's errors: one base class, one subclass per kind of failure.

Messages are English. An error built with `of(template, **params)` also keeps its template and
values, so a program showing it to people (the workshop's pages) can translate it: templates
are marked with `N_` and extracted into the workshop's catalogue.
"""

from __future__ import annotations

from typing import Any, Self


def N_(template: str) -> str:
    """Mark a message template for translation by the programs that show it."""
    return template


class LabelError(Exception):
    """Base class of every error raised by the labels package."""

    template: str | None = None
    params: dict[str, Any]

    @classmethod
    def of(cls, template: str, **params: Any) -> Self:
        """The error whose message is `template % params`, keeping both for translation."""
        error = cls(template % params)
        error.template, error.params = template, params
        return error


class LabelDataError(LabelError, ValueError):
    """A field of the label data breaks a rule (length, characters, scheme)."""

    def __init__(self, field: str, rule: str) -> None:
        super().__init__(f"{field}: {rule}")
        self.field = field
        self.rule = rule


class UnknownProfileError(LabelError, LookupError):
    """The printer profile name is not in the catalogue."""


class UnknownMediaError(LabelError, LookupError):
    """The media name is not in the catalogue."""


class LayoutError(LabelError):
    """The content does not fit the chosen media and QR settings."""


class UnsupportedError(LabelError):
    """The profile cannot do what was asked (media, QR mode, characters)."""


class DecodeError(LabelError):
    """An ESC/POS byte stream is truncated or holds an unknown command."""


class PrinterError(LabelError):
    """Base class of the errors met while talking to a printer."""


class PrinterURIError(PrinterError, ValueError):
    """The printer URI is malformed or uses an unknown scheme."""


class PrinterTargetError(PrinterURIError):
    """A file:// printer leads to neither a printer device nor the printer file folder."""


class PrinterUnreachableError(PrinterError):
    """Nothing answers at the printer's address, or the connection broke."""


class PrinterTimeoutError(PrinterError):
    """The printer did not accept the data (or answer) in time."""


class PrinterNotFoundError(PrinterError):
    """No such USB device, device file or CUPS queue."""


class PrinterBusyError(PrinterError):
    """The device exists but another program holds it."""


class PrinterPermissionError(PrinterError):
    """The device exists but this user may not open it."""


class PaperOutError(PrinterError):
    """The printer reports that its paper roll is empty."""
