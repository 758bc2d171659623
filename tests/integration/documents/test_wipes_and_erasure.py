"""Wipe records from a bench: stored, evented, the device moved; the erasure certificate lists a
drive as erased only when its latest record passed, and says what replaced a failed wipe."""

from __future__ import annotations

import json

from sqlmodel import select

from tests.conftest import PASSWORD
from tests.integration.documents.conftest import build_wipe, pdf_text, render_page_one
from workshop.models import Device, Donation, Event, WipeRecord
from workshop.services import asset_tags


def test_a_passed_wipe_is_stored_evented_and_moves_the_device(
    db, make_bench, make_device, send_wipe
):
    bench, _ = make_bench("Établi 2")
    device = make_device("tested")
    result = send_wipe(bench, device, serial="S3ZPASS01")
    assert result["result"] == "passed" and result["asset_tag"] == asset_tags.display(
        device.asset_tag
    )
    row = db.exec(select(WipeRecord).where(WipeRecord.device_id == device.id)).one()
    assert (row.disk_serial, row.method, row.tool, row.passes) == (
        "S3ZPASS01",
        "clear",
        "atelier-wipe",
        1,
    )
    assert row.bytes_written == row.disk_size_bytes == row.bytes_verified
    assert row.bench_id == bench.id and row.technician == "Camille (poste 2)"
    db.refresh(device)
    assert device.status == "wiped"
    kinds = [e.kind for e in db.exec(select(Event).where(Event.device_id == device.id))]
    assert "wipe.recorded" in kinds


def test_a_failed_wipe_moves_the_device_to_wipe_failed(db, make_bench, make_device, send_wipe):
    bench, _ = make_bench()
    device = make_device("tested")
    send_wipe(bench, device, status="failed")
    db.refresh(device)
    assert device.status == "wipe_failed"


def test_the_host_is_found_by_its_serial_and_a_lie_is_refused(
    db, make_bench, make_device, send_wipe
):
    bench, _ = make_bench()
    device = make_device("tested")
    device.serial = "CZC9999ABC"
    db.add(device)
    db.commit()
    assert send_wipe(bench, host_serial="CZC9999ABC")["asset_tag"] == asset_tags.display(
        device.asset_tag
    )
    from workshop.errors import ValidationFailed
    from workshop.services.wipes import parse

    lie = build_wipe(status="failed")
    lie["status"] = "passed"  # errors recorded, verification not run: cannot be "passed"
    try:
        parse(lie)
    except ValidationFailed as exc:
        assert exc.field == "payload"
    else:
        raise AssertionError("a passed record with errors was accepted")


def test_the_wire_record_is_refused_through_the_api_naming_the_field(api, make_bench):
    _bench, token = make_bench()
    record = build_wipe()
    del record["disk"]["serial"], record["tool"]
    response = api(
        "POST",
        "/api/v1/bench/records",
        token=token,
        json={"idempotency_key": "k-wipe-1", "kind": "wipe.record", "payload": record},
    )
    assert response.status_code == 422
    assert response.get_json()["error"]["field"] == "payload"
    assert "tool" in response.get_json()["error"]["message"]


def _certificate(web, donation_id: int) -> bytes:
    response = web.get(f"/donations/{donation_id}/documents/erasure.pdf")
    assert response.status_code == 200, response.get_data(as_text=True)[:400]
    return response.get_data()


