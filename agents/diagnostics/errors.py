"""Errors of the diagnostics package."""

from __future__ import annotations

from agents.errors import AgentError


class DiagnosticError(AgentError):
    """Base error of the diagnostics."""


class SmartJsonError(DiagnosticError):
    """A document is not a smartctl --json report of one device."""


class RulesError(DiagnosticError):
    """The grading rules file is missing, not JSON or malformed; the message names the key."""
