"""The coordinator's rules: disk health thresholds and grade rules, from a small JSON file.

The package ships `grading_rules.json`; `--rules PATH` (or BENCH_DIAGNOSTIC_RULES)
points to another one. A file with a typo is refused with the key named, so a
mistyped threshold never silently falls back to a default. Every result records
the rules' `version` and where they came from.
"""

from __future__ import annotations

import json
import operator
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from agents.diagnostics.errors import RulesError
from atelier_protocol.reasons import REASONS, Message, say

DEFAULT_RULES = Path(__file__).with_name("grading_rules.json")
ENV_VARIABLE = "BENCH_DIAGNOSTIC_RULES"
GRADES = ("A", "B", "C", "parts", "recycle")  # best first
# The facts grade rules can test, computed by agents.diagnostics.grading.
FACTS = (
    "disks",
    "disks_fail",
    "disks_suspect",
    "disks_unavailable",
    "memory_failed",
    "cpu_failed",
    "battery_wear_max",
    "power_on_hours_max",
)
OPERATORS: dict[str, Callable[[float, float], bool]] = {
    ">": operator.gt,
    ">=": operator.ge,
    "<": operator.lt,
    "<=": operator.le,
    "==": operator.eq,
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SmartThresholds(_Strict):
    """Limits of the disk health verdict (counts of sectors, percentages)."""

    reallocated_suspect_above: int = Field(10, ge=0)
    reallocated_fail_above: int = Field(100, ge=0)
    pending_fail_above: int = Field(0, ge=0)
    offline_uncorrectable_fail_above: int = Field(0, ge=0)
    life_left_suspect_below: int = Field(20, ge=0, le=100)
    life_left_fail_below: int = Field(5, ge=0, le=100)
    percentage_used_suspect_at: int = Field(90, ge=0)
    percentage_used_fail_at: int = Field(100, ge=0)
    error_log_suspect_above: int | None = Field(0, ge=0)  # None: logged errors are not judged


class GradeRule(_Strict):
    """If `fact op value` holds, the grade can be no better than `grade_at_best`."""

    fact: str
    op: Literal[">", ">=", "<", "<=", "=="]
    value: float
    grade_at_best: Literal["A", "B", "C", "parts", "recycle"]
    reason: str = Field(min_length=1)
    # The reason's code (atelier_protocol.reasons), used while `reason` is its English template
    # unchanged: a workshop that rewords a rule gets its own words shown as written.
    code: str | None = None

    @field_validator("fact")
    @classmethod
    def _known_fact(cls, value: str) -> str:
        if value not in FACTS:
            raise ValueError(f"unknown fact {value!r} (known: {', '.join(FACTS)})")
        return value


class Rules(_Strict):
    """The whole rules file."""

    version: str = Field(min_length=1)
    about: str = ""
    smart: SmartThresholds = Field(default_factory=SmartThresholds)  # type: ignore[arg-type]
    disk_actions: dict[Literal["pass", "suspect", "fail", "unavailable"], str] = Field(
        default_factory=dict
    )
    grade_rules: list[GradeRule] = Field(default_factory=list)
    source: str = "builtin"


def load_rules(path: str | Path | None = None) -> Rules:
    """Read the rules from `path`, $BENCH_DIAGNOSTIC_RULES, or the packaged file."""
    chosen = path or os.environ.get(ENV_VARIABLE) or None
    file = Path(chosen) if chosen else DEFAULT_RULES
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except OSError as exc:
        raise RulesError(f"grading rules {file}: {exc.strerror or exc}") from exc
    except json.JSONDecodeError as exc:
        raise RulesError(
            f"grading rules {file} are not JSON: {exc.msg} (line {exc.lineno})"
        ) from exc
    if not isinstance(data, dict):
        raise RulesError(f"grading rules {file}: expected a JSON object")
    data["source"] = "builtin" if file == DEFAULT_RULES else str(file)
    try:
        return Rules.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise RulesError(f"grading rules {file}, key '{where}': {first['msg']}") from exc


def rank(grade: str) -> int:
    """Position of a grade, 0 for the best (A)."""
    return GRADES.index(grade)


def rule_reason(rule: GradeRule) -> Message:
    """A rule's reason as a reason code: its code while its text is the code's, else its text."""
    if rule.code and REASONS.get(rule.code) == rule.reason:
        return say(rule.code)
    return say("note.text", text=rule.reason)


def grade_by_rules(rules: Rules, facts: Mapping[str, float | None]) -> tuple[str, list[Message]]:
    """The suggested grade (worst cap of the matching rules, else A) and the matching reasons."""
    grade, reasons = "A", []
    for rule in rules.grade_rules:
        value = facts.get(rule.fact)
        if value is None or not OPERATORS[rule.op](value, rule.value):
            continue
        reasons.append(
            say(
                "grade.rule_matched",
                reason=[rule_reason(rule)],
                fact=rule.fact,
                value=f"{value:g}",
                grade=rule.grade_at_best,
            )
        )
        if rank(rule.grade_at_best) > rank(grade):
            grade = rule.grade_at_best
    return grade, reasons


def apply_grade_rules(rules: Rules, facts: Mapping[str, float | None]) -> tuple[str, list[str]]:
    """The same, the reasons in English."""
    grade, reasons = grade_by_rules(rules, facts)
    return grade, [reason.english() for reason in reasons]
