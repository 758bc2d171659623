"""Choosing between Purge and Clear from what the drive says it supports.

Reads `hdparm -I` (ATA security and sanitize feature sets, frozen state, IDENTIFY
integrity), `hdparm -N` (host protected area) and `nvme id-ctrl -o json` (SANICAP,
OACS, FNA). The commands go through one small seam, `CommandRunner`, so the
decision is tested on captured outputs. The decision only reads; the Purge
commands themselves are run by `agents.wipe.purge_exec` and the HPA is removed by
`agents.wipe.hpa`. NVMe Purge is offered only when `nvme list-ns` shows a single
namespace: Sanitize erases the whole NVM subsystem, not only the selected disk.
Methods:

- auto: Purge on flash (SSD, NVMe) when the drive and the path support it, else Clear;
- purge: Purge whenever supported, hard disks included; else Clear, and the
  record's fallback_reason says why (a Purge that fails while running falls back
  to Clear the same way);
- zero / random: Clear only.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from agents.inventory.disks import Disk
from atelier_protocol.reasons import Message, english, say
from atelier_protocol.wipe import HiddenArea

CommandRunner = Callable[[list[str]], tuple[int, str]]


def run_command(argv: list[str]) -> tuple[int, str]:
    """Run a command and return (exit status, stdout); a missing tool is status 127."""
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False)
    except FileNotFoundError:
        return 127, ""
    except subprocess.TimeoutExpired:
        return 124, ""
    return done.returncode, done.stdout


def run_tool(argv: list[str], timeout: float | None = 120) -> tuple[int, str]:
    """Run a command that changes the drive; return (exit status, stdout and stderr merged).

    The tools print their errors on stderr ("SANITIZE failed: ..."); the record quotes them.
    """
    try:
        done = subprocess.run(
            argv,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=timeout,
            check=False,
        )
    except FileNotFoundError:
        return 127, f"{argv[0]}: not installed"
    except subprocess.TimeoutExpired:
        return 124, f"{argv[0]}: no answer within {timeout} s"
    return done.returncode, done.stdout


@dataclass(frozen=True)
class AtaSecurity:
    """The "Security:" section of hdparm -I."""

    supported: bool
    enabled: bool
    locked: bool
    frozen: bool
    enhanced_erase: bool
    erase_minutes: int | None = None
    enhanced_erase_minutes: int | None = None


@dataclass(frozen=True)
class AtaIdentify:
    """What hdparm -I says about erase support."""

    security: AtaSecurity | None
    sanitize: frozenset[str]
    hpa_feature: bool
    solid_state: bool
    integrity_ok: bool


_SANITIZE_COMMANDS = {
    "CRYPTO_SCRAMBLE_EXT": "crypto-scramble",
    "BLOCK_ERASE_EXT": "block-erase",
    "OVERWRITE_EXT": "overwrite",
}


def _flag(section: str, word: str) -> bool | None:
    """True for "\\tword", False for "not\\tword", None when absent."""
    match = re.search(rf"^\s*(not)?\s+{word}\s*$", section, re.MULTILINE)
    return None if match is None else match.group(1) is None


def _minutes(section: str, command: str) -> int | None:
    """The drive's own estimate, e.g. "6min for SECURITY ERASE UNIT"."""
    match = re.search(rf"(\d+)min for {command}", section)
    return int(match.group(1)) if match else None


def parse_hdparm_identify(text: str) -> AtaIdentify:
    """Parse `hdparm -I` output."""
    security = None
    head, sep, tail = text.partition("\nSecurity:")
    if sep:
        section = re.split(r"\n(?=\S)", tail, maxsplit=1)[0]
        security = AtaSecurity(
            supported=bool(_flag(section, "supported")),
            enabled=bool(_flag(section, "enabled")),
            locked=bool(_flag(section, "locked")),
            frozen=bool(_flag(section, "frozen")),
            enhanced_erase="supported: enhanced erase" in section,
            erase_minutes=_minutes(section, "SECURITY ERASE UNIT"),
            enhanced_erase_minutes=_minutes(section, "ENHANCED SECURITY ERASE UNIT"),
        )
    features = re.findall(r"^\s*\*\s+(.+?)\s*$", head, re.MULTILINE)
    sanitize = frozenset(
        name for command, name in _SANITIZE_COMMANDS.items() if any(command in f for f in features)
    )
    return AtaIdentify(
        security=security,
        sanitize=sanitize if any("SANITIZE" in f for f in features) else frozenset(),
        hpa_feature=any(f.startswith("Host Protected Area") for f in features),
        solid_state="Solid State Device" in text,
        integrity_ok="Integrity word not set" not in text,
    )


