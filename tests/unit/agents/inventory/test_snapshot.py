"""The inventory snapshot wire format, and a whole collection on a fake machine."""

from __future__ import annotations

import copy
import json

import pytest

from agents.inventory.collect import collect
from agents.inventory.render import human_size, render
from agents.inventory.schema_check import (
    ANNOTATIONS,
    SCHEMA_PATH,
    SUPPORTED,
    check_snapshot,
    generate_schema_text,
    load_schema,
)
from atelier_protocol.snapshot import SCHEMA_VERSION, SnapshotError, parse_snapshot


@pytest.fixture
def fake_machine(sysfs_from_dump, fixture_text, replay_runner):
    """Collect a snapshot from a fake /sys (nanobox SATA SSD + ASUS P5Q SMBIOS strings)."""
    root = sysfs_from_dump("sysfs/sata-ssd_vpd_pg80-serial_f31-nanobox.dump")
    dmi = root / "class/dmi/id"
    dmi.mkdir(parents=True)
    for name, value in {
        "sys_vendor": "System manufacturer",
        "product_name": "System Product Name",
        "product_serial": "System Serial Number",
        "product_uuid": "40EB001E-8C00-01CE-8E2C-00248C590A84",
        "board_serial": "MS1C93BB0H00980",
        "chassis_type": "3",
    }.items():
        (dmi / name).write_text(value + "\n")
    runner = replay_runner(
        {
            "dmidecode": fixture_text(
                "dmidecode/desktop_asus-p5q_system-serial-number-placeholder.txt"
            ),
            "smartctl": fixture_text("smartctl/sata-ssd_ok_samsung-860EVO_x_not-frozen.json"),
        }
    )

    def build():
        return collect(sys_root=str(root), runner=runner), runner

    return build


def test_collected_snapshot_is_valid_and_flags_placeholders(fake_machine):
    snapshot, runner = fake_machine()

    parsed = parse_snapshot(snapshot)
    check_snapshot(snapshot)  # the agent's fast check agrees

    assert parsed.schema_version == SCHEMA_VERSION
    assert parsed.system is not None
    assert parsed.system.serial.placeholder is True
    assert parsed.system.serial.value == "System Serial Number"  # raw value kept
    assert parsed.system.board.serial.placeholder is False
    assert parsed.system.chassis.type == "Desktop"
    assert [d.name for d in parsed.disks] == ["sda"]
    assert parsed.disks[0].model == "Samsung SSD 860 EVO 500GB"  # smartctl's full model
    assert parsed.disks[0].serial.value == "S14CNEAD233615F"
    assert parsed.memory.modules is not None and len(parsed.memory.modules) == 4
    assert "dmidecode" in runner.calls and "hdparm" not in runner.calls


def test_snapshot_round_trips_through_json_text(fake_machine):
    snapshot, _ = fake_machine()

    parsed = parse_snapshot(json.dumps(snapshot))

    assert parsed.disks[0].size_bytes == snapshot["disks"][0]["size_bytes"]


def test_unknown_future_fields_are_tolerated_and_kept(fake_machine):
    snapshot, _ = fake_machine()
    snapshot["schema_version"] = "1.7"
    snapshot["tpm"] = {"version": "2.0"}
    snapshot["disks"][0]["nvme_namespaces"] = 1

    parsed = parse_snapshot(snapshot)
    check_snapshot(snapshot)

    assert parsed.model_extra == {"tpm": {"version": "2.0"}}
    assert parsed.disks[0].model_extra == {"nvme_namespaces": 1}


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (lambda s: s["disks"][0].update(size_bytes="big"), "disks.0.size_bytes"),
        (lambda s: s["disks"][0].update(transport="firewire"), "disks.0.transport"),
        (lambda s: s["disks"][0]["serial"].pop("placeholder"), "disks.0.serial.placeholder"),
        (lambda s: s.pop("memory"), "memory"),
        (lambda s: s.update(schema_version="2.0"), "schema_version"),
        (lambda s: s.update(schema_version="one"), "schema_version"),
        (
            lambda s: s["network"].append({"name": "x", "mac": "zz", "kind": "wired"}),
            "network.0.mac",
        ),
    ],
)
def test_malformed_snapshots_are_refused_naming_the_field(fake_machine, mutate, field):
    snapshot, _ = fake_machine()
    snapshot["network"] = []
    broken = copy.deepcopy(snapshot)
    mutate(broken)

    with pytest.raises(SnapshotError) as caught:
        parse_snapshot(broken)
    with pytest.raises(SnapshotError) as checked:
        check_snapshot(broken)

    assert f"field '{field}'" in str(caught.value)
    assert f"field '{field}'" in str(checked.value)


def test_invalid_json_text_is_refused():
    with pytest.raises(SnapshotError, match="invalid inventory snapshot"):
        parse_snapshot("{not json")


def test_summary_shows_each_section_and_marks_placeholders(fake_machine):
    snapshot, _ = fake_machine()

    text = render(snapshot)

    for title in ("System", "Processor and memory", "Disks", "Batteries", "Network", "GPUs"):
        assert f"\n{title}\n" in f"\n{text}"
    assert "System Serial Number (placeholder: not an identity)" in text
    assert "MS1C93BB0H00980\n" in text
    assert "/dev/sda" in text and "Samsung SSD 860 EVO 500GB" in text and "S14CNEAD233615F" in text
    assert "SerNum0" in text  # the DIMM table


def test_human_sizes_use_decimal_units():
    assert human_size(500107862016) == "500.1 GB"
    assert human_size(999) == "999 B"
    assert human_size(4 * 10**15) == "4000.0 TB"
    assert human_size(None) == "?"


def test_committed_json_schema_is_generated_from_the_models():
    assert SCHEMA_PATH.read_text(encoding="utf-8") == generate_schema_text(), (
        "stale schema: run .venv/bin/python -m agents.inventory.schema_check --write"
    )


def test_fast_check_enforces_every_keyword_the_schema_uses():
    used: set[str] = set()

    def walk(node, in_properties=False):
        if isinstance(node, dict):
            for key, value in node.items():
                if not in_properties:
                    used.add(key)
                walk(value, in_properties=key in ("properties", "$defs") and not in_properties)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(load_schema())

    assert used - ANNOTATIONS - SUPPORTED == set()
    assert "pattern" in used and "anyOf" in used and "$ref" in used


def test_fast_check_messages_name_rule_and_field(fake_machine):
    snapshot, _ = fake_machine()
    snapshot["disks"][0]["size_bytes"] = 0
    snapshot["cpu"]["threads"] = True  # a bool is not an integer
    snapshot["collected_at"] = "yesterday"

    with pytest.raises(SnapshotError) as caught:
        check_snapshot(snapshot)

    message = str(caught.value)
    assert "field 'disks.0.size_bytes': must be > 0" in message
    assert "field 'cpu.threads': must be of type integer" in message
    assert "field 'collected_at': must be an ISO 8601 date-time" in message
