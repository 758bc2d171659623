"""Sampled verification plan after NIST SP 800-88."""

from __future__ import annotations

from agents.wipe.sampling import nist_plan

SECTOR = 512
SIZE = 500107862016  # a 500 GB disk


def test_plan_covers_every_subsection_both_ends_and_about_ten_percent():
    plan = nist_plan(SIZE, SECTOR, seed=42)
    sectors = SIZE // SECTOR
    assert plan.subsections == 1000
    starts = [offset // SECTOR for offset, _ in plan.ranges]
    ends = [(offset + length) // SECTOR for offset, length in plan.ranges]
    assert starts[0] == 0 and ends[-1] == sectors
    assert 0.099 <= plan.coverage <= 0.11
    for index in range(plan.subsections):
        first, following = sectors * index // 1000, sectors * (index + 1) // 1000
        assert any(first <= s < following for s in starts), f"subsection {index} has no sample"
    assert all(o % SECTOR == 0 and n % SECTOR == 0 and n > 0 for o, n in plan.ranges)
    assert all(a[0] + a[1] < b[0] for a, b in zip(plan.ranges, plan.ranges[1:], strict=False))


def test_plan_is_replayable_from_its_seed_and_differs_between_seeds():
    assert nist_plan(SIZE, SECTOR, seed=7).ranges == nist_plan(SIZE, SECTOR, seed=7).ranges
    assert nist_plan(SIZE, SECTOR, seed=7).ranges != nist_plan(SIZE, SECTOR, seed=8).ranges


def test_tiny_device_is_read_whole_rather_than_under_sampled():
    plan = nist_plan(100 * SECTOR, SECTOR, seed=1)
    assert plan.subsections == 100
    assert plan.coverage == 1.0


def test_describe_says_what_was_done():
    text = nist_plan(SIZE, SECTOR, seed=3).describe()
    assert "NIST SP 800-88" in text and "1000 subsections" in text and "first and last LBA" in text
