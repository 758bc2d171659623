"""Running the Purge that `decide()` chose, and what its result proves.

Dispatch: `ata-sanitize-*` and `ata-security-erase-*` go to agents.wipe.purge_ata,
`nvme-sanitize-*` and `nvme-format-*` to agents.wipe.purge_nvme. Whatever the
firmware says, sampled sectors are fingerprinted before and compared after
(agents.wipe.fingerprint): one that still holds its old content fails the Purge.

Verification after a Purge, decided per technique:

- the content is defined and chosen by us: ATA SANITIZE overwrite and NVMe
  Sanitize overwrite (one pass of zeros; NVMe without deallocation), and the
  normal ATA SECURITY ERASE (the standard says it writes zeros). Every sector
  must read back as zeros; the read-back (full, or NIST sample) is the proof and
  the host writes nothing.
- the content is not defined: crypto scramble / crypto erase (old ciphertext
  under a new key: unpredictable), block erase (vendor pattern, or deallocated),
  enhanced SECURITY ERASE (vendor pattern) and NVMe Format. Reading back cannot
  tell erased from not erased except against the old content, which the
  fingerprints already check. So a Clear overwrite pass of zeros follows and is
  verified, as many erasure tools do ("crypto erase + zero overwrite + verify");
  the record's technique says so: e.g. "nvme-sanitize-crypto-erase+overwrite-zeros".
  The Purge removes what the host cannot reach (spare blocks, remapped sectors);
  the overwrite gives a result the certificate can rest on.
"""

from __future__ import annotations

from agents.inventory.disks import Disk
from agents.wipe.fingerprint import Fingerprints
from agents.wipe.passes import Progress
from agents.wipe.patterns import ZEROS, Pattern
from agents.wipe.purge_ata import ata_sanitize, ata_security_erase
from agents.wipe.purge_nvme import nvme_format, nvme_sanitize
from agents.wipe.purge_poll import PurgeTiming, Tools
from atelier_protocol.wipe import PurgeRecord

DEFINED_CONTENT = {
    "ata-sanitize-overwrite": ZEROS,
    "nvme-sanitize-overwrite": ZEROS,
    "ata-security-erase-normal": ZEROS,
}
FOLLOW_UP = "+overwrite-zeros"
# Fewer changed sectors than this is too little evidence to confirm an ambiguous status.
MIN_EVIDENCE = 16


def expected_content(technique: str) -> Pattern | None:
    """The content every sector holds after `technique`, when it is defined; else None."""
    return DEFINED_CONTENT.get(technique)


def execute_purge(
    disk: Disk, technique: str, tools: Tools, timing: PurgeTiming, progress: Progress
) -> PurgeRecord:
    """Send the Purge command for `technique` and follow it to an honest result."""
    if technique.startswith("ata-sanitize-"):
        return ata_sanitize(disk, technique.removeprefix("ata-sanitize-"), tools, timing, progress)
    if technique.startswith("ata-security-erase-"):
        enhanced = technique.endswith("enhanced")
        return ata_security_erase(disk, enhanced, tools, timing, progress)
    if technique.startswith("nvme-sanitize-"):
        return nvme_sanitize(
            disk, technique.removeprefix("nvme-sanitize-"), tools, timing, progress
        )
    if technique.startswith("nvme-format-"):
        return nvme_format(disk, technique.removeprefix("nvme-format-"), tools, timing)
    raise ValueError(f"unknown Purge technique {technique!r}")


def check_fingerprints(record: PurgeRecord, prints: Fingerprints, fd: int) -> None:
    """Fail a Purge that left sampled sectors unchanged; confirm an ambiguous one that did not."""
    unchanged = prints.unchanged(fd)
    record.sectors_sampled = prints.sampled
    record.sectors_unchanged = len(unchanged)
    if record.result not in ("completed", "unconfirmed"):
        return
    if unchanged:
        record.result = "failed"
        record.message = (
            f"{record.message}; {len(unchanged)} of {prints.sampled} sampled sectors still "
            f"hold their old content (first at LBA {unchanged[0]})"
        )
    elif record.result == "unconfirmed" and prints.sampled >= MIN_EVIDENCE:
        record.result = "completed"
        record.message = (
            f"{record.message}; confirmed by content: all {prints.sampled} sampled sectors changed"
        )


def utility_version(utility: str, tools: Tools) -> str | None:
    """The version line of hdparm or nvme-cli, for the record."""
    argv = ["hdparm", "-V"] if utility == "hdparm" else ["nvme", "version"]
    status, out = tools.run(argv)
    lines = out.strip().splitlines()
    return lines[0].strip()[:100] if status == 0 and lines else None