def test_certificate_lists_each_drive_and_never_a_failed_one_as_erased(
    app,
    db,
    web,
    make_org,
    make_user,
    make_bench,
    tested_devices,
    send_wipe,
    artifacts_dir,
):
    donor = make_org("collectivite", "Commune de Pléneuf-Val-André")
    ok, bad, retried = tested_devices(donor=donor, count=3)
    donation = db.get(Donation, ok.donation_id)
    bench, _ = make_bench("Établi Nord")
    send_wipe(bench, ok, serial="S3ZOK0001")
    send_wipe(bench, bad, serial="WDBAD0002", model="WDC WD5000AAKX", status="failed")
    send_wipe(bench, retried, serial="S3ZRETRY3", status="interrupted")
    send_wipe(bench, retried, serial="S3ZRETRY3")
    coordinator = make_user("coordinator")
    web.login(coordinator.email, PASSWORD)
    bad_row = db.exec(select(WipeRecord).where(WipeRecord.disk_serial == "WDBAD0002")).one()
    ok_row = db.exec(select(WipeRecord).where(WipeRecord.disk_serial == "S3ZOK0001")).one()
    page = f"/devices/{ok.asset_tag}"
    assert web.post_form(f"/wipes/{ok_row.id}/validation", {}, page).status_code == 302
    page = f"/devices/{bad.asset_tag}"
    response = web.post_form(f"/wipes/{bad_row.id}/destruction", {"witness": "M. Le Goff"}, page)
    assert response.status_code == 302

    data = _certificate(web, donation.id)
    render_page_one(data, artifacts_dir / "documents-erasure")
    text = pdf_text(data)
    assert "Certificat d'effacement" in text and "Pléneuf-Val-André" in text
    for serial in ("S3ZOK0001", "WDBAD0002", "S3ZRETRY3"):
        assert serial in text
    for device in (ok, bad, retried):
        assert asset_tags.display(device.asset_tag) in text
    assert "NIST" in text and "atelier-wipe 0.1.0" in text and "Établi Nord" in text
    assert "Camille" in text and coordinator.full_name in text
    assert "témoin : M. Le Goff" in text
    from workshop.services.documents.pdf import extract_envelope

    facts = json.loads(extract_envelope(data)["payload"])["facts"]
    erased = {d["disk"]["serial"] for d in facts["drives"] if d["erased"]}
    assert erased == {"S3ZOK0001", "S3ZRETRY3"}
    assert facts["totals"] == {"drives": 3, "passed": 2, "failed": 1}
    # The failed drive's row never says EFFACÉ: between its serial and the next drive's row.
    row = text.split("WDBAD0002", 1)[1].split("Samsung", 1)[0].split("Disques non effacés", 1)[0]
    assert "ÉCHEC" in row and "EFFACÉ" not in row


def test_a_drive_certificate_and_wipe_validation_rights(
    db, web, make_user, make_bench, make_donation, make_device, send_wipe
):
    donation = make_donation(count=1)
    device = make_device("tested", donation=donation)
    bench, _ = make_bench()
    send_wipe(bench, device, serial="ONLYTHIS1")
    send_wipe(bench, device, serial="OTHERDISK")
    row = db.exec(select(WipeRecord).where(WipeRecord.disk_serial == "ONLYTHIS1")).one()
    technician = make_user("technician")
    web.login(technician.email, PASSWORD)
    page = f"/devices/{device.asset_tag}"
    assert web.post_form(f"/wipes/{row.id}/validation", {}, page).status_code == 403
    response = web.get(f"/donations/{donation.id}/documents/erasure/{row.id}.pdf")
    text = pdf_text(response.get_data())
    assert "ONLYTHIS1" in text and "OTHERDISK" not in text
    detail = web.get(page).get_data(as_text=True)
    assert f'data-wipe="{row.id}"' in detail


def test_donor_sees_only_its_own_wipes_and_documents(
    db, web, make_org, make_user, make_bench, make_donation, make_device, send_wipe
):
    mine, other = make_org("collectivite", "Mairie A"), make_org("collectivite", "Mairie B")
    donation = make_donation(donor=other, count=1)
    device = make_device("tested", donation=donation)
    bench, _ = make_bench()
    send_wipe(bench, device)
    donor = make_user("donor", org=mine)
    web.login(donor.email, PASSWORD)
    assert web.get(f"/donations/{donation.id}/documents/erasure.pdf").status_code == 404
    assert web.get(f"/devices/{device.asset_tag}").status_code == 404
    _ = db.get(Device, device.id)


