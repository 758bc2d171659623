"""Waste register: a coordinator records a recycling exit; the device is recycled; the CSV has
every column; nobody else may see or write it."""

from __future__ import annotations

import csv
import io

from tests.conftest import PASSWORD


def _form(tag: str, **extra):
    return {
        "asset_tag": tag,
        "exited_on": "2026-11-21",
        "waste_code": "16 02 14",
        "quantity": "1",
        "weight_kg": "2.3",
        "consignee": "Centre de tri DEEE de Ploufragan",
        "transporter": "Transports Le Bihan",
        "treatment_code": "R4",
        "eco_organisme": "ecosystem",
        **extra,
    }


def test_coordinator_records_an_exit_and_exports_the_register(db, web, make_user, make_device):
    device = make_device("tested")
    coordinator = make_user("coordinator")
    web.login(coordinator.email, PASSWORD)
    response = web.post_form("/waste/", _form(device.asset_tag), "/waste/")
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    db.refresh(device)
    assert device.status == "recycled"
    again = web.post_form("/waste/", _form(device.asset_tag), "/waste/")
    assert again.status_code == 409
    text = web.get("/waste/register.csv").get_data(as_text=True).lstrip("\ufeff")
    (row,) = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert row == {
        "date": "2026-11-21",
        "description": row["description"],
        "code_dechet": "16 02 14",
        "quantite": "1",
        "poids_kg": "2,3",
        "destinataire": "Centre de tri DEEE de Ploufragan",
        "transporteur": "Transports Le Bihan",
        "code_traitement": "R4",
        "eco_organisme": "ecosystem",
    }
    assert device.asset_tag[:4] in row["description"]
    assert row["description"].startswith("ordinateur portable")  # a French register


def test_a_reusable_device_is_recycled_only_on_explicit_confirmation(
    db, web, make_user, make_device
):
    web.login(make_user("coordinator").email, PASSWORD)
    ready = make_device("available")
    ready.grade = "A"
    db.add(ready)
    db.commit()
    refused = web.post_form("/waste/", _form(ready.asset_tag), "/waste/")
    assert refused.status_code == 409
    page = refused.get_data(as_text=True)
    assert "pourrait encore être réemployé (disponible, classe A)" in page
    assert 'name="confirm_reusable"' in page
    db.refresh(ready)
    assert ready.status == "available"
    done = web.post_form("/waste/", _form(ready.asset_tag, confirm_reusable="y"), "/waste/")
    assert done.status_code == 302
    db.commit()  # end the test's read transaction: see what the request wrote
    db.refresh(ready)
    assert ready.status == "recycled"
    reserved = make_device("reserved")
    refused = web.post_form("/waste/", _form(reserved.asset_tag, confirm_reusable="y"), "/waste/")
    assert refused.status_code == 409
    assert "annulez ou refusez sa réservation" in refused.get_data(as_text=True)
    history = web.get(f"/devices/{ready.asset_tag}").get_data(as_text=True)
    assert "sortie en recyclage" in history and "recycling exit" not in history


def test_only_coordinators_see_the_register(web, make_user, make_device):
    device = make_device("tested")
    technician = make_user("technician")
    web.login(technician.email, PASSWORD)
    assert web.get("/waste/").status_code == 403
    assert web.get("/waste/register.csv").status_code == 403
    assert web.post_form("/waste/", _form(device.asset_tag), "/devices/").status_code == 403


def test_a_missing_consignee_is_refused_naming_the_field(db, web, make_user, make_device):
    device = make_device("tested")
    web.login(make_user("coordinator").email, PASSWORD)
    response = web.post_form("/waste/", _form(device.asset_tag, consignee=""), "/waste/")
    assert response.status_code == 400
    db.refresh(device)
    assert device.status == "tested"