@dataclass(frozen=True)
class HpaState:
    """`hdparm -N`: visible and native max sectors."""

    current: int
    native: int

    @property
    def hidden_sectors(self) -> int:
        """Sectors hidden by the HPA."""
        return max(0, self.native - self.current)


def parse_hdparm_max_sectors(text: str) -> HpaState | None:
    """Parse the " max sectors = CURRENT/NATIVE, HPA is ..." line of `hdparm -N`."""
    match = re.search(r"max sectors\s*=\s*(\d+)/(\d+)", text)
    return HpaState(int(match.group(1)), int(match.group(2))) if match else None


@dataclass(frozen=True)
class NvmeCapabilities:
    """From `nvme id-ctrl -o json`: sanitize actions and format support."""

    sanitize: frozenset[str]
    format_supported: bool
    format_crypto_erase: bool


def parse_nvme_id_ctrl(text: str) -> NvmeCapabilities:
    """Parse `nvme id-ctrl -o json`: SANICAP bits 0-2, OACS bit 1, FNA bit 2."""
    data = json.loads(text)
    sanicap, oacs, fna = (int(data.get(key, 0)) for key in ("sanicap", "oacs", "fna"))
    names = ("crypto-erase", "block-erase", "overwrite")
    return NvmeCapabilities(
        sanitize=frozenset(name for bit, name in enumerate(names) if sanicap >> bit & 1),
        format_supported=bool(oacs >> 1 & 1),
        format_crypto_erase=bool(fna >> 2 & 1),
    )


@dataclass
class Decision:
    """What will be done to one disk, and why."""

    method: Literal["clear", "purge"]
    technique: str
    pattern: str = "zeros"  # for Clear: "zeros" or "random"
    fallback_reason: str | None = None  # in English; `fallback` holds its reason codes
    fallback: list[Message] = field(default_factory=list)
    purge_available: str | None = None
    hidden_area: HiddenArea | None = None
    hidden_bytes: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def clear_technique(self) -> str:
        """The Clear overwrite used when this decision is Clear, or when Purge falls back."""
        return "overwrite-aes-256-ctr" if self.pattern == "random" else "overwrite-zeros"


def is_flash(disk: Disk) -> bool:
    """SSD, NVMe or flash stick: the kinds for which Purge is preferred."""
    return disk.transport == "nvme" or disk.rotational is False


def _ata_purge(ident: AtaIdentify) -> tuple[str | None, Message | None]:
    """Return (purge technique, None) or (None, reason it is not possible)."""
    if not ident.integrity_ok:
        return None, say("purge.identify_garbled")
    if ident.sanitize:
        best = next(
            n for n in ("crypto-scramble", "block-erase", "overwrite") if n in ident.sanitize
        )
        return f"ata-sanitize-{best}", None
    sec = ident.security
    if sec is None or not sec.supported:
        return None, say("purge.ata_unsupported")
    if sec.frozen:
        return None, say("purge.security_frozen")
    if sec.locked or sec.enabled:
        return None, say("purge.security_locked")
    if ident.solid_state:
        return None, say("purge.only_security_erase")
    kind = "enhanced" if sec.enhanced_erase else "normal"
    return f"ata-security-erase-{kind}", None


def _nvme_purge(caps: NvmeCapabilities) -> tuple[str | None, Message | None]:
    for name in ("crypto-erase", "block-erase", "overwrite"):
        if name in caps.sanitize:
            return f"nvme-sanitize-{name}", None
    if caps.format_supported:
        ses = "crypto-erase" if caps.format_crypto_erase else "user-data-erase"
        return f"nvme-format-{ses}", None
    return None, say("purge.nvme_unsupported")