def test_hidden_sectors_left_are_printed_next_to_the_drive(
    db, web, make_user, make_bench, tested_devices, send_wipe
):
    (device,) = tested_devices(count=1)
    bench, _ = make_bench()
    hidden = {
        "hidden_bytes_not_erased": 4_194_304,
        "hidden_area": {"detected": True, "removed": False, "note": "HPA présente, non retirée"},
        "reservations": ["hidden_sectors_not_erased"],
    }
    send_wipe(
        bench, device, serial="HPA000001", status="passed_with_reservations", overrides=hidden
    )
    web.login(make_user("coordinator").email, PASSWORD)
    data = _certificate(web, device.donation_id)
    text = pdf_text(data)
    assert "HPA présente, non retirée" in text and "4194304" in text
    assert "zone cachée non effacée" in text


def test_the_widest_asset_tag_is_printed_whole_on_the_certificate(
    db, web, make_user, make_bench, tested_devices, send_wipe
):
    (device,) = tested_devices(count=1)
    device.asset_tag = "WWWMWWWMW"  # the widest valid tag in Helvetica (wider than WWWWWWWW4)
    db.add(device)
    db.commit()
    bench, _ = make_bench()
    send_wipe(bench, device, serial="S3ZWIDE01")
    web.login(make_user("coordinator").email, PASSWORD)
    text = pdf_text(_certificate(web, device.donation_id))
    assert "WWWM-WWWM-W" in text


def test_a_purge_done_by_the_drive_says_so_instead_of_zero_passes(
    db, web, make_user, make_bench, tested_devices, send_wipe
):
    (device,) = tested_devices(count=1)
    bench, _ = make_bench()
    purge = {
        "method": "purge",
        "technique": "ata-sanitize-overwrite",
        "passes": [],
        "bytes_written": 0,
        "purge": {
            "technique": "ata-sanitize-overwrite",
            "utility": "hdparm",
            "command": "hdparm --sanitize-overwrite hex:00000000 /dev/sdb",
            "result": "completed",
            "states_seen": ["accepted", "in_progress", "completed"],
        },
    }
    send_wipe(bench, device, serial="PURGE0001", overrides=purge)
    web.login(make_user("coordinator").email, PASSWORD)
    text = pdf_text(_certificate(web, device.donation_id))
    flat = "".join(text.split())  # a cell may wrap anywhere
    assert "ATASANITIZE,écrasement" in flat, text  # the technique named in French
    # Recorded 09:00 UTC, printed in the workshop's time (Paris, UTC+1 in November).
    assert "20/11/202610:00→" in flat and "(heurelocale)" in flat, text
    assert "effacementparledisquelui-même" in flat and "0passe" not in flat
    # What the drive was seen doing is stated next to the technique.
    assert "commandedudisqueviahdparm:terminée,étatsvus:accepted→in_progress→completed" in flat
    page = web.get(f"/devices/{device.asset_tag}").get_data(as_text=True)
    assert "hdparm: completed (accepted → in_progress → completed)" in page


def test_no_certificate_is_signed_for_a_donation_without_any_known_drive(
    web, db, make_user, make_device, api
):
    from workshop.models import IssuedDocument
    from workshop.services.accounts import issue_token

    device = make_device("received")  # a laptop never inventoried, never wiped
    user = make_user("coordinator")
    assert web.login(user.email, PASSWORD).status_code == 302
    url = f"/donations/{device.donation_id}/documents/erasure.pdf"
    answer = web.get(url)
    assert answer.status_code == 409
    page = answer.get_data(as_text=True)
    assert "Aucun disque de ce don n&#39;est encore connu" in page
    token = issue_token(db, user=user)
    db.commit()
    db.expire_all()
    assert db.exec(select(IssuedDocument)).all() == []  # nothing was signed
    # Once a drive is counted, the certificate lists it as not wiped.
    assert (
        api(
            "PUT", f"/api/v1/devices/{device.asset_tag}/drives", token=token, json={"count": 1}
        ).status_code
        == 200
    )
    certificate = web.get(url)
    assert certificate.status_code == 200 and certificate.mimetype == "application/pdf"
