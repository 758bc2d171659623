"""Rapport de devenir, yearly CSV and impact summary: each device's outcome, the reuse rate, the
CO2e factors named, typical weights labelled as such."""

from __future__ import annotations

import csv
import io
import json
import re

from pypdf import PdfReader

from tests.conftest import PASSWORD
from tests.integration.documents.conftest import pdf_text, render_page_one
from workshop.services import asset_tags


def _outcomes(db, make_org, make_donation):
    """A donation of 4: one handed over (weighed laptop), one recycled, one parts, one in stock."""
    from workshop.demo import PATHS
    from workshop.models import DeviceStatus, RecyclingExit
    from workshop.services.actors import SYSTEM
    from workshop.services.devices import transition_device
    from workshop.services.donations import donation_devices

    donor = make_org("collectivite", "Mairie de Paimpol")
    association = make_org("association", "Les Clés de Goëlo")
    donation = make_donation(donor=donor, count=4)
    reused, recycled, parts, stock = donation_devices(db, donation)
    for device, target in (
        (reused, DeviceStatus.HANDED_OVER),
        (recycled, DeviceStatus.RECYCLED),
        (parts, DeviceStatus.PARTS),
        (stock, DeviceStatus.AVAILABLE),
    ):
        for step in PATHS[target]:
            if step == DeviceStatus.HANDED_OVER:
                device.recipient_id = association.id
            transition_device(db, SYSTEM, device, step)
    reused.weight_kg, reused.weight_measured = 1.85, True
    db.add(reused)
    db.add(
        RecyclingExit(
            device_id=recycled.id,
            exited_on=donation.received_on,
            description="ordinateur portable hors d'usage",
            consignee="Recyclerie DEEE Armor",
            eco_organisme="ecosystem",
            created_by="test",
        )
    )
    db.commit()
    return donor, association, donation, (reused, recycled, parts, stock)


def test_destination_report_states_each_outcome(
    app, db, web, make_org, make_user, make_donation, artifacts_dir
):
    donor, association, donation, devices = _outcomes(db, make_org, make_donation)
    contact = make_user("donor", org=donor)
    web.login(contact.email, PASSWORD)
    response = web.get(f"/donations/{donation.id}/documents/destination.pdf")
    assert response.status_code == 200
    data = response.get_data()
    render_page_one(data, artifacts_dir / "documents-destination")
    text = pdf_text(data)
    assert "Rapport de devenir" in text and "Mairie de Paimpol" in text
    for device in devices:
        assert asset_tags.display(device.asset_tag) in text
    assert "réemployé" in text and "association" in text and association.name not in text
    assert "Recyclerie DEEE Armor" in text and "pièces détachées" in text
    assert "33,3 %" in text  # 1 reused out of 3 that left the workshop
    from workshop.services.documents.pdf import extract_envelope

    facts = json.loads(extract_envelope(data)["payload"])["facts"]
    assert facts["totals"]["reused"] == 1 and facts["totals"]["in_progress"] == 1


def test_the_widest_asset_tag_stays_inside_its_column_on_the_report(
    db, web, make_org, make_user, make_donation
):
    from workshop.services.donations import donation_devices

    donor = make_org("collectivite")
    donation = make_donation(donor=donor, count=1)
    (device,) = donation_devices(db, donation)
    device.asset_tag = "WWWMWWWMW"  # the widest valid tag in Helvetica
    db.add(device)
    db.commit()
    web.login(make_user("donor", org=donor).email, PASSWORD)
    data = web.get(f"/donations/{donation.id}/documents/destination.pdf").get_data()
    # Laid out as printed: a tag running over its column would touch the type ("…-Wordinateur").
    lines = [
        line
        for page in PdfReader(io.BytesIO(data)).pages
        for line in page.extract_text(extraction_mode="layout").splitlines()
    ]
    (row,) = [line for line in lines if "WWWM-WWWM-W" in line]
    assert re.search(r"WWWM-WWWM-W\s+ordinateur portable", row), row


def test_yearly_csv_lists_the_donor_devices_only(db, web, make_org, make_user, make_donation):
    donor, _association, donation, devices = _outcomes(db, make_org, make_donation)
    make_donation(count=2)  # another donor's
    contact = make_user("donor", org=donor)
    web.login(contact.email, PASSWORD)
    year = donation.received_on.year
    response = web.get(f"/portal/destinations-{year}.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(
        csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")), delimiter=";")
    )
    assert len(rows) == 4 and {r["reference_don"] for r in rows} == {donation.reference}
    by_tag = {r["etiquette"]: r for r in rows}
    assert by_tag[asset_tags.display(devices[0].asset_tag)]["devenir"] == "réemployé"
    assert by_tag[asset_tags.display(devices[1].asset_tag)]["precision"].endswith("ecosystem")
    assert by_tag[asset_tags.display(devices[3].asset_tag)]["date_devenir"] == ""
    assert web.get(f"/portal/destinations-{year - 1}.csv").get_data(as_text=True).count("\n") == 1


def test_impact_names_factors_and_labels_typical_weights(
    app, db, web, make_org, make_user, make_donation, artifacts_dir
):
    donor, _association, donation, _devices = _outcomes(db, make_org, make_donation)
    contact = make_user("donor", org=donor)
    web.login(contact.email, PASSWORD)
    data = web.get(f"/donations/{donation.id}/documents/impact.pdf").get_data()
    render_page_one(data, artifacts_dir / "documents-impact")
    text = pdf_text(data)
    assert "ADEME / Arcep 2022" in text and "version 2022" in text
    assert "183 kg CO2e" in text and "poids typiques" in text
    assert "1,8 kg" in text  # the weighed laptop
    from workshop.services.documents.pdf import extract_envelope

    impact = json.loads(extract_envelope(data)["payload"])["facts"]["impact"]
    assert impact["reused"] == 1 and impact["co2e_avoided_kg"] == 183
    assert impact["weight_weighed_g"] == 1850 and impact["weight_typical_g"] == 0
    yearly = web.get(f"/portal/impact-{donation.received_on.year}.pdf")
    assert yearly.status_code == 200 and "Année" in pdf_text(yearly.get_data())
