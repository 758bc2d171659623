"""Queue records in the outbox and try to send them at once (wipe records, diagnostics...).

A record is safe as soon as it is queued: if the bench is not enrolled yet or the server is away,
`bench-agent sync` or the daemon sends it later. Sample run (after a wipe)::

    queued 2 wipe.record records; sent
    queued 1 wipe.record record; not sent yet (server unreachable: ...): will retry
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from agents.errors import AgentError


def queue_records(
    kind: str,
    payloads: list[dict[str, Any]],
    *,
    asset_tag: str | None = None,
    state_dir: Path | None = None,
) -> tuple[bool, str]:
    """Queue every payload, try one pass; return (all queued, a line saying what happened)."""
    from dataclasses import replace  # noqa: PLC0415

    from agents.settings import load_settings  # noqa: PLC0415
    from agents.sync.link import make_client, open_outbox  # noqa: PLC0415
    from agents.sync.sender import flush  # noqa: PLC0415

    if not payloads:
        return True, ""
    noun = f"{kind} record" + ("s" if len(payloads) > 1 else "")
    try:
        settings = load_settings()
        if state_dir is not None and not os.environ.get("BENCH_STATE_DIR"):
            settings = replace(settings, state_dir=str(state_dir))
        outbox = open_outbox(settings)
    except AgentError as error:
        return False, f"{len(payloads)} {noun} NOT queued: {error}"
    try:
        items = [outbox.enqueue(kind, p, asset_tag=asset_tag) for p in payloads]
        if not (settings.server_url and settings.token):
            return True, f"queued {len(items)} {noun}; sent after `bench-agent enroll`"
        flush(outbox, make_client(settings))
        states = [outbox.get(item.id) for item in items]
    except AgentError as error:
        return True, f"queued {len(payloads)} {noun}; not sent yet ({error}): will retry"
    finally:
        outbox.close()
    rejected = [s.last_error for s in states if s.state == "rejected"]
    if rejected:
        return True, f"queued {len(items)} {noun}; REJECTED by the server: {rejected[0]}"
    waiting = [s for s in states if s.state != "acked"]
    if waiting:
        reason = waiting[0].last_error or "other records are ahead"
        return True, f"queued {len(items)} {noun}; not sent yet ({reason}): will retry"
    return True, f"queued {len(items)} {noun}; sent"
