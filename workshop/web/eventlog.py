"""The event log's signed checkpoints, published for anyone to keep a copy (no login).

$ curl -s https://atelier.example/.well-known/atelier-log-checkpoint.json
{"format": "atelier-log-checkpoint/1", "key_id": "3f9a0c4e1b2d7a65", "root_hash": "5c1e…",
 "signature": "m0Qh…", "timestamp": "2026-12-03T09:12:44.120031+00:00", "tree_size": 241}
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, jsonify, stream_with_context

from workshop.services.checkpoints import CheckpointFile, checkpoint_file

bp = Blueprint("eventlog", __name__)


def _checkpoints() -> CheckpointFile:
    return checkpoint_file(current_app.config["WORKSHOP"].instance_path)


@bp.route("/.well-known/atelier-log-checkpoint.json")
def latest_checkpoint() -> Any:
    """The latest signed checkpoint (tree size and Merkle root of the sealed events)."""
    checkpoint = _checkpoints().latest()
    if checkpoint is None:
        return jsonify(error={"code": "not_found", "message": "no checkpoint yet"}), 404
    return jsonify(checkpoint.as_dict())


@bp.route("/.well-known/atelier-log-checkpoints.jsonl")
def all_checkpoints() -> Any:
    """Every checkpoint, oldest first, one JSON object a line."""
    path = _checkpoints().path

    def lines() -> Any:
        if path.exists():
            with path.open("rb") as handle:
                yield from handle

    return Response(stream_with_context(lines()), mimetype="application/jsonl")
