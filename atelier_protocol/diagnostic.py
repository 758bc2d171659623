"""Wire format of a diagnostic result (agent -> server), schema version "1.0".

One result per `bench-agent diagnose` run: the health of each disk (SMART/NVMe
verdict and its reasons, self-test, surface scan), the machine's RAM and CPU
checks, battery wear, and the suggested grade with the version of the rules
that produced it. `schema_version` is "MAJOR.MINOR": a minor bump only adds
optional fields, a receiver refuses a major it does not know. Unknown fields are
tolerated; malformed input is refused with `DiagnosticInvalid` naming the field.

The model refuses a result that claims more than it knows: a "pass" verdict with
a failing reason, a "fail" without one, or "unavailable" with health figures.

    >>> result = parse_diagnostic(text)   # DiagnosticInvalid names the bad field
    >>> result.model_dump_json()
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    ValidationError,
    field_validator,
    model_validator,
)

from atelier_protocol import check_schema_version
from atelier_protocol.errors import DiagnosticInvalid
from atelier_protocol.reasons import Message

SCHEMA_VERSION = "1.1"  # 1.1: reason codes (`said`) beside the English texts
SUPPORTED_MAJOR = 1
KIND = "diagnostic.result"

Verdict = Literal["pass", "suspect", "fail", "unavailable"]
Severity = Literal["fail", "suspect", "info"]
CheckStatus = Literal["passed", "failed", "skipped", "aborted", "timeout", "interrupted"]
Grade = Literal["A", "B", "C", "parts", "recycle"]


class _Wire(BaseModel):
    model_config = ConfigDict(extra="allow")


class Reason(_Wire):
    """One finding behind a verdict, with a stable code for the server and a readable message."""

    code: str = Field(min_length=1)
    severity: Severity
    message: str = Field(min_length=1)
    said: Message | None = None  # the message as a reason code (added in 1.1)


class SmartHealth(_Wire):
    """The SMART/NVMe health verdict of one drive and the figures it was drawn from."""

    verdict: Verdict
    reasons: list[Reason] = Field(default_factory=list)
    device_type: str | None = None  # smartctl's -d type: sat, nvme, usbjmicron...
    protocol: str | None = None
    model: str | None = None
    serial: str | None = None
    smartctl_exit_status: int | None = Field(default=None, ge=0, le=255)
    smartctl_exit_bits: list[str] = Field(default_factory=list)
    overall_passed: StrictBool | None = None
    power_on_hours: int | None = Field(default=None, ge=0)
    temperature_celsius: int | None = None
    reallocated_sectors: int | None = Field(default=None, ge=0)
    pending_sectors: int | None = Field(default=None, ge=0)
    offline_uncorrectable: int | None = Field(default=None, ge=0)
    life_left_percent: int | None = Field(default=None, ge=0, le=100)
    percentage_used: int | None = Field(default=None, ge=0)
    available_spare: int | None = Field(default=None, ge=0)
    available_spare_threshold: int | None = Field(default=None, ge=0)
    critical_warning: int | None = Field(default=None, ge=0, le=255)
    media_errors: int | None = Field(default=None, ge=0)
    error_log_entries: int | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _verdict_matches_reasons(self) -> SmartHealth:
        severities = {reason.severity for reason in self.reasons}
        if self.verdict == "pass" and severities & {"fail", "suspect"}:
            raise ValueError("verdict 'pass' with a failing or suspect reason")
        if self.verdict == "fail" and "fail" not in severities:
            raise ValueError("verdict 'fail' needs a reason of severity 'fail'")
        if self.verdict == "unavailable" and self.overall_passed is not None:
            raise ValueError("verdict 'unavailable' with an overall health status")
        return self


class SelfTest(_Wire):
    """The drive's own short self-test, when it could run."""

    status: CheckStatus
    reason: str | None = None
    test_type: str = "short"
    remaining_percent: int | None = Field(default=None, ge=0, le=100)
    failing_lba: int | None = Field(default=None, ge=0)


class SurfaceScan(_Wire):
    """A read of every sector of the disk."""

    status: CheckStatus
    reason: str | None = None
    said: Message | None = None  # the reason as a reason code (1.1)
    bytes_read: int = Field(default=0, ge=0)
    size_bytes: int = Field(default=0, ge=0)
    first_failing_lba: int | None = Field(default=None, ge=0)
    mb_per_s: float | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _passed_means_read_all(self) -> SurfaceScan:
        if self.status == "passed" and self.bytes_read != self.size_bytes:
            raise ValueError("surface scan 'passed' must have read every byte")
        return self


