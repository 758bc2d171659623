"""Reason codes from current agents reach the pages in the page's language, whatever the English
text next to them says (the text is for logs and older servers); malformed codes are refused
with the field named."""

from __future__ import annotations

import html
import uuid

from sqlmodel import select

from agents.daemon.service import with_protection
from atelier_protocol.reasons import say
from tests.conftest import PASSWORD
from tests.helpers.records import build_wipe
from workshop.models import BenchTask

# Deliberately not the codes' English: what shows must come from the codes.
OFF_TEXT = "a text no template knows"


def _record(api, token, kind, payload, **extra):
    body = {"idempotency_key": uuid.uuid4().hex, "kind": kind, "payload": payload, **extra}
    return api("POST", "/api/v1/bench/records", token=token, json=body)


def _page(web, path, lang="fr"):
    return html.unescape(web.get(f"{path}?lang={lang}").get_data(as_text=True))


def test_a_refusal_and_a_protected_disk_read_from_their_codes(api, db, web, make_bench,
                                                              make_user, snapshot):  # fmt: skip
    bench, token = make_bench()
    disk = snapshot()["disks"][0]
    mounted = say("disk.mounted", dev="sdb1", mountpoint="/boot")
    sent = with_protection(disk, [mounted])
    assert sent["protected"] == ["mounted: sdb1 at /boot"]  # what older servers read
    sent["protected"] = [OFF_TEXT]
    answer = api("PUT", "/api/v1/bench/disks", token=token,
                 json={"observed_at": "2026-12-03T10:00:00Z", "disks": [sent]})  # fmt: skip
    assert answer.status_code == 200
    refused = say("task.disk_protected", path="/dev/sdb", reasons=[mounted])
    status = {
        "uid": "refused-0001", "state": "refused", "at": "2026-12-03T10:01:00Z",
        "message": OFF_TEXT, "reasons": [refused.model_dump()],
        "spec": {"uid": "refused-0001", "kind": "wipe",
                 "disk": {"name": disk["name"], "size_bytes": disk["size_bytes"]}},
    }  # fmt: skip
    assert _record(api, token, "task.status", status).status_code == 201
    task = db.exec(select(BenchTask)).one()
    assert (task.status, task.message) == ("refused", OFF_TEXT)  # the text is kept as sent
    from workshop.services.accounts import issue_token

    staff = issue_token(db, user=make_user("technician"))
    db.commit()
    listed = api("GET", f"/api/v1/benches/{bench.id}/tasks", token=staff).get_json()
    assert listed[0]["reasons"] == [refused.model_dump(mode="json")]  # for integrations

    assert web.login(make_user("coordinator").email, PASSWORD).status_code == 302
    board = _page(web, f"/benches/{bench.id}")
    assert "/dev/sdb est protégé : monté : sdb1 sur /boot" in board
    assert "Protégé" in board and "monté : sdb1 sur /boot" in board
    assert OFF_TEXT not in board
    english = _page(web, f"/benches/{bench.id}", "en")
    assert "/dev/sdb is protected: mounted: sdb1 at /boot" in english


def test_a_wipe_error_and_a_purge_fallback_read_from_their_codes(api, web, make_bench,
                                                                 make_device, make_user):  # fmt: skip
    _, token = make_bench()
    device = make_device("tested")
    error = say("wipe.write_failed", lba=6144, error="Input/output error")
    fallback = [say("purge.not_used", reason=[say("purge.usb_bridge")]), say("purge.clear_instead")]
    record = build_wipe(status="failed", overrides={
        "errors": [{"kind": "io_error", "message": OFF_TEXT, "lba": 6144,
                    "said": error.model_dump()}],
        "fallback_reason": OFF_TEXT, "fallback": [m.model_dump() for m in fallback],
    })  # fmt: skip
    sent = _record(api, token, "wipe.record", record, asset_tag=device.asset_tag)
    assert sent.status_code == 201, sent.get_json()
    assert web.login(make_user("technician").email, PASSWORD).status_code == 302
    page = _page(web, f"/devices/{device.asset_tag}")
    assert "échec d'écriture au secteur (LBA) 6144 : Input/output error" in page
    assert "Purge non utilisée : pas de Purge à travers un adaptateur USB" in page
    assert OFF_TEXT not in page


def test_malformed_codes_are_refused_naming_the_field(api, make_bench, snapshot):
    _, token = make_bench()
    disk = {**snapshot()["disks"][0], "protected_reasons": [{"code": "Not A Code"}]}
    answer = api("PUT", "/api/v1/bench/disks", token=token,
                 json={"observed_at": "2026-12-03T10:00:00Z", "disks": [disk]})  # fmt: skip
    assert answer.status_code == 422
    assert answer.get_json()["error"]["field"].startswith("disks.0.protected_reasons")
    status = {"uid": "bad-reasons-1", "state": "refused", "at": "2026-12-03T10:01:00Z",
              "reasons": [{"code": "disk.mounted", "params": {"dev": {"nested": "dict"}}}]}  # fmt: skip
    refused = _record(api, token, "task.status", status)
    assert refused.status_code == 422
    assert refused.get_json()["error"]["field"].startswith("reasons.0.params")
