"""The Merkle tree of the event log (RFC 9162 §2.1), kept as a compact frontier.

Leaves are the sealed events' hashes in sequence order. A leaf hashes as SHA-256(0x00 || leaf),
an inner node as SHA-256(0x01 || left || right); a tree of n leaves splits at the largest power
of two below n. The frontier is the list of roots of the perfect subtrees that make up the tree
(one per bit set in n, largest first): appending a leaf merges O(log n) of them, and the tree
head is the frontier folded from the right::

    frontier = Frontier()
    for event_hash in hashes_in_seq_order:
        frontier.append(bytes.fromhex(event_hash))
    frontier.root_hex()  # == tree_root(all leaves).hex()
"""

from __future__ import annotations

import hashlib
import json

EMPTY_ROOT = hashlib.sha256(b"").hexdigest()


def leaf_hash(leaf: bytes) -> bytes:
    """RFC 9162 leaf hash."""
    return hashlib.sha256(b"\x00" + leaf).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """RFC 9162 interior node hash."""
    return hashlib.sha256(b"\x01" + left + right).digest()


class Frontier:
    """The right edge of a Merkle tree: enough to append leaves and compute the root."""

    def __init__(self, size: int = 0, nodes: list[bytes] | None = None) -> None:
        nodes = list(nodes or [])
        if len(nodes) != bin(size).count("1"):
            raise ValueError(f"a tree of {size} leaves has {bin(size).count('1')} edge nodes")
        self.size = size
        self.nodes = nodes

    @classmethod
    def from_json(cls, size: int, text: str) -> Frontier:
        """A frontier stored as a JSON list of hex digests (the head row's column)."""
        values = json.loads(text or "[]")
        if not isinstance(values, list):
            raise ValueError("the frontier is not a list")
        return cls(size, [bytes.fromhex(str(v)) for v in values])

    def to_json(self) -> str:
        """The JSON list of hex digests stored in the head row."""
        return json.dumps([n.hex() for n in self.nodes])

    def append(self, leaf: bytes) -> None:
        """Add one leaf (the raw bytes of an event hash)."""
        node = hashlib.sha256(b"\x00" + leaf).digest()
        size, nodes = self.size, self.nodes
        while size & 1:
            node = hashlib.sha256(b"\x01" + nodes.pop() + node).digest()
            size >>= 1
        nodes.append(node)
        self.size += 1

    def root(self) -> bytes:
        """The tree head: SHA-256 of nothing for an empty tree."""
        if not self.nodes:
            return hashlib.sha256(b"").digest()
        root = self.nodes[-1]
        for node in reversed(self.nodes[:-1]):
            root = node_hash(node, root)
        return root

    def root_hex(self) -> str:
        """The tree head as hex."""
        return self.root().hex()


def tree_root(leaves: list[bytes]) -> bytes:
    """The root of a whole list of leaves, straight from RFC 9162's recursive definition."""
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return leaf_hash(leaves[0])
    split = 1 << ((len(leaves) - 1).bit_length() - 1)
    return node_hash(tree_root(leaves[:split]), tree_root(leaves[split:]))
