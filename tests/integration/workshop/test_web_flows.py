"""The web UI's forms: intake of a donation, state changes, bad input, languages."""

from __future__ import annotations

import re

from sqlalchemy import func
from sqlmodel import select

from tests.conftest import PASSWORD
from tests.helpers.web_pages import login_as as _login
from workshop.models import Device, Donation, Event


def _intake(donor, **overrides):
    data = {
        "donor_id": str(donor),
        "received_on": "2026-11-20",
        "place": "Mairie, Lamballe",
        "notes": "",
        "items-0-type": "laptop",
        "items-0-count": "3",
        "items-0-serials": "PF0AAA1\nPF0AAA2",
        "items-0-model": "ThinkPad T470",
        "items-1-type": "screen",
        "items-1-count": "1",
        "items-1-serials": "",
        "items-1-model": "",
    }
    for i in range(2, 6):
        data |= {
            f"items-{i}-type": "laptop",
            f"items-{i}-count": "",
            f"items-{i}-serials": "",
            f"items-{i}-model": "",
        }
    return {**data, **overrides}


def test_intake_creates_the_donation_and_one_device_per_item(web, make_user, make_org, db):
    _login(web, make_user)
    donor = make_org("collectivite", "Mairie de Lamballe-Armor")
    response = web.post_form("/donations/new", _intake(donor.id))
    assert response.status_code == 302, response.get_data(as_text=True)
    page = web.get(response.headers["Location"]).get_data(as_text=True)
    assert "Mairie de Lamballe-Armor" in page and "PF0AAA2" in page
    db.commit()
    devices = db.exec(select(Device).order_by(Device.id)).all()
    assert [d.type for d in devices] == ["laptop"] * 3 + ["screen"]
    assert [d.serial for d in devices] == ["PF0AAA1", "PF0AAA2", None, None]
    assert all(d.status == "received" for d in devices)
    kinds = [e.kind for e in db.exec(select(Event).order_by(Event.seq))]
    assert kinds == ["donation.received"] + ["device.received"] * 4


def test_bad_intake_names_the_field_and_writes_nothing(web, make_user, make_org, db):
    _login(web, make_user)
    donor = make_org("collectivite")
    cases = {
        "place": _intake(donor.id, place=""),
        "received_on": _intake(donor.id, received_on="2026-13-45"),
        "count": _intake(donor.id, **{"items-0-count": "-4"}),
        "serials": _intake(donor.id, **{"items-0-count": "1"}),
        "donor_id": _intake(999999),
        "type": _intake(donor.id, **{"items-0-type": "toaster"}),
    }
    for field, data in cases.items():
        response = web.post_form("/donations/new", data)
        assert response.status_code == 400, field
        assert 'class="error"' in response.get_data(as_text=True), field
    db.commit()
    assert db.exec(select(func.count()).select_from(Donation)).one() == 0
    assert db.exec(select(func.count()).select_from(Event)).one() == 0


def test_intake_refuses_impossible_dates_and_serials_given_twice(
    web, make_user, make_org, make_donation, db
):
    from workshop.models import DeviceType
    from workshop.services.donations import ItemLine

    _login(web, make_user)
    donor = make_org("collectivite")
    make_donation(items=[ItemLine(type=DeviceType.LAPTOP, serials=["PF0KNOWN"])])
    known = db.exec(select(Device).where(Device.serial == "PF0KNOWN")).one()
    placeholder = "To be filled by O.E.M."
    cases = [
        ({"received_on": "1900-01-01"}, "entre le 1er janvier 2000 et aujourd&#39;hui"),
        ({"received_on": "2099-06-01"}, "entre le 1er janvier 2000 et aujourd&#39;hui"),
        ({"items-0-serials": "PF0AAA1\npf0aaa1"}, "Le numéro de série pf0aaa1 est donné deux fois"),
        ({"items-1-serials": "PF0AAA2"}, "Le numéro de série PF0AAA2 est donné deux fois"),
        ({"items-1-serials": "pf0known"}, "est déjà celui de l&#39;appareil"),
    ]
    for overrides, french in cases:
        response = web.post_form("/donations/new", _intake(donor.id, **overrides))
        assert response.status_code == 422, overrides
        page = response.get_data(as_text=True)
        assert french in page, (overrides, re.findall(r'role="alert"[^>]*>([^<]*)', page))
    assert f"{known.asset_tag[:4]}-{known.asset_tag[4:8]}" in page  # named by its label
    db.commit()
    assert db.exec(select(func.count()).select_from(Donation)).one() == 1  # the known one
    # Placeholder serials identify nothing: given twice, they are no duplicate.
    twice = {"items-0-serials": f"{placeholder}\n{placeholder}", "items-1-serials": ""}
    assert web.post_form("/donations/new", _intake(donor.id, **twice)).status_code == 302


def test_intake_without_any_item_is_refused(web, make_user, make_org, db):
    _login(web, make_user)
    donor = make_org("collectivite")
    data = _intake(donor.id, **{"items-0-count": "", "items-0-serials": "", "items-1-count": ""})
    response = web.post_form("/donations/new", data)
    assert response.status_code == 422
    assert "Un don doit comporter au moins un article." in response.get_data(as_text=True)


