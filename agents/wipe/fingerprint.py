"""Sampled sector fingerprints: did a Purge really change what was on the disk?

Before a Purge the agent hashes a few hundred sectors (first, last, and one at a
pseudorandom place in each of evenly spaced slices). Sectors made of one repeated
byte are left out: a blank sector may legitimately read the same after a block
erase. After the Purge, a sampled sector that still holds its old content means
the drive did not erase it, whatever its status says; when every sampled sector
changed, the change itself confirms a Purge whose status alone was ambiguous.
"""

from __future__ import annotations

import hashlib
import os
import random
from dataclasses import dataclass, field

from agents.wipe.patterns import aligned_buffer

SAMPLES = 256


@dataclass
class Fingerprints:
    """Hashes of sampled non-constant sectors, by LBA."""

    sector: int
    hashes: dict[int, bytes] = field(default_factory=dict)

    @property
    def sampled(self) -> int:
        """How many sectors carry evidence (non-constant before the Purge)."""
        return len(self.hashes)

    def unchanged(self, fd: int) -> list[int]:
        """LBAs whose content is still the same as when sampled."""
        return [lba for lba, digest in self.hashes.items() if _read(fd, lba, self.sector) == digest]


def _read(fd: int, lba: int, sector: int) -> bytes | None:
    buf = aligned_buffer(sector)
    try:
        count = os.preadv(fd, [buf], lba * sector)
    except OSError:
        return None
    data = bytes(buf[:count])
    if count != sector or data.count(data[:1]) == sector:
        return None  # unreadable or constant: no evidence either way
    return hashlib.sha256(data).digest()


def sample_lbas(size: int, sector: int, count: int = SAMPLES, seed: int = 0) -> list[int]:
    """First, last, and one pseudorandom LBA in each of `count` slices of the disk."""
    total = size // sector
    if total == 0:
        return []
    rng = random.Random(seed)
    step = max(1, total // count)
    lbas = {0, total - 1}
    lbas.update(min(total - 1, start + rng.randrange(step)) for start in range(0, total, step))
    return sorted(lbas)


def take(fd: int, size: int, sector: int, seed: int = 0) -> Fingerprints:
    """Fingerprint the sampled sectors of an open disk (O_DIRECT-safe reads)."""
    prints = Fingerprints(sector)
    for lba in sample_lbas(size, sector, seed=seed):
        digest = _read(fd, lba, sector)
        if digest is not None:
            prints.hashes[lba] = digest
    return prints
