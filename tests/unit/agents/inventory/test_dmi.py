"""SMBIOS identity and memory modules from captured dmidecode outputs and fake sysfs."""

from __future__ import annotations

import pytest

from agents.inventory.dmi import (
    build_system,
    chassis_name,
    identity_from_dmidecode,
    parse_dmidecode,
    read_dmi_sysfs,
)
from agents.inventory.hostinfo import memory_modules, parse_cpuinfo, parse_size


def system_of(fixture_text, name):
    return build_system(identity_from_dmidecode(parse_dmidecode(fixture_text(f"dmidecode/{name}"))))


def test_real_serials_of_an_hp_desktop_are_kept_and_trusted(fixture_text):
    system = system_of(fixture_text, "desktop_hp-compaq-8100-elite-sff.txt")

    assert system["vendor"] == "Hewlett-Packard"
    assert system["product"] == "HP Compaq 8100 Elite SFF PC"
    assert system["serial"] == {"value": "CZC0408YPV", "placeholder": False}
    assert system["uuid"] == {"value": "7c1daae8-d3c3-11df-bbda-6d814dae6c62", "placeholder": False}
    assert system["chassis"]["type"] == "Low Profile Desktop"
    assert system["chassis"]["serial"]["placeholder"] is False


def test_template_serials_of_a_home_built_desktop_are_flagged(fixture_text):
    system = system_of(fixture_text, "desktop_asus-p5q_system-serial-number-placeholder.txt")

    assert system["serial"] == {"value": "System Serial Number", "placeholder": True}
    assert system["chassis"]["serial"] == {"value": "Chassis Serial Number", "placeholder": True}
    # The board serial is real: it stays usable for matching.
    assert system["board"]["serial"] == {"value": "MS1C93BB0H00980", "placeholder": False}


def test_netbook_with_real_system_serial_but_template_board_serial(fixture_text):
    system = system_of(fixture_text, "netbook_acer-aohappy_baseboard-chassis-placeholders.txt")

    assert system["serial"]["placeholder"] is False
    assert system["board"]["serial"] == {"value": "Base Board Serial Number", "placeholder": True}
    assert system["chassis"]["type"] == "Notebook"


@pytest.mark.parametrize(
    ("name", "section", "raw"),
    [
        ("t-baseboard_gigabyte-970A-DS3P_to-be-filled.txt", "board", "To be filled by O.E.M."),
        ("t-chassis_gigabyte-970A-DS3P_to-be-filled.txt", "chassis", "To Be Filled By O.E.M."),
    ],
)
def test_to_be_filled_by_oem_in_both_spellings(fixture_text, name, section, raw):
    system = system_of(fixture_text, name)

    assert system[section]["serial"] == {"value": raw, "placeholder": True}


def test_toshiba_zeroed_chassis_serial_is_flagged_but_board_serial_is_not(fixture_text):
    system = system_of(
        fixture_text, "laptop_toshiba-satellite-2410_battery_chassis-serial-zeros.txt"
    )

    assert system["serial"] == {"value": "X2735244G", "placeholder": False}
    assert system["chassis"]["serial"] == {"value": "00000000", "placeholder": True}
    assert system["board"]["serial"] == {"value": "$$T02XB1K9", "placeholder": False}


def test_sysfs_dmi_tree_gives_the_same_section(tmp_path, fixture_text):
    dmi = tmp_path / "class/dmi/id"
    dmi.mkdir(parents=True)
    # sysfs names and raw values of the ThinkPad X1 Carbon 5th capture; chassis type as a number.
    for name, value in {
        "sys_vendor": "LENOVO",
        "product_name": "20HRCTO1WW",
        "product_serial": "PF0QMY5N",
        "chassis_type": "10",
        "board_serial": "",
    }.items():
        (dmi / name).write_text(value + "\n")

    values = read_dmi_sysfs(tmp_path)
    system = build_system(values)

    assert values["product_serial"] == "PF0QMY5N"
    assert "board_serial" not in values  # empty attribute = absent
    assert system["chassis"]["type"] == "Notebook"
    assert system["board"]["serial"] == {"value": None, "placeholder": True}
    assert read_dmi_sysfs(tmp_path / "nowhere") == {}


