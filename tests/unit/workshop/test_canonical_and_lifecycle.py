"""Canonical JSON and the lifecycle table, without a database."""

from __future__ import annotations

import pytest

from workshop.models.lifecycle import TERMINAL, TRANSITIONS, DeviceStatus, is_allowed
from workshop.services.canonical import canonical_json


def test_canonical_json_is_stable_and_compact():
    a = canonical_json({"b": 1, "a": ["é", None, True]})
    b = canonical_json({"a": ["é", None, True], "b": 1})
    assert a == b == '{"a":["é",null,true],"b":1}'


def test_canonical_json_refuses_floats():
    with pytest.raises(TypeError, match="floats"):
        canonical_json({"weight": 1.5})


def test_every_state_is_reachable_from_received():
    seen, frontier = {DeviceStatus.RECEIVED}, [DeviceStatus.RECEIVED]
    while frontier:
        for target in TRANSITIONS[frontier.pop()]:
            if target not in seen:
                seen.add(target)
                frontier.append(target)
    assert seen == set(DeviceStatus)


def test_terminal_states_and_the_honest_path():
    assert TERMINAL == {DeviceStatus.HANDED_OVER, DeviceStatus.RECYCLED}
    assert not is_allowed("wipe_failed", "available")
    assert not is_allowed("received", "handed_over")
    assert is_allowed("reserved", "available")  # a hold that expired or was cancelled
