"""The Merkle frontier against RFC 9162's definition, and the hashed text of an event."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import pytest

from workshop.services.canonical import canonical_json
from workshop.services.events import chain_text
from workshop.services.merkle import EMPTY_ROOT, Frontier, leaf_hash, node_hash, tree_root


def _leaves(n: int) -> list[bytes]:
    return [hashlib.sha256(str(i).encode()).digest() for i in range(n)]


def test_hashes_follow_rfc_9162_domain_separation():
    # MTH({}) = SHA-256(""), MTH({d}) = SHA-256(0x00 || d), nodes SHA-256(0x01 || l || r).
    assert Frontier().root_hex() == EMPTY_ROOT == hashlib.sha256(b"").hexdigest()
    assert leaf_hash(b"").hex() == (
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"
    )
    a, b = leaf_hash(b"a"), leaf_hash(b"b")
    assert tree_root([b"a", b"b"]) == node_hash(a, b) == hashlib.sha256(b"\x01" + a + b).digest()
    # Three leaves split 2 + 1, not 1 + 2.
    c = leaf_hash(b"c")
    assert tree_root([b"a", b"b", b"c"]) == node_hash(node_hash(a, b), c)


@pytest.mark.parametrize("size", [*range(0, 34), 63, 64, 65, 1000])
def test_the_frontier_gives_the_recursive_root_at_every_size(size):
    leaves = _leaves(size)
    frontier = Frontier()
    for leaf in leaves:
        frontier.append(leaf)
    assert frontier.root() == tree_root(leaves)
    assert len(frontier.nodes) == bin(size).count("1")
    stored = Frontier.from_json(size, frontier.to_json())
    stored.append(b"next")
    assert stored.root() == tree_root([*leaves, b"next"])


def test_a_frontier_that_does_not_fit_its_size_is_refused():
    frontier = Frontier()
    for leaf in _leaves(3):
        frontier.append(leaf)
    with pytest.raises(ValueError, match="a tree of 4 leaves has 1 edge nodes"):
        Frontier.from_json(4, frontier.to_json())
    with pytest.raises(ValueError, match="not a list"):
        Frontier.from_json(0, '{"a": 1}')


def test_the_chained_text_is_the_canonical_json_of_the_event():
    """Sealer and verifier build the text by hand for speed: it must stay canonical JSON."""
    fields = {
        "seq": 7,
        "kind": "wipe.recorded",
        "device_id": None,
        "donation_id": 12,
        "data": canonical_json({"é": "ß", "n": 1, "q": 'a"b\\c'}),
        "actor": "bench:3",
        "bench_id": 3,
        "created_at": datetime(2026, 12, 3, 9, 12, 44, 120031, tzinfo=UTC),
        "prev_hash": "ab" * 32,
    }
    expected = canonical_json(fields | {"created_at": "2026-12-03T09:12:44.120031+00:00"})
    assert chain_text(**fields) == expected