def test_chassis_names():
    assert chassis_name("3") == "Desktop"
    assert chassis_name("138") == "Notebook"  # 0x8A: lock bit set on type 10
    assert chassis_name("99") == "type 99"
    assert chassis_name("Tower") == "Tower"
    assert chassis_name(None) is None


def test_hp_desktop_memory_skips_the_system_rom(fixture_text):
    records = parse_dmidecode(fixture_text("dmidecode/desktop_hp-compaq-8100-elite-sff.txt"))

    modules = memory_modules(records)

    assert len(modules) == 4  # the 5th type-17 entry is the 4 MB flash "SYSTEM ROM"
    assert {m["size_bytes"] for m in modules} == {2 * 1024**3}
    first = modules[0]
    assert first["locator"] == "XMM1"
    assert first["type"] == "DDR3"
    assert first["speed_mts"] == 1333
    assert first["serial"] == {"value": "A4482E29", "placeholder": False}
    assert first["part_number"] == "16JTF25664AZ-1G4F"


def test_empty_slot_is_skipped_and_headerless_output_parses(fixture_text):
    records = parse_dmidecode(fixture_text("dmidecode/t17_memory_positivo_empty-slot.txt"))

    modules = memory_modules(records)

    assert [m["locator"] for m in modules] == ["ChannelB-DIMM0"]
    assert modules[0]["size_bytes"] == 8 * 1024**3
    assert modules[0]["serial"]["value"] == "0000065D"
    assert modules[0]["form_factor"] == "SODIMM"


def test_space_indented_output_parses(fixture_text):
    records = parse_dmidecode(fixture_text("dmidecode/t17_memory_hynix-kingmax_space-indented.txt"))

    modules = memory_modules(records)

    assert [m["serial"]["value"] for m in modules] == ["25477B84", "190020CB"]
    assert all(m["speed_mts"] == 3200 and m["type"] == "DDR4" for m in modules)


def test_soldered_memory_with_zero_serials_is_flagged(fixture_text):
    records = parse_dmidecode(
        fixture_text("dmidecode/laptop_lenovo-thinkpad-x1-carbon-5th_battery.txt")
    )

    modules = memory_modules(records)

    assert len(modules) == 2
    assert all(m["serial"] == {"value": "00000000", "placeholder": True} for m in modules)
    assert all(m["size_bytes"] == 8192 * 1024**2 for m in modules)


def test_placeholder_dimm_serials_sernum(fixture_text):
    records = parse_dmidecode(
        fixture_text("dmidecode/desktop_asus-p5q_system-serial-number-placeholder.txt")
    )

    serials = [m["serial"] for m in memory_modules(records)]

    assert serials and all(s["placeholder"] for s in serials)
    assert serials[0]["value"].startswith("SerNum")


def test_sizes():
    assert parse_size("8192 MB") == 8 * 1024**3
    assert parse_size("512 kB") == 512 * 1024
    assert parse_size("No Module Installed") is None
    assert parse_size(None) is None


def test_cpuinfo_model_vendor_and_sockets():
    text = (
        "processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Core(TM) i5-3470 CPU"
        " @ 3.20GHz\nphysical id\t: 0\n\nprocessor\t: 1\nvendor_id\t: GenuineIntel\n"
        "model name\t: Intel(R) Core(TM) i5-3470 CPU @ 3.20GHz\nphysical id\t: 0\n"
    )

    info = parse_cpuinfo(text)

    assert info == {
        "model": "Intel(R) Core(TM) i5-3470 CPU @ 3.20GHz",
        "vendor": "GenuineIntel",
        "sockets": 1,
    }