class DiskDiagnostic(_Wire):
    """Everything diagnosed about one disk, and what to do with it."""

    name: str = Field(min_length=1)
    path: str
    model: str | None = None
    serial: str | None = None
    transport: str | None = None
    size_bytes: int | None = Field(default=None, ge=0)
    health: SmartHealth
    self_test: SelfTest
    surface_scan: SurfaceScan
    verdict: Verdict
    action: str | None = None  # from the rules: reuse, destroy, retest...


class MemoryCheck(_Wire):
    """Pattern write/read-back over an allocated block of RAM."""

    status: CheckStatus
    reason: str | None = None
    bytes_requested: int = Field(default=0, ge=0)
    bytes_tested: int = Field(default=0, ge=0)
    patterns: list[str] = Field(default_factory=list)
    errors: int = Field(default=0, ge=0)
    first_error_offset: int | None = Field(default=None, ge=0)
    seconds: float | None = Field(default=None, ge=0)


class CpuCheck(_Wire):
    """All cores computing a known digest for a bounded time."""

    status: CheckStatus
    reason: str | None = None
    workers: int = Field(default=0, ge=0)
    seconds: float | None = Field(default=None, ge=0)
    rounds: int = Field(default=0, ge=0)
    wrong_results: int = Field(default=0, ge=0)
    mb_per_s: float | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _passed_means_right(self) -> CpuCheck:
        if self.status == "passed" and (self.wrong_results or not self.rounds):
            raise ValueError("cpu check 'passed' needs rounds and no wrong result")
        return self


class BatteryWear(_Wire):
    """A battery's wear from the inventory (1 - full/design capacity)."""

    name: str
    model: str | None = None
    design_capacity: int | None = Field(default=None, ge=0)
    full_capacity: int | None = Field(default=None, ge=0)
    unit: str | None = None
    wear_percent: float | None = Field(default=None, ge=0, le=100)
    cycle_count: int | None = None


class GradeSuggestion(_Wire):
    """The grade the rules suggest; the coordinator decides."""

    grade: Grade
    reasons: list[str] = Field(default_factory=list)
    said: list[Message] = Field(default_factory=list)  # the reasons as reason codes (1.1)
    rules_version: str = Field(min_length=1)
    rules_source: str


class HostInfo(_Wire):
    """The machine that was diagnosed."""

    hostname: str | None = None
    system_serial: str | None = None


class DiagnosticResult(_Wire):
    """One `bench-agent diagnose` run."""

    schema_version: str
    kind: Literal["diagnostic"] = "diagnostic"
    diagnostic_id: str = Field(min_length=1)
    agent_version: str
    started_at: datetime
    ended_at: datetime
    host: HostInfo = Field(default_factory=HostInfo)
    disks: list[DiskDiagnostic] = Field(default_factory=list)
    memory: MemoryCheck
    cpu: CpuCheck
    batteries: list[BatteryWear] = Field(default_factory=list)
    grade: GradeSuggestion
    notes: list[str] = Field(default_factory=list)

    @field_validator("schema_version")
    @classmethod
    def _known_major(cls, value: str) -> str:
        return check_schema_version(value, SUPPORTED_MAJOR)


def _where(error: ValidationError) -> str:
    first = error.errors()[0]
    field = ".".join(str(part) for part in first["loc"]) or "<root>"
    more = error.error_count() - 1
    return f"field '{field}': {first['msg']}" + (f" (and {more} more)" if more > 0 else "")


def parse_diagnostic(data: str | bytes | dict[str, Any]) -> DiagnosticResult:
    """Validate a diagnostic result from JSON text or a dict; DiagnosticInvalid names the field."""
    try:
        payload = json.loads(data) if isinstance(data, str | bytes) else data
    except json.JSONDecodeError as exc:
        raise DiagnosticInvalid(f"diagnostic result is not JSON: {exc.msg}") from exc
    try:
        return DiagnosticResult.model_validate(payload)
    except ValidationError as exc:
        raise DiagnosticInvalid(
            f"invalid diagnostic result, {_where(exc)}", {"errors": exc.error_count()}
        ) from exc
