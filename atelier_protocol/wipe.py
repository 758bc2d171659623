"""Wire format of a wipe record (agent -> server), version 1.

One record per disk and wipe attempt. Unknown fields are tolerated (a newer agent
may add some); missing or malformed fields are refused with the field named.
The model itself refuses a record that claims more than was done (the error names the
rule): "passed" needs every pass complete over the whole disk, bytes written the sum of
the passes, a verification that read back the whole disk (full) or its declared coverage
(sample), erased_bytes equal to the disk size, no error, and for a Purge its evidence
(`purge`, completed). Hidden sectors left or a sampled read-back make it
"passed_with_reservations", naming them. A requested method is done or the record
says why (fallback_reason), never replaced silently. Fields added within version 1
are optional: `purge` (the firmware command and what the drive was seen doing),
`tool.utility*`, `hidden_area.dco_restricted`, `reservations`; an older record stays
readable, but a passed Purge without its `purge` evidence is refused.

    >>> record = parse_wipe_record(text)   # WipeRecordInvalid names the bad field
    >>> record.model_dump_json()
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, ValidationError, model_validator

from atelier_protocol.errors import WipeRecordInvalid
from atelier_protocol.reasons import Message, say

SCHEMA_VERSION = 1

Status = Literal["passed", "passed_with_reservations", "failed", "interrupted"]
# Why a wipe that wrote and checked what it could is not a plain "passed": data may remain
# (hidden sectors the host could not reach) or was not all read back (sampled verification).
Reservation = Literal["hidden_sectors_not_erased", "sampled_verification"]
PASSED_STATUSES = frozenset({"passed", "passed_with_reservations"})
Pattern = Literal["zeros", "ones", "aes-256-ctr", "aes-256-ctr-complement"]


class _Wire(BaseModel):
    model_config = ConfigDict(extra="ignore")


class DiskIdentity(_Wire):
    """The wiped disk as identified before the wipe."""

    name: str
    path: str
    model: str | None = None
    serial: str | None = None
    wwn: str | None = None
    size_bytes: int = Field(ge=0)
    logical_sector_size: int = Field(gt=0)
    physical_sector_size: int = Field(gt=0)
    sectors: int = Field(ge=0)
    transport: str
    rotational: StrictBool | None = None
    removable: StrictBool = False


class HostIdentity(_Wire):
    """The machine the disk was in (or the bench, for a bare disk)."""

    system_serial: str | None = None
    hostname: str | None = None


class ToolInfo(_Wire):
    """The program that did the work and, for Purge, the utility it drove."""

    name: str
    version: str
    utility: str | None = None
    utility_version: str | None = None


class PassRecord(_Wire):
    """One overwrite pass."""

    number: int = Field(ge=1)
    pattern: Pattern
    bytes_written: int = Field(ge=0)
    complete: StrictBool


class VerificationRecord(_Wire):
    """How the result was checked by reading back."""

    mode: Literal["full", "sample", "none"]
    result: Literal["passed", "failed", "not_run"]
    bytes_verified: int = Field(default=0, ge=0)
    scheme: str | None = None
    subsections: int | None = Field(default=None, ge=1)
    coverage: float | None = Field(default=None, ge=0, le=1)
    seed: int | None = None


class HiddenArea(_Wire):
    """ATA HPA/DCO state: max sectors before and after the HPA removal, and what stays hidden.

    Bytes still hidden (HPA not removed, DCO restriction) are in the record's
    hidden_bytes_not_erased; the certificate never claims them.
    """

    detected: StrictBool
    current_max_sectors_before: int | None = None
    native_max_sectors_before: int | None = None
    current_max_sectors_after: int | None = None
    native_max_sectors_after: int | None = None
    removed: StrictBool = False
    dco_restricted: StrictBool | None = None
    note: str | None = None


class PurgeRecord(_Wire):
    """The Purge command sent to the drive's firmware and what the drive was seen doing.

    Optional (added after version 1 shipped): records without it stay valid.
    `result` is "completed" only when the command was accepted and completion was
    confirmed (seen in progress, or the drive's status changed, or sampled sectors
    changed); "unconfirmed" when the drive claims success without such evidence.
    """

    technique: str
    utility: str
    command: str
    result: Literal["completed", "failed", "unconfirmed", "not_run"]
    states_seen: list[str] = Field(default_factory=list)
    message: str | None = None
    duration_seconds: float | None = Field(default=None, ge=0)
    sectors_sampled: int | None = Field(default=None, ge=0)
    sectors_unchanged: int | None = Field(default=None, ge=0)
    followed_by_clear: StrictBool = False
    security_left_enabled: StrictBool | None = None


class ErrorEntry(_Wire):
    """Something that went wrong, with the first failing sector when known."""

    kind: str
    message: str
    lba: int | None = Field(default=None, ge=0)
    said: Message | None = None  # the message's reason code (added within version 1)


class WipeRecord(_Wire):
    """Everything a certificate line needs about one wipe attempt."""

    schema_version: Literal[1] = 1
    wipe_id: str = Field(min_length=1)
    status: Status
    disk: DiskIdentity
    host: HostIdentity = Field(default_factory=HostIdentity)
    requested_method: Literal["auto", "zero", "random", "purge"]
    method: Literal["clear", "purge"]
    technique: str
    fallback_reason: str | None = None
    fallback: list[Message] = Field(default_factory=list, max_length=10)  # its reason codes
    tool: ToolInfo
    passes: list[PassRecord] = Field(default_factory=list)
    verification: VerificationRecord
    bytes_written: int = Field(ge=0)
    bytes_verified: int = Field(ge=0)
    erased_bytes: int = Field(default=0, ge=0)
    hidden_bytes_not_erased: int = Field(default=0, ge=0)
    started_at: datetime
    ended_at: datetime | None = None
    reservations: list[Reservation] = Field(default_factory=list)
    errors: list[ErrorEntry] = Field(default_factory=list)
    first_failing_lba: int | None = Field(default=None, ge=0)
    hidden_area: HiddenArea | None = None
    purge: PurgeRecord | None = None
    bench_id: str | None = None
    technician: str | None = None

    @model_validator(mode="after")
    def _facts_hold(self) -> WipeRecord:
        _check_method_honoured(self)
        if self.status in PASSED_STATUSES:
            _check_passed(self)
        return self


# Patterns each requested Clear may write (a USB stick gets the pattern, then its complement).
_REQUESTED_PATTERNS = {
    "zero": {"zeros", "ones"},
    "random": {"aes-256-ctr", "aes-256-ctr-complement"},
}


def _check_method_honoured(record: WipeRecord) -> None:
    """A requested method is done, or the record says why not: never silently replaced."""
    allowed = _REQUESTED_PATTERNS.get(record.requested_method)
    if allowed is not None:
        if record.method != "clear":
            raise ValueError(f"requested_method {record.requested_method!r} but method 'purge'")
        wrong = sorted({p.pattern for p in record.passes} - allowed)
        if wrong:
            raise ValueError(
                f"requested_method {record.requested_method!r} but passes wrote {', '.join(wrong)}"
            )
    if record.requested_method == "purge" and record.method == "clear":
        if not (record.fallback_reason or "").strip():
            raise ValueError("requested_method 'purge' but method 'clear' without fallback_reason")


def _check_passed(record: WipeRecord) -> None:
    """A passed record states facts that support it (each rule names what is missing)."""
    size = record.disk.size_bytes
    expected = reservations_of(record)
    if record.status == "passed" and expected:
        raise ValueError(
            f"status 'passed' with {', '.join(expected)}: use 'passed_with_reservations'"
        )
    if sorted(set(record.reservations)) != expected:
        raise ValueError(f"reservations must be {expected} for what this record states")
    if record.status == "passed_with_reservations" and not expected:
        raise ValueError("status 'passed_with_reservations' names no reservation")
    if record.errors:
        raise ValueError("status 'passed' with errors recorded")
    if size <= 0:
        raise ValueError("status 'passed' on a disk of 0 bytes")
    _check_writes(record, size)
    _check_verification(record, size)
    if record.erased_bytes != size:
        raise ValueError(
            f"erased_bytes {record.erased_bytes} is not the disk size {size} "
            "(hidden sectors are in hidden_bytes_not_erased, beyond disk.size_bytes)"
        )


def _check_writes(record: WipeRecord, size: int) -> None:
    for p in record.passes:
        if not p.complete or p.bytes_written != size:
            raise ValueError(
                f"status 'passed' but pass {p.number} wrote {p.bytes_written} of {size} bytes"
            )
    if record.bytes_written != sum(p.bytes_written for p in record.passes):
        raise ValueError("bytes_written is not the sum of the passes' bytes_written")
    if record.method == "clear" and not record.passes:
        raise ValueError("status 'passed' by Clear needs its overwrite passes")
    if record.method == "purge":
        if record.purge is None:
            raise ValueError("status 'passed' by Purge needs its purge evidence (purge)")
        if record.purge.result != "completed":
            raise ValueError("status 'passed' by Purge needs purge.result 'completed'")
        if record.purge.followed_by_clear and not record.passes:
            raise ValueError("purge.followed_by_clear but no overwrite pass recorded")


def _check_verification(record: WipeRecord, size: int) -> None:
    check = record.verification
    if check.mode == "none":
        raise ValueError("status 'passed' needs a verification (verification.mode is 'none')")
    if check.result != "passed":
        raise ValueError("status 'passed' needs verification.result 'passed'")
    if check.bytes_verified != record.bytes_verified:
        raise ValueError("bytes_verified differs from verification.bytes_verified")
    if check.mode == "full" and record.bytes_verified != size:
        raise ValueError(f"full verification read back {record.bytes_verified} of {size} bytes")
    if check.mode == "sample":
        if not check.coverage or check.seed is None or not check.subsections:
            raise ValueError("sampled verification needs its coverage, subsections and seed")
        sector = record.disk.logical_sector_size
        declared = check.coverage * (size // sector) * sector
        if abs(record.bytes_verified - declared) > sector:
            raise ValueError(
                f"sampled verification read back {record.bytes_verified} bytes, "
                f"not the declared coverage {check.coverage:.4%} of the disk"
            )


# The reason code of each reservation.
RESERVATION_CODES: dict[str, str] = {
    "hidden_sectors_not_erased": "wipe.hidden_sectors",
    "sampled_verification": "wipe.sampled_verification",
}


def outcome_reasons(record: WipeRecord) -> list[Message]:
    """What a task reports with its state, as reason codes: the first error, else the
    reservations and the fallback reasons; empty for a plain pass."""
    if record.errors:
        first = record.errors[0]
        return [first.said or say("note.text", text=first.message)]
    reasons = [say(RESERVATION_CODES[r]) for r in record.reservations]
    if record.fallback:
        reasons += record.fallback
    elif record.fallback_reason:
        reasons.append(say("note.text", text=record.fallback_reason))
    return reasons


def outcome_message(record: WipeRecord) -> str | None:
    """The same in English, as one line; None for a plain pass."""
    if record.errors:
        return record.errors[0].message
    return "; ".join(reason.english() for reason in outcome_reasons(record)) or None


def reservations_of(record: WipeRecord) -> list[Reservation]:
    """The reservations the record's facts call for, sorted (empty: a plain pass)."""
    found: list[Reservation] = []
    if record.hidden_bytes_not_erased > 0:
        found.append("hidden_sectors_not_erased")
    if record.verification.mode == "sample":
        found.append("sampled_verification")
    return sorted(found)


def _field_of(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "record"
    return f"{where}: {first['msg']}"


def parse_wipe_record(data: str | bytes | dict[str, Any]) -> WipeRecord:
    """Validate a wipe record from JSON text or a dict; WipeRecordInvalid names the field."""
    try:
        payload = json.loads(data) if isinstance(data, str | bytes) else data
    except json.JSONDecodeError as exc:
        raise WipeRecordInvalid(f"wipe record is not JSON: {exc.msg}") from exc
    if isinstance(payload, dict) and payload.get("schema_version") not in (None, SCHEMA_VERSION):
        raise WipeRecordInvalid(
            f"schema_version: unsupported version {payload.get('schema_version')!r}",
            {"field": "schema_version"},
        )
    try:
        return WipeRecord.model_validate(payload)
    except ValidationError as exc:
        raise WipeRecordInvalid(f"invalid wipe record, {_field_of(exc)}") from exc
