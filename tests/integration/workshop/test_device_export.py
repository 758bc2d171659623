"""The device CSV holds every matching device (it used to stop at 100,000 silently): it is
streamed batch by batch (keyset pages by id), newest first, each device once, with its
donation's reference and the donor's visibility rule applied."""

from __future__ import annotations

import csv
import io

import pytest

from tests.conftest import PASSWORD
from workshop.models import DeviceType
from workshop.services import devices as device_service
from workshop.services.donations import ItemLine, donation_devices


def _rows(response) -> list[list[str]]:
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.is_streamed
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff") and text.count("\ufeff") == 1
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))


@pytest.fixture
def small_batches(monkeypatch):
    """Batches of 7 rows: 60 devices take 9 queries, the last one partial."""
    monkeypatch.setattr(device_service, "EXPORT_BATCH", 7)


def test_every_device_comes_once_newest_first_across_batches(
    web, db, make_user, make_donation, small_batches
):
    first = make_donation(items=[ItemLine(type=DeviceType.LAPTOP, count=35)])
    second = make_donation(items=[ItemLine(type=DeviceType.DESKTOP, count=25)])
    web.login(make_user("technician").email, PASSWORD)
    rows = _rows(web.get("/devices/export.csv", headers={"Accept-Language": "fr"}))
    assert rows[0][:3] == ["Étiquette", "Type", "Marque"]
    devices = sorted(
        donation_devices(db, first) + donation_devices(db, second), key=lambda d: -d.id
    )
    tags = [row[0].replace("-", "") for row in rows[1:]]
    assert tags == [d.asset_tag for d in devices]  # all 60, each once, newest first
    assert {row[8] for row in rows[1:26]} == {second.reference}
    assert {row[8] for row in rows[26:]} == {first.reference}


def test_filters_and_the_donor_rule_hold_over_batches(
    web, db, make_org, make_user, make_donation, small_batches
):
    donor = make_org("collectivite", "Mairie de Loudéac")
    mine = make_donation(donor=donor, items=[ItemLine(type=DeviceType.LAPTOP, count=16)])
    make_donation(items=[ItemLine(type=DeviceType.LAPTOP, count=12)])  # another donor's
    web.login(make_user("donor", org=donor).email, PASSWORD)
    rows = _rows(web.get("/devices/export.csv"))
    assert [row[0].replace("-", "") for row in rows[1:]] == [
        d.asset_tag for d in sorted(donation_devices(db, mine), key=lambda d: -d.id)
    ]
    web.get("/logout")
    web.login(make_user("coordinator").email, PASSWORD)
    only_mine = _rows(web.get(f"/devices/export.csv?donation={mine.id}&type=laptop"))
    assert len(only_mine) == 1 + 16
