"""Where a booted PC keeps its records until the server has them.

A partition labelled ATELIER-DATA (on the stick, made by the workshop) survives a power cut:
it is mounted and used. Otherwise the records stay in RAM (/run), lost if the PC is switched off
before the network comes back; the console says which.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

DATA_LABEL = "ATELIER-DATA"
RAM_DIR = Path("/run/atelier-bench")
MOUNT_POINT = Path("/run/atelier-data")


def prepare_storage(
    label: str = DATA_LABEL, ram_dir: Path = RAM_DIR, mount_point: Path = MOUNT_POINT
) -> tuple[Path, str]:
    """(state directory, French wording of where it is)."""
    found = subprocess.run(
        ["blkid", "-L", label], capture_output=True, text=True, check=False
    ).stdout.strip()
    if found:
        mount_point.mkdir(parents=True, exist_ok=True)
        mounted = subprocess.run(
            ["mount", "-o", "noexec,nodev,nosuid", found, str(mount_point)],
            capture_output=True,
            check=False,
        )
        if mounted.returncode == 0:
            state = mount_point / "atelier-bench"
            state.mkdir(mode=0o700, exist_ok=True)
            return state, "sur la clé (partition ATELIER-DATA)"
    ram_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    return ram_dir, "en mémoire vive (perdus si le PC est éteint avant l'envoi)"
