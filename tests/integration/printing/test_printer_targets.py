"""A coordinator cannot point a file:// printer at the server's own files (issue 13, item 5)."""

from __future__ import annotations

from workshop.db import get_engine
from workshop.services.accounts import issue_token
from workshop.services.printing import deliver

SECRET = b"-----BEGIN PRIVATE KEY-----\n"


def _coordinator_token(db, make_user):
    token = issue_token(db, user=make_user("coordinator"))
    db.commit()
    return token


def _body(uri, name="Étiqueteuse"):
    return {"name": name, "uri": uri, "profile": "tm-t20ii", "media": "58mm"}


def test_an_ordinary_file_is_refused_with_the_rule(api, db, make_user, tmp_path):
    secret = tmp_path / "keys" / "signing.pem"
    secret.parent.mkdir()
    secret.write_bytes(SECRET)
    token = _coordinator_token(db, make_user)
    response = api("POST", "/api/v1/printers", token=token, json=_body(f"file://{secret}"))
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["field"] == "uri"
    assert "must be a printer device" in error["message"]
    assert "(WORKSHOP_PRINTER_FILE_DIR: none configured)" in error["message"]
    assert secret.read_bytes() == SECRET


def test_a_printer_device_is_accepted_other_devices_and_planted_files_are_not(
    api, db, make_user, tmp_path
):
    token = _coordinator_token(db, make_user)
    response = api("POST", "/api/v1/printers", token=token, json=_body("file:///dev/usb/lp3"))
    assert response.status_code == 201, response.get_json()  # unplugged: accepted by its name
    planted = tmp_path / "lp0"
    planted.write_bytes(b"")
    for n, uri in enumerate(("file:///dev/null", "file:///dev/kmsg", f"file://{planted}")):
        response = api("POST", "/api/v1/printers", token=token, json=_body(uri, f"P{n}"))
        assert response.status_code == 422 and response.get_json()["error"]["field"] == "uri"


def test_a_printer_saved_before_the_stricter_rule_is_flagged(
    api, web, db, make_user, inventoried_device
):
    from tests.conftest import PASSWORD
    from workshop.models import Printer

    user = make_user("coordinator")
    token = issue_token(db, user=user)
    db.add(Printer(name="Ancienne", uri="file:///dev/null", profile="tm-t20ii", media="58mm"))
    db.add(Printer(name="Réseau", uri="tcp://127.0.0.1:9", profile="tm-t20ii", media="58mm"))
    db.commit()
    listed = {p["name"]: p for p in api("GET", "/api/v1/printers", token=token).get_json()}
    assert "must be a printer device" in listed["Ancienne"]["target_problem"]
    assert listed["Réseau"]["target_problem"] is None
    assert web.login(user.email, PASSWORD).status_code == 302
    page = web.get("/printers/").get_data(as_text=True)
    assert page.count("Cette imprimante ne peut pas servir") == 1
    assert "imprimante (/dev/usb/lp0, /dev/lp0, un port série)" in page
    # And its jobs fail naming the rule: the device is not even opened.
    url = f"/api/v1/devices/{inventoried_device.asset_tag}/labels"
    job = api("POST", url, token=token, json={"printer_id": listed["Ancienne"]["id"]}).get_json()
    assert job["status"] == "failed" and "must be a printer device" in job["last_error"]


def test_the_web_form_says_the_rule_in_a_4xx(web, make_user, tmp_path):
    from tests.conftest import PASSWORD

    user = make_user("coordinator")
    assert web.login(user.email, PASSWORD).status_code == 302
    data = {**_body(f"file://{tmp_path}/atelier.sqlite3"), "qr_mode": "", "bench_id": ""}
    response = web.post_form("/printers/", data, page="/printers/")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "imprimante (/dev/usb/lp0, /dev/lp0, un port série)" in page
    assert "WORKSHOP_PRINTER_FILE_DIR : aucun configuré" in page


def test_a_symlink_swapped_in_after_creation_is_refused_at_print_time(
    app, api, db, make_user, monkeypatch, tmp_path, inventoried_device
):
    folder = tmp_path / "printers"
    folder.mkdir()
    monkeypatch.setattr(app.config["WORKSHOP"], "printer_file_dir", folder)
    secret = tmp_path / "atelier.sqlite3"
    secret.write_bytes(SECRET)
    target = folder / "lp0"
    target.write_bytes(b"")
    token = _coordinator_token(db, make_user)
    response = api("POST", "/api/v1/printers", token=token, json=_body(f"file://{target}"))
    assert response.status_code == 201, response.get_json()
    printer_id = response.get_json()["id"]
    url = f"/api/v1/devices/{inventoried_device.asset_tag}/labels"
    printed = api("POST", url, token=token, json={"printer_id": printer_id})
    assert printed.get_json()["status"] == "printed"
    assert target.read_bytes()  # the folder's file did receive the first label

    target.unlink()
    target.symlink_to(secret)
    job = api("POST", url, token=token, json={"printer_id": printer_id}).get_json()
    assert job["status"] == "failed"
    assert "must be a printer device" in job["last_error"]
    retried = api("POST", f"/api/v1/label-jobs/{job['id']}/retry", token=token)
    assert retried.get_json()["status"] == "queued"
    done = deliver(get_engine(app), job["id"], file_dir=folder)
    assert done.status == "failed"
    assert secret.read_bytes() == SECRET
