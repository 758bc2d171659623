"""Signed checkpoints of the event log, kept outside the database.

After each sealing batch the sealer appends one line to ``instance/log/checkpoints.jsonl``
(fsync'd): the Merkle tree size and root of the sealed events, when, and an Ed25519 signature
by the workshop's active key (``instance/keys``). The latest is served at
``/.well-known/atelier-log-checkpoint.json``. Someone with write access to the database only
cannot make the events agree with a checkpoint they did not sign: truncating, emptying or
rewriting the log (even recomputing every hash) shows at ``workshop verify-log``.

A line looks like::

    {"format":"atelier-log-checkpoint/1","key_id":"3f9a0c4e1b2d7a65","root_hash":"5c1e…",
     "signature":"m0Qh…","timestamp":"2026-12-03T09:12:44.120031+00:00","tree_size":241}
"""

from __future__ import annotations

import fcntl
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from workshop.models.base import utcnow
from workshop.services.canonical import canonical_json
from workshop.services.signing import KeyRing, public_keys_by_id, verify_envelope

CHECKPOINT_FORMAT = "atelier-log-checkpoint/1"
FILE_NAME = "checkpoints.jsonl"


class CheckpointInvalid(ValueError):
    """A line of the checkpoint file that is not a checkpoint."""


@dataclass(frozen=True)
class Checkpoint:
    """A signed statement: the log had `tree_size` sealed events with this Merkle root."""

    tree_size: int
    root_hash: str
    timestamp: str
    key_id: str
    signature: str
    format: str = CHECKPOINT_FORMAT

    def signed_payload(self) -> dict[str, Any]:
        """What the signature covers (canonical JSON of it)."""
        return {
            "format": self.format,
            "tree_size": self.tree_size,
            "root_hash": self.root_hash,
            "timestamp": self.timestamp,
        }

    def as_dict(self) -> dict[str, Any]:
        """The checkpoint as published."""
        return asdict(self)

    def line(self) -> str:
        """One line of the checkpoint file."""
        return canonical_json(self.as_dict())

    @classmethod
    def parse(cls, text: str) -> Checkpoint:
        """A checkpoint from one line; CheckpointInvalid names what is wrong."""
        try:
            value = json.loads(text)
        except ValueError as exc:
            raise CheckpointInvalid(f"not JSON ({exc})") from exc
        if not isinstance(value, dict) or value.get("format") != CHECKPOINT_FORMAT:
            raise CheckpointInvalid(f"not an {CHECKPOINT_FORMAT} object")
        size, root = value.get("tree_size"), value.get("root_hash")
        if not isinstance(size, int) or isinstance(size, bool) or size < 0:
            raise CheckpointInvalid("tree_size is not a non-negative integer")
        if not isinstance(root, str) or len(root) != 64:
            raise CheckpointInvalid("root_hash is not a 64-digit hex digest")
        fields = ("timestamp", "key_id", "signature")
        if not all(isinstance(value.get(name), str) for name in fields):
            raise CheckpointInvalid("timestamp, key_id and signature must be strings")
        return cls(size, root, value["timestamp"], value["key_id"], value["signature"])

    def signature_problem(self, keys: dict[str, bytes]) -> str:
        """Why the signature does not hold against these public keys ("" when it holds)."""
        envelope = {
            "payload": canonical_json(self.signed_payload()),
            "signature": self.signature,
            "key_id": self.key_id,
        }
        check = verify_envelope(envelope, keys)
        return "" if check.valid else str(check.reason)


class CheckpointFile:
    """The append-only checkpoint file of one instance and the key ring that signs it."""

    def __init__(self, folder: Path, ring: KeyRing) -> None:
        self.folder = folder
        self.path = folder / FILE_NAME
        self.ring = ring

    def exists(self) -> bool:
        """Whether any checkpoint was ever written."""
        return self.path.exists()

    def read_all(self) -> list[Checkpoint]:
        """Every checkpoint, oldest first; CheckpointInvalid names the bad line."""
        if not self.path.exists():
            return []
        checkpoints = []
        with self.path.open(encoding="utf-8") as handle:
            for number, text in enumerate(handle, start=1):
                if not text.strip():
                    continue
                try:
                    checkpoints.append(Checkpoint.parse(text))
                except CheckpointInvalid as exc:
                    raise CheckpointInvalid(f"{self.path} line {number}: {exc}") from exc
        return checkpoints

    def latest(self) -> Checkpoint | None:
        """The last checkpoint written (reads only the end of the file)."""
        if not self.path.exists():
            return None
        with self.path.open("rb") as handle:
            text = _last_line(handle)
        return Checkpoint.parse(text) if text else None

    def public_keys(self) -> dict[str, bytes]:
        """The published keys checkpoints are verified against."""
        return public_keys_by_id(self.ring.published())

    def append_if_newer(self, tree_size: int, root_hash: str) -> Checkpoint | None:
        """Sign and append a checkpoint unless the file already covers `tree_size` events.

        Concurrent sealers (threads or processes) take an exclusive lock on the file, so the
        sizes in the file only grow; the line is fsync'd before returning."""
        self.folder.mkdir(parents=True, exist_ok=True)
        created = not self.path.exists()
        with self.path.open("a+b") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                last = _last_line(handle)
                if last and Checkpoint.parse(last).tree_size >= tree_size:
                    return None
                checkpoint = self._sign(tree_size, root_hash)
                handle.seek(0, os.SEEK_END)
                handle.write((checkpoint.line() + "\n").encode())
                handle.flush()
                os.fsync(handle.fileno())
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
        if created:
            _fsync_folder(self.folder)
        return checkpoint

    def _sign(self, tree_size: int, root_hash: str) -> Checkpoint:
        timestamp = utcnow().isoformat(timespec="microseconds")
        unsigned = Checkpoint(tree_size, root_hash, timestamp, key_id="", signature="")
        signed = self.ring.sign(unsigned.signed_payload())
        return Checkpoint(tree_size, root_hash, timestamp, signed.key_id, signed.signature)


def checkpoint_file(instance_path: Path) -> CheckpointFile:
    """The checkpoint file of an instance folder, signed with that instance's keys."""
    return CheckpointFile(instance_path / "log", KeyRing(instance_path / "keys"))


def _last_line(handle: Any, chunk: int = 4096) -> str:
    """The last non-empty line of a file opened in binary mode."""
    end = handle.seek(0, os.SEEK_END)
    data, position = b"", end
    while position > 0:
        step = min(chunk, position)
        position -= step
        handle.seek(position)
        data = handle.read(step) + data
        lines = data.rstrip(b"\n").split(b"\n")
        if len(lines) > 1 or position == 0:
            return lines[-1].decode("utf-8").strip()
    return ""


def _fsync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