def test_state_change_from_the_device_page(web, make_user, make_device, db):
    _login(web, make_user, "technician")
    device = make_device("received")
    response = web.post_form(
        f"/devices/{device.asset_tag}", {"status": "inventoried", "reason": "sur l'établi"}
    )
    assert response.status_code == 302
    page = web.get(f"/devices/{device.asset_tag}").get_data(as_text=True)
    assert "reçu → inventorié" in page and "sur l&#39;établi" in page


def test_state_form_offers_the_next_step_first_and_no_default(web, make_user, make_device):
    _login(web, make_user)
    device = make_device("received")
    page = web.get(f"/devices/{device.asset_tag}").get_data(as_text=True)
    options = re.findall(
        r'<option[^>]*value="([^"]*)"', page.split('id="status"')[1].split("</select>")[0]
    )
    assert options == ["", "inventoried", "parts", "recycled"]
    response = web.post_form(f"/devices/{device.asset_tag}", {"status": ""})
    assert response.status_code == 400 and device.status == "received"


def test_illegal_state_change_from_the_page_is_explained(web, make_user, make_device):
    _login(web, make_user)
    device = make_device("received")
    response = web.post_form(f"/devices/{device.asset_tag}", {"status": "available"})
    # "available" is not among the choices offered for a received device.
    assert response.status_code == 400
    assert 'class="error"' in response.get_data(as_text=True)


def test_jump_to_a_device_by_typed_tag(web, make_user, make_device):
    _login(web, make_user)
    device = make_device("received")
    typed = f"{device.asset_tag[:4].lower()}-{device.asset_tag[4:8]}-{device.asset_tag[8]}"
    response = web.get(f"/go?tag={typed}")
    assert response.headers["Location"] == f"/devices/{device.asset_tag}"
    response = web.get("/go?tag=PF0AAA1", follow_redirects=True)
    assert response.status_code == 200 and "Aucun appareil ne correspond" in response.get_data(
        as_text=True
    )


def test_french_by_default_english_on_request(web, make_user):
    _login(web, make_user)
    page = web.get("/").get_data(as_text=True)
    assert '<html lang="fr">' in page and "Appareils par état" in page
    page = web.get("/?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in page and "Devices by state" in page
    # The choice sticks for the session.
    assert "Devices by state" in web.get("/").get_data(as_text=True)


def test_device_list_filters(web, make_user, make_device):
    _login(web, make_user)
    received = make_device("received")
    tested = make_device("tested")
    page = web.get("/devices/?status=tested").get_data(as_text=True)
    tags = set(re.findall(r"/devices/([0-9A-Z]{9})\"", page))
    assert tags == {tested.asset_tag}
    page = web.get(f"/devices/?q={received.asset_tag[:6]}").get_data(as_text=True)
    assert received.asset_tag in page
    assert web.get("/devices/?status=nonsense").status_code == 400


def test_french_catalogue_is_complete():
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[3] / "scripts" / "fr_catalogue.py"
    spec = importlib.util.spec_from_file_location("fr_catalogue", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.untranslated() == []


def test_enrollment_code_from_the_benches_page(web, make_user, api):
    _login(web, make_user)
    response = web.post_form("/benches/", {"enroll-bench_name": "Poste 3"})
    page = response.get_data(as_text=True)
    code = re.search(r"bench-agent enroll \S+ ([0-9A-Z]{4}-[0-9A-Z]{4})", page).group(1)
    enrolled = api("POST", "/api/v1/enroll", json={"code": code})
    assert enrolled.status_code == 201 and enrolled.get_json()["bench_name"] == "Poste 3"


def test_waiting_inventory_is_attached_from_the_bench_page(
    web, make_user, make_bench, make_device, snapshot, db
):
    from workshop.services.actors import Actor
    from workshop.services.bench_records import receive_record

    _login(web, make_user, "technician")
    bench, _ = make_bench("Établi 7")
    device = make_device("received")
    outcome = receive_record(
        db,
        Actor(bench=bench),
        key="key-web-0001",
        kind="inventory.snapshot",
        payload=snapshot(serial="Default string", uuid=None),
        extra={},
    )
    db.commit()
    page = web.get(f"/benches/{bench.id}").get_data(as_text=True)
    assert "Inventaires et diagnostics en attente" in page and "Default string" in page
    response = web.post_form(
        f"/benches/{bench.id}", {"record_id": str(outcome.record.id), "asset_tag": device.asset_tag}
    )
    assert response.status_code == 302
    page = web.get(f"/devices/{device.asset_tag}").get_data(as_text=True)
    assert "Composants" in page and "S3Z9NB0K123456" in page and "Inventaire" in page
    assert "Aucun : chaque inventaire et chaque diagnostic a trouvé son appareil." in web.get(
        f"/benches/{bench.id}"
    ).get_data(as_text=True)


def test_device_list_exports_csv_with_the_filters(
    web, make_user, make_device, make_org, make_donation
):
    import csv
    import io

    donor = make_org("collectivite", "Mairie de Paimpol")
    mine = make_device("tested", donation=make_donation(donor=donor, count=1))
    make_device("received")
    user = make_user("donor", org=donor)
    web.login(user.email, PASSWORD)
    response = web.get("/devices/export.csv?status=tested")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:3] == ["Étiquette", "Type", "Marque"]
    tag = mine.asset_tag
    assert [r[0] for r in rows[1:]] == [f"{tag[:4]}-{tag[4:8]}-{tag[8]}"]
    assert rows[1][5] == "testé"
