"""Records of the previous agent version (tests/fixtures/golden/agent-0.1, produced by agent 0.1's
own code) still reach the server through the real API, on SQLite and PostgreSQL, and show in
the page's language.

A bench is not upgraded the day its server is: whatever the server learns to read, it must keep
reading what deployed agents send. Each golden body is POSTed byte for byte, in the order the
agent queued it.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

from sqlmodel import select

from tests.conftest import PASSWORD
from workshop.models import BenchRecord, BenchTask, WipeRecord

GOLDEN = Path(__file__).resolve().parents[2] / "fixtures" / "golden" / "agent-0.1"


def _bodies() -> list[tuple[str, bytes]]:
    files = sorted(GOLDEN.glob("*.json"))
    assert len(files) == 21, [f.name for f in files]
    return [(f.name, f.read_bytes()) for f in files]


def _send_all(api, token) -> dict[str, dict]:
    answers = {}
    for name, raw in _bodies():
        sent = api("POST", "/api/v1/bench/records", token=token, data=raw,
                   headers={"Content-Type": "application/json"})  # fmt: skip
        assert sent.status_code == 201, (name, sent.get_json())
        answers[name] = sent.get_json()
        replay = api("POST", "/api/v1/bench/records", token=token, data=raw,
                     headers={"Content-Type": "application/json"})  # fmt: skip
        assert replay.status_code == 200 and replay.get_json()["status"] == "duplicate", name
    return answers


def _golden_device(db, make_device):
    device = make_device("received")
    device.asset_tag = "K7QX4M2PH"  # the tag the golden records were queued with
    db.add(device)
    db.commit()
    return device


def test_every_golden_record_is_accepted_and_stored(api, db, make_bench, make_device):
    device = _golden_device(db, make_device)
    _, token = make_bench("Établi golden")
    answers = _send_all(api, token)
    db.expire_all()

    assert len(db.exec(select(BenchRecord)).all()) == 21
    first, second = (
        answers["01-inventory.snapshot-inventory.json"],
        answers["02-inventory.snapshot-inventory.json"],
    )
    assert first["result"]["match"] == "unidentified"  # the VM: no SMBIOS, a technician binds it
    assert second["result"]["match"] == "bound" and second["result"]["asset_tag"] == "K7QX4M2PH"
    assert (device.vendor, device.serial) == ("LENOVO", "PF0QMY5N")
    assert answers["20-diagnostic.result-diagnostic.json"]["result"]["suggested_grade"] == "B"

    wipes = sorted(db.exec(select(WipeRecord)), key=lambda w: w.id or 0)
    assert [str(w.result) for w in wipes] == ["passed", "passed_with_reservations", "passed",
                                              "failed"]  # fmt: skip
    assert {w.device_id for w in wipes} == {device.id}
    assert json.loads(wipes[1].reservations) == ["sampled_verification"]
    assert wipes[2].fallback_reason == (
        "Purge not used: no ATA or NVMe command path to this disk (transport loop); Clear instead"
    )
    assert json.loads(wipes[3].errors)[0]["lba"] == 8192

    tasks = {t.uid.removeprefix("golden-"): t for t in db.exec(select(BenchTask))}
    assert {uid: t.status for uid, t in tasks.items()} == {
        "wipe-passed": "passed",
        "wipe-sampled": "passed_with_reservations",
        "wipe-purge-fallback": "passed",
        "wipe-failed": "failed",
        "wipe-refused-mounted": "refused",
        "wipe-refused-other-disk": "refused",
        "diagnose-disk": "passed",
        "diagnose-machine": "passed",
    }
    # Kept as the agent sent it: the server translates only when it shows it.
    assert tasks["wipe-failed"].message == "write failed at LBA 8192: Input/output error"
    assert tasks["wipe-refused-mounted"].message.startswith("/dev/loop4 is protected: mounted: ")
    assert tasks["diagnose-machine"].verdict == "B"
    assert {t.reasons for t in tasks.values()} == {"[]"}  # no codes before 0.2: text only
    assert {w.fallback_reasons for w in wipes} == {"[]"}


def test_golden_messages_show_in_the_page_language(api, db, web, make_bench, make_device,
                                                   make_user):  # fmt: skip
    device = _golden_device(db, make_device)
    bench, token = make_bench("Établi golden")
    _send_all(api, token)
    assert web.login(make_user("coordinator").email, PASSWORD).status_code == 302

    board = html.unescape(web.get(f"/benches/{bench.id}").get_data(as_text=True))
    assert "/dev/loop4 est protégé : monté : loop4 sur /tmp/" in board
    assert "/dev/loop5 n'est pas le disque confirmé (maintenant ?, n° de série ?" in board
    page = html.unescape(web.get(f"/devices/{device.asset_tag}").get_data(as_text=True))
    # Agent 0.1 appends the system's error text, which the old templates did not match (it
    # showed in English); the reason codes' template reads it now.
    assert "échec d'écriture au secteur (LBA) 8192 : Input/output error" in page
    assert "Purge non utilisée" in page

    english = html.unescape(web.get(f"/benches/{bench.id}?lang=en").get_data(as_text=True))
    assert "/dev/loop4 is protected: mounted: loop4 at /tmp/" in english
