"""The reason codes of the wire protocol (atelier_protocol/reasons.py): built by code with the
parameters their template names, rendered in English, and malformed input refused."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from atelier_protocol.reasons import MAX_DEPTH, REASONS, Message, english, placeholders, say


def test_a_reason_renders_its_template_with_nested_reasons():
    inner = [say("disk.mounted", dev="sdb1", mountpoint="/boot"), say("disk.read_only", dev="sdb")]
    outer = say("task.disk_protected", path="/dev/sdb", reasons=inner)
    assert outer.english() == "/dev/sdb is protected: mounted: sdb1 at /boot; sdb is read-only"
    assert Message.model_validate_json(outer.model_dump_json()) == outer
    assert english([say("smart.life_left", left=4), say("grade.battery_worn")]) == (
        "4% of rated life left; battery wear above 40%"
    )


def test_say_refuses_unknown_codes_and_wrong_parameters():
    with pytest.raises(KeyError):
        say("disk.never_heard_of")
    with pytest.raises(ValueError, match=r"takes \['dev', 'mountpoint'\]"):
        say("disk.mounted", dev="sdb1")


def test_every_code_is_well_formed_and_its_template_formats():
    for code, template in REASONS.items():
        assert Message(code=code).code == code  # the pattern accepts it
        names = placeholders(template)
        if names:
            assert "%(" not in template % {name: "x" for name in names}, code


@pytest.mark.parametrize(
    "bad, where",
    [
        ({"code": "Disk Mounted"}, "code"),
        ({"code": "nodot"}, "code"),
        ({"code": "disk.mounted", "params": {"dev": "x" * 1001}}, "params.dev"),
        ({"code": "disk.mounted", "params": {"dev": {"a": 1}}}, "params.dev"),
        ({"code": "disk.mounted", "params": {f"k{i}": 1 for i in range(21)}}, "params"),
    ],
)
def test_malformed_reasons_are_refused_naming_the_field(bad, where):
    with pytest.raises(ValidationError) as caught:
        Message.model_validate(bad)
    assert ".".join(str(p) for p in caught.value.errors()[0]["loc"]).startswith(where)


def test_say_keeps_within_the_wire_limits():
    long = say("task.agent_failed", error="x" * 5000)
    assert len(long.params["error"]) == 1000
    many = say("task.disk_protected", path="/dev/sdb",
               reasons=[say("disk.read_only", dev=f"sdb{i}") for i in range(30)])  # fmt: skip
    assert len(many.params["reasons"]) == 20


def test_reasons_nested_too_deep_are_refused():
    message: dict = {"code": "disk.read_only", "params": {"dev": "sda"}}
    for _ in range(MAX_DEPTH):
        message = {"code": "task.disk_protected", "params": {"path": "x", "reasons": [message]}}
    with pytest.raises(ValidationError, match="nested more than"):
        Message.model_validate(message)
    assert Message.model_validate(message["params"]["reasons"][0]).english().startswith("x is")
