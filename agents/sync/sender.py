"""Send what waits in the outbox, one item at a time, oldest first.

Each answer decides the item's fate: 201 created or 200 duplicate -> acked;
a permanent refusal (4xx other than 401/408/425/429) -> rejected, kept with the
server's reason, and the next item is sent; anything transient (server away,
5xx, 408, 429) -> back in line with exponential backoff, and this pass stops (the
next item would meet the same fate); 401 -> back in line untouched, pass stops:
the token was refused and a human must act.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from agents.client import ClientError, ServerClient, ServerRejected, TokenRefused
from agents.outbox import Item, Outbox, backoff_delay


@dataclass
class FlushReport:
    """What one pass over the outbox did."""

    created: int = 0
    duplicates: int = 0
    rejected: int = 0
    stopped_by: ClientError | None = None
    results: dict[int, Any] = field(default_factory=dict)  # item id -> server's result

    @property
    def acked(self) -> int:
        """Items the server confirmed in this pass."""
        return self.created + self.duplicates


def describe_rejection(error: ServerRejected) -> str:
    """One line for a human: status, stable code, message and field."""
    where = f" (field {error.field})" if error.field else ""
    return f"HTTP {error.status} {error.code}: {error.message}{where}"


def send_item(outbox: Outbox, client: ServerClient, item: Item, report: FlushReport) -> bool:
    """Send one claimed item and record the outcome; False when the pass must stop."""
    try:
        status, body = client.send_record(item.body)
    except TokenRefused as error:
        outbox.retry_later(item, describe_rejection(error), 0.0)
        report.stopped_by = error
        return False
    except ServerRejected as error:
        if error.transient:
            outbox.retry_later(item, describe_rejection(error), backoff_delay(item.attempts))
            report.stopped_by = error
            return False
        outbox.reject(item, describe_rejection(error))
        report.rejected += 1
        return True
    except ClientError as error:
        outbox.retry_later(item, error.message, backoff_delay(item.attempts))
        report.stopped_by = error
        return False
    result = body.get("result") if isinstance(body, dict) else None
    outbox.ack(item, result)
    report.results[item.id] = result
    if status == 200 and isinstance(body, dict) and body.get("status") == "duplicate":
        report.duplicates += 1
    else:
        report.created += 1
    return True


def flush(
    outbox: Outbox,
    client: ServerClient,
    *,
    ignore_schedule: bool = False,
    stop: threading.Event | None = None,
) -> FlushReport:
    """Send items until none is due, the server fails us, or `stop` is set."""
    report = FlushReport()
    while stop is None or not stop.is_set():
        item = outbox.claim(ignore_schedule=ignore_schedule)
        if item is None or not send_item(outbox, client, item, report):
            break
    return report
