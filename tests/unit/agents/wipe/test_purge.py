"""Purge or Clear, decided on captured `hdparm -I` outputs and documented NVMe fields."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from agents.inventory.disks import Disk
from agents.wipe.purge import (
    decide,
    parse_hdparm_identify,
    parse_hdparm_max_sectors,
    parse_nvme_id_ctrl,
)

FIXTURES = Path(__file__).parents[3] / "fixtures" / "hardware" / "hdparm"
SSD = Disk(
    "sda",
    "/dev/sda",
    "SAMSUNG SSD PM830",
    "S0XPNYAD412339",
    None,
    256060514304,
    512,
    512,
    False,
    "sata",
    False,
)
HDD = replace(SSD, model="HUA721010KLA330", rotational=True)


def hdparm(name: str) -> str:
    return (FIXTURES / name).read_text()


class FakeTools:
    """Replays captured outputs for the commands the decision runs, and logs them."""

    def __init__(self, outputs: dict[str, tuple[int, str]]) -> None:
        self.outputs = outputs
        self.calls: list[list[str]] = []

    def __call__(self, argv: list[str]) -> tuple[int, str]:
        self.calls.append(argv)
        return self.outputs.get(" ".join(argv[:2]), (127, ""))


def test_not_frozen_ssd_identify_is_parsed():
    ident = parse_hdparm_identify(hdparm("I_not-frozen_samsung-PM830-mSATA.txt"))
    assert ident.security is not None
    assert ident.security.supported and ident.security.enhanced_erase
    assert not (ident.security.frozen or ident.security.locked or ident.security.enabled)
    assert ident.solid_state and ident.integrity_ok and ident.hpa_feature
    assert ident.sanitize == frozenset()


def test_frozen_drive_falls_back_to_clear_with_the_unfreeze_hint():
    tools = FakeTools({"hdparm -I": (0, hdparm("I_frozen_garbled-identify-strings.txt"))})
    ident = parse_hdparm_identify(hdparm("I_frozen_garbled-identify-strings.txt"))
    assert ident.security is not None and ident.security.frozen
    decision = decide(replace(HDD, rotational=False), "purge", tools)
    assert decision.method == "clear"
    # garbled IDENTIFY is distrusted before anything else
    assert "garbled" in (decision.fallback_reason or "")


def test_frozen_reason_mentions_suspend_resume_when_identify_is_sound():
    text = hdparm("I_not-frozen_samsung-PM830-mSATA.txt").replace("\tnot\tfrozen", "\t\tfrozen")
    tools = FakeTools({"hdparm -I": (0, text)})
    decision = decide(HDD, "purge", tools)
    assert decision.method == "clear"
    assert "frozen" in (decision.fallback_reason or "")
    assert "suspend and resume" in (decision.fallback_reason or "")


def test_no_security_section_means_no_purge():
    ident = parse_hdparm_identify(hdparm("I_no-security-section_hitachi-HUA721010.txt"))
    assert ident.security is None and not ident.solid_state
    tools = FakeTools({"hdparm -I": (0, hdparm("I_no-security-section_hitachi-HUA721010.txt"))})
    decision = decide(HDD, "purge", tools)
    assert decision.method == "clear" and decision.pattern == "zeros"
    assert "neither ATA SANITIZE nor the security feature set" in (decision.fallback_reason or "")


def test_security_erase_on_an_ssd_is_not_called_purge():
    tools = FakeTools({"hdparm -I": (0, hdparm("I_not-frozen_samsung-PM830-mSATA.txt"))})
    decision = decide(SSD, "auto", tools)
    assert decision.method == "clear" and decision.pattern == "random"
    assert "counts as Clear on flash" in (decision.fallback_reason or "")


def test_hdd_with_security_erase_gets_it_when_purge_is_asked():
    text = hdparm("I_not-frozen_samsung-PM830-mSATA.txt").replace("Solid State Device", "7200")
    decision = decide(HDD, "purge", FakeTools({"hdparm -I": (0, text)}))
    assert decision.purge_available == "ata-security-erase-enhanced"
    assert (decision.method, decision.technique) == ("purge", "ata-security-erase-enhanced")
    assert decision.fallback_reason is None
    # the Clear used if the Purge fails while running
    assert decision.clear_technique == "overwrite-zeros"


def test_auto_on_a_hard_disk_is_clear_without_probing_purge():
    tools = FakeTools({})
    decision = decide(HDD, "auto", tools)
    assert (decision.method, decision.technique) == ("clear", "overwrite-zeros")
    assert all(call[:2] != ["hdparm", "-I"] for call in tools.calls)


def test_usb_bridge_never_gets_security_erase():
    usb = replace(SSD, transport="usb")
    tools = FakeTools({"hdparm -I": (0, hdparm("I_not-frozen_samsung-PM830-mSATA.txt"))})
    decision = decide(usb, "purge", tools)
    assert decision.method == "clear"
    assert "USB" in (decision.fallback_reason or "")
    assert ["hdparm", "-I", "/dev/sda"] not in tools.calls


@pytest.mark.parametrize(
    ("text", "current", "native"),
    [
        (
            "\n/dev/sda:\n max sectors   = 976773168/976773168, HPA is disabled\n",
            976773168,
            976773168,
        ),
        (
            "\n/dev/sdb:\n max sectors   = 976771055/976773168, HPA is enabled\n",
            976771055,
            976773168,
        ),
    ],
)
def test_hdparm_n_is_parsed(text, current, native):
    state = parse_hdparm_max_sectors(text)
    assert state is not None and (state.current, state.native) == (current, native)


def test_an_hpa_left_in_place_is_recorded_and_not_claimed():
    tools = FakeTools(
        {
            "hdparm -N": (0, " max sectors   = 976771055/976773168, HPA is enabled\n"),
            "hdparm -I": (0, hdparm("I_no-security-section_hitachi-HUA721010.txt")),
        }
    )
    decision = decide(HDD, "zero", tools)
    assert decision.hidden_area is not None and decision.hidden_area.detected
    assert decision.hidden_bytes == (976773168 - 976771055) * 512
    assert "not erased" in (decision.hidden_area.note or "")


@pytest.mark.parametrize("transport", ["sata", "nvme", "usb"])
def test_zeros_asked_on_flash_are_written_as_asked_not_replaced(transport):
    # Found in the erasure-proof review: `--method zero` silently became AES on SSDs.
    flash = replace(SSD, transport=transport)
    zeros = decide(flash, "zero", FakeTools({}))
    assert (zeros.method, zeros.technique, zeros.pattern) == ("clear", "overwrite-zeros", "zeros")
    assert decide(flash, "random", FakeTools({})).pattern == "random"
    assert decide(HDD, "zero", FakeTools({})).pattern == "zeros"


def test_nvme_id_ctrl_fields_pick_sanitize_then_format():
    # SANICAP bit0 crypto erase, bit1 block erase, bit2 overwrite; OACS bit1 format; FNA bit2.
    both = parse_nvme_id_ctrl(json.dumps({"sanicap": 0b011, "oacs": 0b10, "fna": 0b100}))
    assert both.sanitize == {"crypto-erase", "block-erase"} and both.format_crypto_erase
    nvme = replace(SSD, name="nvme0n1", path="/dev/nvme0n1", transport="nvme")
    one_namespace = (0, "[   0]:0x1\n")
    tools = FakeTools(
        {
            "nvme id-ctrl": (0, json.dumps({"sanicap": 0, "oacs": 2, "fna": 4})),
            "nvme list-ns": one_namespace,
        }
    )
    decision = decide(nvme, "auto", tools)
    assert decision.purge_available == "nvme-format-crypto-erase"
    assert ["nvme", "list-ns", "/dev/nvme0n1"] in tools.calls
    none = FakeTools({"nvme id-ctrl": (0, json.dumps({"sanicap": 0, "oacs": 0}))})
    assert "neither NVMe Sanitize nor Format" in (decide(nvme, "purge", none).fallback_reason or "")


def test_loop_devices_have_no_purge_path():
    loop = replace(HDD, name="loop0", path="/dev/loop0", transport="loop", rotational=False)
    decision = decide(loop, "purge", FakeTools({}))
    assert decision.method == "clear"
    assert "transport loop" in (decision.fallback_reason or "")


@pytest.mark.parametrize(
    ("listing", "reason"),
    [
        ((0, "[   0]:0x1\n[   1]:0x2\n"), "has 2 namespaces"),
        ((1, ""), "could not be listed"),
    ],
)
def test_nvme_purge_needs_a_single_namespace(listing, reason):
    # Sanitize erases the whole NVM subsystem: a second namespace may be another "disk".
    nvme = replace(SSD, name="nvme0n1", path="/dev/nvme0n1", transport="nvme")
    tools = FakeTools(
        {"nvme id-ctrl": (0, json.dumps({"sanicap": 0b001})), "nvme list-ns": listing}
    )
    decision = decide(nvme, "purge", tools)
    assert decision.method == "clear"
    assert reason in (decision.fallback_reason or "")
