"""smartctl answered from real captures (tests/fixtures/hardware/smartctl, see its README),
for diagnostic runs without hardware."""

from __future__ import annotations

from pathlib import Path

from agents.inventory.disks import Disk
from agents.inventory.tools import ToolRunner

SMARTCTL = Path(__file__).resolve().parents[1] / "fixtures" / "hardware" / "smartctl"
REPLIES = {
    "/dev/sdb": "usb-jmicron_FAIL_wdc-WD5000AAKS_67-pending.json",
    "/dev/sdc": "sata-ssd_ok_samsung-860EVO_x_not-frozen.json",
    "/dev/vda": "virtio_no-smart_unable-to-detect_exit1.json",
}


class ReplaySmartctl(ToolRunner):
    """`smartctl --json -x DEV` answered from REPLIES; a self-test request gets no answer (as
    from a drive without one); any other command is a test failure (a diagnostic only reads)."""

    def run(self, argv: list[str], timeout: float, ok_codes: object = (0,)) -> str | None:
        if argv[:3] == ["smartctl", "--json", "-x"]:
            return (SMARTCTL / REPLIES[argv[-1]]).read_text()
        assert argv[0] == "smartctl" and {"-t", "-c", "-X"} & set(argv), argv
        return None


def replay_disk(name: str, transport: str) -> Disk:
    """A disk of 500 GiB as the inventory would list it (identity left to smartctl)."""
    return Disk(name, f"/dev/{name}", None, None, None, 500 << 30, 512, 512, None, transport, False)