_NSID = re.compile(r"^\s*\[\s*\d+\]:\s*0x([0-9a-fA-F]+)", re.MULTILINE)


def parse_nvme_list_ns(text: str) -> list[int]:
    """Active namespace IDs from `nvme list-ns` ("[   0]:0x1" lines)."""
    return [int(nsid, 16) for nsid in _NSID.findall(text)]


def _single_namespace(
    disk: Disk, run: CommandRunner, technique: str
) -> tuple[str | None, Message | None]:
    """Sanitize (and Format with secure erase, on many controllers) erases every namespace."""
    status, out = run(["nvme", "list-ns", disk.path])
    namespaces = parse_nvme_list_ns(out) if status == 0 else []
    if not namespaces:
        return None, say("purge.namespaces_unlisted")
    if len(namespaces) > 1:
        return None, say("purge.many_namespaces", count=len(namespaces), technique=technique)
    return technique, None


def probe_purge(disk: Disk, run: CommandRunner) -> tuple[str | None, Message | None]:
    """Find a Purge technique for `disk`: (technique, None) or (None, reason)."""
    if disk.transport == "usb":
        return None, say("purge.usb_bridge")
    if disk.transport == "nvme":
        status, out = run(["nvme", "id-ctrl", disk.path, "-o", "json"])
        if status != 0:
            return None, say("purge.tool_failed", command="nvme id-ctrl", status=status)
        technique, reason = _nvme_purge(parse_nvme_id_ctrl(out))
        if technique is None:
            return None, reason
        return _single_namespace(disk, run, technique)
    if disk.transport in ("sata", "sas", "scsi"):
        status, out = run(["hdparm", "-I", disk.path])
        if status != 0:
            return None, say("purge.tool_failed", command="hdparm -I", status=status)
        return _ata_purge(parse_hdparm_identify(out))
    return None, say("purge.no_command_path", transport=disk.transport)


def probe_hidden_area(disk: Disk, run: CommandRunner) -> tuple[HiddenArea | None, int]:
    """Read the HPA of an ATA disk; return (record part, bytes hidden and not erased)."""
    if disk.transport not in ("sata", "sas", "scsi"):
        return None, 0
    status, out = run(["hdparm", "-N", disk.path])
    state = parse_hdparm_max_sectors(out) if status == 0 else None
    if state is None:
        return HiddenArea(detected=False, note="hdparm -N gave no answer"), 0
    area = HiddenArea(
        detected=state.hidden_sectors > 0,
        current_max_sectors_before=state.current,
        native_max_sectors_before=state.native,
        current_max_sectors_after=state.current,
        native_max_sectors_after=state.native,
        removed=False,
        note="HPA left in place: its sectors are not erased" if state.hidden_sectors else None,
    )
    return area, state.hidden_sectors * disk.logical_sector_size


def decide(disk: Disk, requested: str, run: CommandRunner = run_command) -> Decision:
    """Pick Purge or Clear for `disk` under the requested method (auto/zero/random/purge).

    The method asked for is done as asked, never replaced: `zero` writes zeros even on flash
    (where `auto` would pick Purge, else random data: a controller may compress zeros).
    """
    area, hidden = probe_hidden_area(disk, run)
    random = requested == "random" or (requested != "zero" and is_flash(disk))
    clear_pattern = "random" if random else "zeros"
    if requested in ("zero", "random") or (requested == "auto" and not is_flash(disk)):
        technique = "overwrite-aes-256-ctr" if clear_pattern == "random" else "overwrite-zeros"
        return Decision("clear", technique, clear_pattern, hidden_area=area, hidden_bytes=hidden)
    purge, reason = probe_purge(disk, run)
    if purge is not None:
        return Decision(
            "purge",
            purge,
            clear_pattern,
            purge_available=purge,
            hidden_area=area,
            hidden_bytes=hidden,
        )
    technique = "overwrite-aes-256-ctr" if clear_pattern == "random" else "overwrite-zeros"
    assert reason is not None
    fallback = [say("purge.not_used", reason=[reason]), say("purge.clear_instead")]
    return Decision(
        "clear",
        technique,
        clear_pattern,
        fallback_reason=english(fallback),
        fallback=fallback,
        hidden_area=area,
        hidden_bytes=hidden,
    )
