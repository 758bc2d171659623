"""CSV exports never hand a spreadsheet a formula: SMBIOS text and typed names are quoted."""

from __future__ import annotations

import csv
import io

import pytest

from tests.conftest import PASSWORD
from workshop.services.csv_export import safe_cell

HOSTILE = {
    "vendor": '=HYPERLINK("http://x";"clic")',
    "model": "+cmd|' /C calc'!A0",
    "serial": "@SUM(1)",
}


def _rows(response) -> list[list[str]]:
    assert response.status_code == 200 and response.mimetype == "text/csv"
    text = response.get_data(as_text=True).lstrip("\ufeff")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


@pytest.mark.parametrize(
    ("raw", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+33 6 12", "'+33 6 12"),
        ("-2+3", "'-2+3"),
        ("@SUM(1)", "'@SUM(1)"),
        ("\tTAB", "'\tTAB"),
        ("\rCR", "'\rCR"),
        ("ThinkPad T470", "ThinkPad T470"),
        ("a=b", "a=b"),
        (None, ""),
        (-3, -3),
        (-1.5, -1.5),
    ],
)
def test_safe_cell_quotes_formula_starts_only(raw, written):
    assert safe_cell(raw) == written


def test_device_export_quotes_smbios_formulas(db, web, make_user, make_device):
    device = make_device("inventoried")
    device.vendor, device.model, device.serial = HOSTILE["vendor"], HOSTILE["model"], "-2+3"
    db.add(device)
    db.commit()
    assert web.login(make_user("technician").email, PASSWORD).status_code == 302
    header, row = _rows(web.get("/devices/export.csv"))
    assert row[2:5] == ["'" + HOSTILE["vendor"], "'" + HOSTILE["model"], "'-2+3"]


def test_donation_export_quotes_names_and_keeps_counts_numeric(
    db, web, make_user, make_org, make_donation
):
    donor = make_org("collectivite", "=1+2 Mairie")
    donation = make_donation(donor=donor, count=2)
    donation.place = "@salle"
    db.add(donation)
    db.commit()
    assert web.login(make_user("coordinator").email, PASSWORD).status_code == 302
    rows = _rows(web.get("/donations/export.csv"))
    (line,) = [r for r in rows if r[0] == donation.reference]
    assert line[1] == "'=1+2 Mairie" and line[3] == "'@salle"
    assert line[4] == "2"  # counts are numbers, never quoted


def test_donor_destinations_csv_quotes_model_and_serial(
    db, web, make_user, make_org, make_donation
):
    from workshop.services.donations import donation_devices

    donor = make_org("collectivite")
    donation = make_donation(donor=donor, count=1)
    (device,) = donation_devices(db, donation)
    device.model, device.serial = HOSTILE["model"], HOSTILE["serial"]
    db.add(device)
    db.commit()
    assert web.login(make_user("donor", org=donor).email, PASSWORD).status_code == 302
    response = web.get(f"/portal/destinations-{donation.received_on.year}.csv")
    rows = list(
        csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")), delimiter=";")
    )
    (row,) = rows
    assert row["modele"] == "'" + HOSTILE["model"] and row["numero_serie"] == "'@SUM(1)"


def test_waste_register_quotes_typed_names(db, web, make_user, make_device):
    device = make_device("tested")
    assert web.login(make_user("coordinator").email, PASSWORD).status_code == 302
    form = {
        "asset_tag": device.asset_tag,
        "exited_on": "2026-11-21",
        "waste_code": "16 02 14",
        "quantity": "1",
        "weight_kg": "2.3",
        "consignee": '=WEBSERVICE("http://x")',
        "transporter": "-Transports",
        "treatment_code": "R4",
        "eco_organisme": "ecosystem",
    }
    assert web.post_form("/waste/", form, "/waste/").status_code == 302
    text = web.get("/waste/register.csv").get_data(as_text=True).lstrip("\ufeff")
    (row,) = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert row["destinataire"] == '\'=WEBSERVICE("http://x")'
    assert row["transporteur"] == "'-Transports" and row["quantite"] == "1"
