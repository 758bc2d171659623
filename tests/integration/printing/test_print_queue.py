"""Printing a device's label: the bytes that reach the printer carry the device's URL."""

from __future__ import annotations

import base64
import io

from PIL import Image
from sqlmodel import select

import labels
from labels.decode import decode_job, read_qr, render_page
from labels.encode import codepage_table
from workshop.models import LabelJob
from workshop.services.accounts import issue_token
from workshop.services.actors import SYSTEM
from workshop.services.printing import create_printer


def _staff_token(db, make_user, role="coordinator"):
    token = issue_token(db, user=make_user(role))
    db.commit()
    return token


def _printer(db, uri, name="Comptoir", bench_id=None, profile="tm-t20ii", media="58mm", qr=None):
    printer = create_printer(
        db, SYSTEM, name=name, uri=uri, profile=profile, media=media, qr_mode=qr, bench_id=bench_id
    )
    db.commit()
    return printer


def _url(app, device):
    return f"{app.config['WORKSHOP'].public_base_url}/d/{device.asset_tag}"


def test_network_printer_receives_a_label_whose_qr_is_the_device_url(
    app, api, db, make_user, recording_printer, inventoried_device
):
    token = _staff_token(db, make_user)
    printer = _printer(db, recording_printer.uri)
    response = api(
        "POST",
        f"/api/v1/devices/{inventoried_device.asset_tag}/labels",
        token=token,
        json={"printer_id": printer.id},
    )
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["status"] == "printed"
    assert len(recording_printer.jobs) == 1
    job = decode_job(recording_printer.jobs[0], codepage_table(labels.get_profile("tm-t20ii")))
    assert [q.payload.decode() for q in job.qr_codes] == [_url(app, inventoried_device)]
    assert job.qr_codes[0].error_correction == "M"
    text = " ".join(line.text for line in job.lines)
    tag = inventoried_device.asset_tag
    assert f"{tag[:4]}-{tag[4:8]}-{tag[8]}" in text
    assert "i7-7600U" in text and "8 Go" in text and "SSD 500 Go" in text
    assert job.cut is not None


def test_raster_mode_is_read_back_by_zbar(
    app, api, db, make_user, recording_printer, inventoried_device
):
    token = _staff_token(db, make_user)
    printer = _printer(db, recording_printer.uri, profile="pos-5890", media="58mm")
    api(
        "POST",
        f"/api/v1/devices/{inventoried_device.asset_tag}/labels",
        token=token,
        json={"printer_id": printer.id},
    )
    job = decode_job(recording_printer.jobs[0], codepage_table(labels.get_profile("pos-5890")))
    assert not job.qr_codes and job.rasters
    page = render_page(job, labels.get_media("58mm").printable_width)
    assert read_qr(page) == [_url(app, inventoried_device)]


def test_unreachable_printer_fails_clearly_then_retry_prints(
    app, api, db, make_user, free_port, inventoried_device
):
    import socket
    import threading

    token = _staff_token(db, make_user)
    printer = _printer(db, f"tcp://127.0.0.1:{free_port}")
    response = api(
        "POST",
        f"/api/v1/devices/{inventoried_device.asset_tag}/labels",
        token=token,
        json={"printer_id": printer.id},
    )
    body = response.get_json()
    assert body["status"] == "failed" and str(free_port) in body["last_error"]
    received: list[bytes] = []
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", free_port))
    listener.listen(1)

    def accept() -> None:
        conn, _ = listener.accept()
        with conn:
            data = b""
            while chunk := conn.recv(65536):
                data += chunk
            received.append(data)

    thread = threading.Thread(target=accept)
    thread.start()
    retried = api("POST", f"/api/v1/label-jobs/{body['id']}/retry", token=token)
    assert retried.get_json()["status"] == "queued"
    from workshop.db import get_engine
    from workshop.services.printing import deliver

    done = deliver(get_engine(app), body["id"])
    thread.join(timeout=10)
    listener.close()
    assert done.status == "printed" and done.attempts == 2
    db.commit()
    assert received == [db.get(LabelJob, body["id"]).data]


