"""`workshop verify-log` against someone with write access to the database (real SQL), but
without the instance's key folder and checkpoint file: every change below is named."""

from __future__ import annotations

import json
import re

from sqlalchemy import text
from sqlmodel import Session

from tests.helpers.tampering import rewrite_chain
from workshop.services.checkpoints import checkpoint_file
from workshop.services.events import verify_chain

ZERO = "0" * 64


def _broken(result, *words: str) -> str:
    assert result.exit_code == 1, result.output
    for word in words:
        assert word in result.output, result.output
    return result.output


def test_a_genuine_log_and_its_wipe_records_pass(chain, verify_log, make_bench, send_wipe):
    bench, _token = make_bench()
    send_wipe(bench)
    send_wipe(bench, status="failed")
    chain(3)
    result = verify_log()
    assert result.exit_code == 0, result.output
    match = re.search(
        r"event log intact: (\d+) events, checkpoint of \S+ \(tree size (\d+)\) matches; "
        r"2 wipe records match their events",
        result.output,
    )
    assert match and match.group(1) == match.group(2), result.output
    assert int(match.group(1)) == 5  # two wipe.recorded events and three others


def test_emptying_the_log_and_resetting_the_head_is_named(chain, verify_log, engine):
    chain(6)
    assert verify_log().exit_code == 0
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM event"))
        conn.execute(
            text("UPDATE event_chain_head SET seq = 0, last_hash = :z, frontier = '[]'"),
            {"z": ZERO},
        )
    _broken(verify_log(), "the log was emptied", "covers 6 events", "holds 0")


def test_deleting_the_newest_events_and_rewinding_the_head_is_named(chain, verify_log, engine):
    chain(6)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM event WHERE seq > 4"))
    rewrite_chain(engine)  # head rewound to the 4 events left, frontier recomputed
    with Session(engine) as session:
        assert verify_chain(session).ok  # the database alone no longer shows it
    _broken(verify_log(), "the log was truncated", "covers 6 events", "holds 4")


def test_an_edited_event_with_every_hash_recomputed_is_named(chain, verify_log, engine):
    chain(6)
    with engine.begin() as conn:
        conn.execute(text("UPDATE event SET data = :d WHERE seq = 3"), {"d": '{"i":99}'})
    rewrite_chain(engine)
    with Session(engine) as session:
        assert verify_chain(session).ok  # chain and head are consistent again
    # One checkpoint per commit: the first one after the edited event (seq 3) is contradicted.
    _broken(verify_log(), "events were rewritten", "Merkle root", "the first 3 events")


def test_a_rewrite_hidden_under_newer_checkpoints_breaks_an_earlier_one(chain, verify_log, engine):
    """The sealer goes on from a rewritten head, so the latest checkpoint signs the forged
    tree; the earlier checkpoints are not a prefix of it any more."""
    chain(3)
    with engine.begin() as conn:
        conn.execute(text("UPDATE event SET actor = 'someone-else' WHERE seq = 2"))
    rewrite_chain(engine)
    chain(2)
    _broken(verify_log(), "the first 2 events do not give the Merkle root")


def test_a_changed_wipe_record_is_named(make_bench, send_wipe, verify_log, engine):
    bench, _token = make_bench()
    send_wipe(bench)
    failed = send_wipe(bench, status="failed")["wipe_record_id"]
    assert verify_log().exit_code == 0
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE wipe_record SET result = 'passed' WHERE id = :id"), {"id": failed}
        )
    _broken(verify_log(), f"wipe record #{failed} no longer matches event #", "changed after")


def test_a_wipe_record_moved_to_another_device_is_named(
    make_bench, send_wipe, verify_log, engine, make_device
):
    """Attaching a passed record to another device would lend it an erasure it never had."""
    bench, _token = make_bench()
    wiped, other = make_device("tested"), make_device("tested")
    record = send_wipe(bench, wiped)["wipe_record_id"]
    assert verify_log().exit_code == 0
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE wipe_record SET device_id = :other WHERE id = :id"),
            {"other": other.id, "id": record},
        )
    _broken(verify_log(), f"wipe record #{record} no longer matches event #", "changed after")


def test_a_deleted_or_forged_wipe_record_is_named(make_bench, send_wipe, verify_log, engine):
    bench, _token = make_bench()
    first = send_wipe(bench)["wipe_record_id"]
    with engine.begin() as conn:
        columns = [
            row[0] if engine.dialect.name == "postgresql" else row[1]
            for row in conn.execute(
                text(
                    "SELECT column_name FROM information_schema.columns "
                    "WHERE table_name = 'wipe_record'"
                )
                if engine.dialect.name == "postgresql"
                else text("PRAGMA table_info(wipe_record)")
            )
            if (row[0] if engine.dialect.name == "postgresql" else row[1]) != "id"
        ]
        names = ", ".join(columns)
        conn.execute(
            text(
                f"INSERT INTO wipe_record ({names}) SELECT {names} FROM wipe_record WHERE id = :i"
            ),
            {"i": first},
        )
        forged = conn.execute(text("SELECT max(id) FROM wipe_record")).scalar_one()
    _broken(verify_log(), f"wipe record #{forged} has no wipe.recorded event")
    with engine.begin() as conn:
        conn.execute(
            text("DELETE FROM wipe_record WHERE id IN (:a, :b)"), {"a": first, "b": forged}
        )
    _broken(verify_log(), f"wipe record #{first} named by event #", "was deleted")


def test_an_altered_checkpoint_file_is_named(app, chain, verify_log):
    chain(3)
    path = checkpoint_file(app.config["WORKSHOP"].instance_path).path
    lines = path.read_text().splitlines()
    forged = json.loads(lines[-1]) | {"root_hash": "ab" * 32}
    path.write_text("\n".join([*lines[:-1], json.dumps(forged)]) + "\n")
    _broken(verify_log(), "the latest checkpoint does not verify", "altered")
    lines[-1] = json.dumps(json.loads(lines[-1]) | {"tree_size": 2})
    path.write_text("\n".join(lines) + "\n")
    _broken(verify_log(), "does not verify", "the checkpoint file was altered")


def test_editing_an_event_without_recomputing_names_it(chain, verify_log, engine):
    chain(6)
    with engine.begin() as conn:
        conn.execute(text("UPDATE event SET kind = 'forged' WHERE seq = 5"))
    _broken(verify_log(), "event #5", "altered")
