"""`bench-agent diagnose --send`: queue the result in the outbox as "diagnostic.result".

Same path as `inventory --send` (agents.sync.inventory_send): queued first, so
nothing is lost while the server is away, then one sending pass when enrolled.
"""

from __future__ import annotations

from typing import Any

from agents.errors import AgentError
from agents.protocol.diagnostic import KIND


def send_result(payload: dict[str, Any], *, asset_tag: str | None = None) -> tuple[int, str]:
    """Queue the result, try one pass over the outbox; return (exit status, message)."""
    from agents.settings import load_settings  # noqa: PLC0415
    from agents.sync.link import make_client, open_outbox  # noqa: PLC0415
    from agents.sync.sender import flush  # noqa: PLC0415

    try:
        settings = load_settings()
        outbox = open_outbox(settings)
    except AgentError as error:
        return 1, f"bench-agent: diagnostic NOT queued: {error}"
    try:
        item = outbox.enqueue(KIND, payload, asset_tag=asset_tag)
        queued = f"queued {KIND} {item.key}"
        if not (settings.server_url and settings.token):
            return 0, f"{queued}; not enrolled yet: it will be sent after `bench-agent enroll`"
        flush(outbox, make_client(settings))
        state = outbox.get(item.id)
    except AgentError as error:
        return 1, f"bench-agent: {error}"
    finally:
        outbox.close()
    if state.state == "acked":
        return 0, f"{queued}; sent"
    if state.state == "rejected":
        return 1, f"{queued}; REJECTED by the server: {state.last_error}"
    return 0, f"{queued}; not sent yet ({state.last_error or 'other records first'}): will retry"
