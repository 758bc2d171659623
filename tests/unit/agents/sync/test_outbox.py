"""The outbox keeps every record, hands each to one sender, and recovers abandoned claims."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time

import pytest

from agents.outbox import Outbox, OutboxError, backoff_delay


def test_enqueued_record_survives_a_new_connection_with_its_exact_body(make_outbox):
    item = make_outbox().enqueue("inventory.snapshot", {"a": 1}, asset_tag="K7QX-4M2P-R")
    again = make_outbox().get(item.id)
    body = json.loads(again.body)
    assert body == {
        "idempotency_key": item.key,
        "kind": "inventory.snapshot",
        "payload": {"a": 1},
        "created_at": item.created_at,
        "asset_tag": "K7QX-4M2P-R",
    }
    assert again.state == "ready" and len(item.key) == 36


def test_each_record_gets_its_own_key(make_outbox):
    box = make_outbox()
    keys = {box.enqueue("k", {"n": n}).key for n in range(50)}
    assert len(keys) == 50


def test_database_is_wal_with_full_sync(make_outbox):
    box = make_outbox()
    assert box._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert box._db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


def test_claim_takes_oldest_first_and_counts_the_attempt(make_outbox):
    box = make_outbox()
    first, second = box.enqueue("k", {"n": 1}), box.enqueue("k", {"n": 2})
    claimed = box.claim()
    assert claimed.id == first.id and claimed.state == "in_flight" and claimed.attempts == 1
    assert box.claim().id == second.id
    assert box.claim() is None
    assert box.counts() == {"ready": 0, "in_flight": 2, "acked": 0, "rejected": 0}


def test_ack_reject_and_retry_move_items_between_states(make_outbox):
    box = make_outbox()
    for n in range(3):
        box.enqueue("k", {"n": n})
    box.ack(box.claim(), {"asset_tag": "X"})
    box.reject(box.claim(), "HTTP 422 invalid: bad (field payload.cpu)")
    retried = box.claim()
    box.retry_later(retried, "server unreachable", 3600)
    assert box.counts() == {"ready": 1, "in_flight": 0, "acked": 1, "rejected": 1}
    assert box.pending_count() == 1
    assert box.rejected()[0].last_error.endswith("(field payload.cpu)")
    assert box.claim() is None, "an item waiting for its backoff is not due"
    assert box.claim(ignore_schedule=True).id == retried.id
    assert box.oldest_pending().id == retried.id


def test_claim_of_a_dead_process_is_released(make_outbox):
    box = make_outbox()
    item = box.enqueue("k", {})
    box.claim()
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    box._db.execute("UPDATE item SET claimed_by = ? WHERE id = ?", (dead.pid, item.id))
    again = make_outbox().claim()
    assert again is not None and again.id == item.id and again.attempts == 2


def test_claim_of_a_live_process_is_respected_until_its_lease_ends(make_outbox):
    box = make_outbox()
    item = box.enqueue("k", {})
    box.claim()
    assert make_outbox().claim() is None
    expired = make_outbox(lease=-1.0)
    expired._db.execute("UPDATE item SET lease_until = 0 WHERE id = ?", (item.id,))
    assert expired.claim().id == item.id


def test_concurrent_senders_never_claim_the_same_item(make_outbox):
    setup = make_outbox()
    for n in range(200):
        setup.enqueue("k", {"n": n})
    boxes = [make_outbox() for _ in range(4)]
    claimed: list[list[int]] = [[] for _ in boxes]

    def drain(index: int) -> None:
        while (item := boxes[index].claim()) is not None:
            claimed[index].append(item.id)
            boxes[index].ack(item, None)

    threads = [threading.Thread(target=drain, args=(i,)) for i in range(len(boxes))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    every = [i for ids in claimed for i in ids]
    assert len(every) == 200 and len(set(every)) == 200
    assert setup.counts()["acked"] == 200


def test_prune_forgets_only_old_acknowledged_items(make_outbox):
    box = make_outbox()
    old, recent, waiting = (box.enqueue("k", {"n": n}) for n in range(3))
    box.ack(box.claim(), None)
    box.ack(box.claim(), None)
    box._db.execute("UPDATE item SET done_at = '2020-01-01T00:00:00+00:00' WHERE id = ?", (old.id,))
    assert box.prune_acked(30) == 1
    assert box.counts() == {"ready": 1, "in_flight": 0, "acked": 1, "rejected": 0}
    assert box.get(recent.id).state == "acked" and box.get(waiting.id).state == "ready"


@pytest.mark.parametrize("attempts", range(1, 12))
def test_backoff_grows_exponentially_with_jitter_and_a_cap(attempts):
    ceiling = min(300.0, 2.0 * 2 ** (attempts - 1))
    delays = [backoff_delay(attempts) for _ in range(200)]
    assert all(ceiling / 2 <= d <= ceiling for d in delays)
    assert len(set(delays)) > 1, "no jitter"


def test_outbox_in_an_unwritable_place_says_so(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(OutboxError, match="cannot open the outbox"):
        Outbox(blocker / "outbox.sqlite3")


def test_next_due_reports_the_earliest_retry(make_outbox):
    box = make_outbox()
    assert box.next_due() is None
    box.enqueue("k", {})
    box.retry_later(box.claim(), "x", 60)
    assert time.time() + 50 < box.next_due() < time.time() + 61
