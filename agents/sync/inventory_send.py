"""`bench-agent inventory --send`: queue the snapshot in the outbox, then try to send it.

The snapshot is safe once queued: if the server is away, the daemon (or
`bench-agent sync`) sends it later. Sample run::

    $ bench-agent inventory --send --asset-tag K7QX-4M2P-H
    ...
    queued inventory.snapshot 3f0c9a52-...; sent: K7QX-4M2P-H (existing device)
    $ bench-agent inventory --send          # server stopped
    ...
    queued inventory.snapshot 9b1e...; not sent yet (server unreachable: ...): will retry
"""

from __future__ import annotations

from typing import Any

from agents.errors import AgentError

KIND = "inventory.snapshot"


def _outcome(result: Any) -> str:
    if not isinstance(result, dict):
        return "sent"
    label = result.get("label") or result.get("asset_tag")
    match = result.get("match")
    if not label:  # unidentified or ambiguous: a technician binds it on the server
        message = result.get("message") or "waiting for an asset tag on the server"
        return f"sent ({match}: {message})" if match else f"sent ({message})"
    return f"sent: {label}" + (f" ({match} device)" if match else "")


def send_snapshot(snapshot: dict[str, Any], *, asset_tag: str | None = None) -> tuple[int, str]:
    """Queue the snapshot, try one pass over the outbox; return (exit status, message)."""
    from agents.settings import load_settings  # noqa: PLC0415
    from agents.sync.link import make_client, open_outbox  # noqa: PLC0415
    from agents.sync.sender import flush  # noqa: PLC0415

    try:
        settings = load_settings()
        outbox = open_outbox(settings)
    except AgentError as error:
        return 1, f"bench-agent: snapshot NOT queued: {error}"
    try:
        item = outbox.enqueue(KIND, snapshot, asset_tag=asset_tag)
        queued = f"queued {KIND} {item.key}"
        if not (settings.server_url and settings.token):
            return 0, f"{queued}; not enrolled yet: it will be sent after `bench-agent enroll`"
        report = flush(outbox, make_client(settings))
        state = outbox.get(item.id)
    except AgentError as error:
        return 1, f"bench-agent: {error}"
    finally:
        outbox.close()
    if state.state == "acked":
        return 0, f"{queued}; {_outcome(report.results.get(item.id))}"
    if state.state == "rejected":
        return 1, f"{queued}; REJECTED by the server: {state.last_error}"
    reason = state.last_error or "other records are ahead of it"
    return 0, f"{queued}; not sent yet ({reason}): will retry"