def test_bench_printer_jobs_go_through_the_bench(
    api, db, make_user, make_bench, inventoried_device
):
    token = _staff_token(db, make_user, "technician")
    bench, bench_token = make_bench("Établi étiquettes")
    other, other_token = make_bench("Autre établi")
    printer = _printer(
        db, "usb://0416:5011", name="USB établi", bench_id=bench.id, profile="pos-5890"
    )
    response = api(
        "POST",
        f"/api/v1/devices/{inventoried_device.asset_tag}/labels",
        token=token,
        json={"printer_id": printer.id},
    )
    assert response.status_code == 201 and response.get_json()["status"] == "queued"
    pending = api("GET", "/api/v1/bench/label-jobs", token=bench_token).get_json()
    assert [j["id"] for j in pending] == [response.get_json()["id"]]
    assert pending[0]["printer"]["uri"] == "usb://0416:5011"
    db.commit()
    stored = db.exec(select(LabelJob)).one()
    assert base64.b64decode(pending[0]["data_base64"]) == stored.data
    assert api("GET", "/api/v1/bench/label-jobs", token=other_token).get_json() == []
    job_id = pending[0]["id"]
    stolen = api(
        "POST",
        f"/api/v1/bench/label-jobs/{job_id}/result",
        token=other_token,
        json={"printed": True},
    )
    assert stolen.status_code == 404
    failed = api(
        "POST",
        f"/api/v1/bench/label-jobs/{job_id}/result",
        token=bench_token,
        json={"printed": False, "error": "paper out"},
    )
    assert (
        failed.get_json()["status"] == "failed" and failed.get_json()["last_error"] == "paper out"
    )
    assert api("GET", "/api/v1/bench/label-jobs", token=bench_token).get_json() == []
    api("POST", f"/api/v1/label-jobs/{job_id}/retry", token=token)
    for _ in range(2):  # reporting twice is harmless
        done = api(
            "POST",
            f"/api/v1/bench/label-jobs/{job_id}/result",
            token=bench_token,
            json={"printed": True},
        )
        assert done.get_json()["status"] == "printed"
    assert done.get_json()["attempts"] == 2


def test_bad_printer_settings_are_refused_naming_the_field(api, db, make_user):
    token = _staff_token(db, make_user)
    cases = {
        "uri": {"uri": "lpt://1"},
        "profile": {"profile": "hp-laserjet"},
        "media": {"media": "A4"},
        "qr_mode": {"qr_mode": "hologram"},
    }
    for field, change in cases.items():
        body = {
            "name": f"P {field}",
            "uri": "tcp://127.0.0.1:9100",
            "profile": "tm-t20ii",
            "media": "58mm",
            **change,
        }
        response = api("POST", "/api/v1/printers", token=token, json=body)
        assert response.status_code == 422, field
        assert response.get_json()["error"]["field"] == field
    die_cut_on_receipt_printer = {
        "name": "P",
        "uri": "tcp://127.0.0.1:9100",
        "profile": "pos-5890",
        "media": "50x30",
    }
    response = api("POST", "/api/v1/printers", token=token, json=die_cut_on_receipt_printer)
    assert response.get_json()["error"]["field"] == "media"


def test_label_preview_png_reads_back(app, web, make_user, inventoried_device):
    from tests.conftest import PASSWORD

    user = make_user("technician")
    web.login(user.email, PASSWORD)
    for media in ("58mm", "80mm", "50x30"):
        response = web.get(f"/devices/{inventoried_device.asset_tag}/label.png?media={media}")
        assert response.status_code == 200 and response.mimetype == "image/png"
        image = Image.open(io.BytesIO(response.data))
        assert read_qr(image) == [_url(app, inventoried_device)], media
    assert web.get(f"/devices/{inventoried_device.asset_tag}/label.png?media=A4").status_code == 422


def test_print_from_the_device_page(web, db, make_user, recording_printer, inventoried_device):
    from tests.conftest import PASSWORD

    user = make_user("technician")
    web.login(user.email, PASSWORD)
    printer = _printer(db, recording_printer.uri)
    page = web.get(f"/devices/{inventoried_device.asset_tag}").get_data(as_text=True)
    assert "Imprimer l'étiquette" in page and "label.png" in page
    response = web.post_form(
        f"/devices/{inventoried_device.asset_tag}/print",
        {"printer_id": str(printer.id)},
        page=f"/devices/{inventoried_device.asset_tag}",
    )
    assert response.status_code == 302
    assert len(recording_printer.jobs) == 1
    page = web.get(response.headers["Location"]).get_data(as_text=True)
    assert "Étiquette envoyée à Comptoir" in page and "imprimée" in page


def test_print_result_through_the_outbox_record_is_idempotent(
    api, db, make_user, make_bench, inventoried_device
):
    bench, bench_token = make_bench("Établi outbox")
    printer = _printer(db, "file:///dev/usb/lp0", name="lp0", bench_id=bench.id, profile="pos-5890")
    token = _staff_token(db, make_user)
    job_id = api(
        "POST",
        f"/api/v1/devices/{inventoried_device.asset_tag}/labels",
        token=token,
        json={"printer_id": printer.id},
    ).get_json()["id"]
    body = {
        "idempotency_key": "label-result-0001",
        "kind": "label.result",
        "payload": {"job_id": job_id, "printed": True},
    }
    first = api("POST", "/api/v1/bench/records", token=bench_token, json=body)
    assert first.status_code == 201
    assert first.get_json()["result"] == {"job_id": job_id, "status": "printed", "attempts": 1}
    replay = api("POST", "/api/v1/bench/records", token=bench_token, json=body)
    assert replay.status_code == 200 and replay.get_json()["result"]["attempts"] == 1
    bad = api(
        "POST",
        "/api/v1/bench/records",
        token=bench_token,
        json={
            **body,
            "idempotency_key": "label-result-0002",
            "payload": {"job_id": "seven", "printed": True},
        },
    )
    assert bad.status_code == 422 and bad.get_json()["error"]["field"] == "payload.job_id"


