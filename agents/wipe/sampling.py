"""Sampled verification after NIST SP 800-88: subsections, pseudorandom samples, both ends.

The device is cut into at least 1,000 equal subsections; in each, `pieces`
pseudorandom, non-overlapping samples together cover `coverage` of it (10% by
default). The first and the last LBA are always read. The seed is recorded so
the same plan can be replayed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

SUBSECTIONS = 1000
COVERAGE = 0.10
PIECES = 4

SCHEME = (
    "NIST SP 800-88 sampling: {subsections} subsections, {pieces} pseudorandom samples in each, "
    "first and last LBA, {coverage:.1%} of the device read"
)


@dataclass(frozen=True)
class SamplePlan:
    """Byte ranges to read back and what they amount to."""

    ranges: list[tuple[int, int]]
    subsections: int
    coverage: float
    seed: int

    def describe(self) -> str:
        """One line for the wipe record."""
        return SCHEME.format(subsections=self.subsections, pieces=PIECES, coverage=self.coverage)


def _merge(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, length in sorted(ranges):
        if merged and start <= merged[-1][0] + merged[-1][1]:
            last_start, last_len = merged[-1]
            merged[-1] = (last_start, max(last_len, start + length - last_start))
        else:
            merged.append((start, length))
    return merged


def _subsection_samples(
    rng: random.Random, first: int, count: int, coverage: float
) -> list[tuple[int, int]]:
    """Pick PIECES samples (in sectors) inside sectors [first, first + count)."""
    slot = max(1, count // PIECES)
    want = max(1, round(count * coverage / PIECES))
    samples = []
    for slot_start in range(first, first + count, slot):
        slot_len = min(slot, first + count - slot_start)
        length = min(want, slot_len)
        samples.append((slot_start + rng.randrange(slot_len - length + 1), length))
    return samples


def nist_plan(
    size: int,
    sector: int,
    *,
    seed: int,
    subsections: int = SUBSECTIONS,
    coverage: float = COVERAGE,
) -> SamplePlan:
    """Build the sampled verification plan for a device of `size` bytes."""
    sectors = size // sector
    if sectors == 0:
        return SamplePlan([], 0, 0.0, seed)
    count = min(subsections, sectors)
    rng = random.Random(seed)
    picked: list[tuple[int, int]] = [(0, 1), (sectors - 1, 1)]
    for index in range(count):
        first = sectors * index // count
        following = sectors * (index + 1) // count
        picked.extend(_subsection_samples(rng, first, following - first, coverage))
    ranges = [(start * sector, length * sector) for start, length in _merge(picked)]
    covered = sum(length for _, length in ranges)
    return SamplePlan(ranges, count, covered / (sectors * sector), seed)