def test_a_machine_first_seen_at_a_bench_gets_its_label_there(app, api, db, make_bench, snapshot):
    bench, bench_token = make_bench("Établi accueil")
    _printer(db, "usb://0416:5011", name="USB accueil", bench_id=bench.id, profile="pos-5890")
    sent = api(
        "POST",
        "/api/v1/bench/records",
        token=bench_token,
        json={
            "idempotency_key": "key-intake-01",
            "kind": "inventory.snapshot",
            "payload": snapshot(serial="NEW-MACHINE-1"),
        },
    )
    result = sent.get_json()["result"]
    assert result["match"] == "created" and "label_job" in result
    jobs = api("GET", "/api/v1/bench/label-jobs", token=bench_token).get_json()
    assert [j["id"] for j in jobs] == [result["label_job"]]
    decoded = decode_job(
        base64.b64decode(jobs[0]["data_base64"]), codepage_table(labels.get_profile("pos-5890"))
    )
    page = render_page(decoded, labels.get_media("58mm").printable_width)
    assert read_qr(page) == [f"{app.config['WORKSHOP'].public_base_url}/d/{result['asset_tag']}"]
    again = api("GET", "/api/v1/bench/label-jobs", token=bench_token).get_json()
    assert again[0]["data_base64"] == jobs[0]["data_base64"]  # rendered once, kept


def test_a_wipe_result_queues_a_new_label_on_the_bench(api, db, make_bench, make_device):
    from tests.helpers.records import build_wipe
    from workshop.services.actors import Actor
    from workshop.services.bench_records import receive_record

    bench, bench_token = make_bench("Établi effacement")
    _printer(db, "usb://0416:5011", name="USB effacement", bench_id=bench.id, profile="pos-5890")
    device = make_device("tested")
    receive_record(
        db,
        Actor(bench=bench),
        key="wipe-label-01",
        kind="wipe.record",
        payload=build_wipe(),
        extra={"asset_tag": device.asset_tag},
    )
    db.commit()
    jobs = api("GET", "/api/v1/bench/label-jobs", token=bench_token).get_json()
    assert len(jobs) == 1 and jobs[0]["device_id"] == device.id
    decoded = decode_job(
        base64.b64decode(jobs[0]["data_base64"]), codepage_table(labels.get_profile("pos-5890"))
    )
    assert any(line.text.startswith("Effacé le") for line in decoded.lines)


def test_intake_prints_every_label_of_a_donation(
    app, web, db, make_user, make_donation, recording_printer
):
    from tests.conftest import PASSWORD
    from workshop.services.donations import donation_devices

    user = make_user("technician")
    web.login(user.email, PASSWORD)
    printer = _printer(db, recording_printer.uri)
    donation = make_donation(count=3)
    page = f"/donations/{donation.id}"
    assert "Imprimer les 3 étiquettes" in web.get(page).get_data(as_text=True)
    response = web.post_form(
        f"/donations/{donation.id}/labels", {"printer_id": str(printer.id)}, page=page
    )
    assert response.status_code == 302
    assert "3 étiquettes envoyées à Comptoir" in web.get(page).get_data(as_text=True)
    profile = codepage_table(labels.get_profile("tm-t20ii"))
    printed = {
        decode_job(job, profile).qr_codes[0].payload.decode() for job in recording_printer.jobs
    }
    assert printed == {_url(app, d) for d in donation_devices(db, donation)}


def test_a_donor_neither_sees_nor_uses_the_donation_print_form(web, db, make_user, make_donation):
    from tests.conftest import PASSWORD

    donation = make_donation(count=1)
    printer = _printer(db, "tcp://127.0.0.1:9")
    from workshop.models import Organisation

    donor = make_user("donor", org=db.get(Organisation, donation.donor_id))
    web.login(donor.email, PASSWORD)
    assert "Imprimer les" not in web.get(f"/donations/{donation.id}").get_data(as_text=True)
    response = web.post_form(
        f"/donations/{donation.id}/labels", {"printer_id": str(printer.id)}, page="/login"
    )
    assert response.status_code == 403
