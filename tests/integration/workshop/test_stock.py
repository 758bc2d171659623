"""Stock and donation figures: counts per state × type and per donation, filters, CSV, API."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from tests.conftest import PASSWORD
from workshop.errors import Forbidden
from workshop.models import DeviceType
from workshop.services import stock
from workshop.services.accounts import issue_token
from workshop.services.actors import Actor
from workshop.services.devices import DeviceFilters
from workshop.services.donations import DonationFilters, ItemLine


@pytest.fixture
def lots(db, make_org, make_donation, make_device):
    """Two donors; Lamballe gave laptops and a screen in September, Paimpol a desktop in November."""
    lamballe = make_org("collectivite", "Mairie de Lamballe-Armor")
    paimpol = make_org("collectivite", "Mairie de Paimpol")
    september = make_donation(
        donor=lamballe,
        items=[ItemLine(type=DeviceType.LAPTOP, count=1), ItemLine(type=DeviceType.SCREEN)],
    )
    september.received_on = date(2026, 9, 3)
    db.add(september)
    db.commit()
    wiped = make_device("wiped", donation=september)  # the screen (the last device)
    available_a = make_device("available", donation=make_donation(donor=lamballe, count=1))
    available_a.grade = "A"
    available_b = make_device("available", donation=make_donation(donor=lamballe, count=1))
    available_b.grade = "B"
    db.add_all([available_a, available_b])
    db.commit()
    november = make_donation(donor=paimpol, items=[ItemLine(type=DeviceType.DESKTOP)])
    make_device("recycled", donation=november)
    return {
        "lamballe": lamballe,
        "paimpol": paimpol,
        "september": september,
        "november": november,
        "wiped": wiped,
    }


def _web(web, make_user, role="coordinator", org=None):
    user = make_user(role, org=org)
    assert web.login(user.email, PASSWORD).status_code == 302
    return user


def _csv(response):
    assert response.status_code == 200 and response.mimetype == "text/csv"
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))


def test_stock_counts_per_state_type_and_grade(db, lots, make_user):
    counts = stock.stock_counts(db, Actor(user=make_user("technician")))
    assert counts.cells == {
        ("received", "laptop"): 1,
        ("wiped", "screen"): 1,
        ("available", "laptop"): 2,
        ("recycled", "desktop"): 1,
    }
    assert counts.by_state() == {"received": 1, "wiped": 1, "available": 2, "recycled": 1}
    assert counts.by_type() == {"laptop": 3, "screen": 1, "desktop": 1}
    assert counts.total == 5
    assert counts.types_present() == ["laptop", "desktop", "screen"]
    assert counts.grades_by_type() == {"laptop": {"A": 1, "B": 1}}


@pytest.mark.parametrize("role", ["donor", "association"])
def test_stock_is_for_the_workshop_only(db, make_user, role):
    with pytest.raises(Forbidden):
        stock.stock_counts(db, Actor(user=make_user(role)))


def test_state_counts_follow_the_list_filters_and_the_user_scope(db, lots, make_user):
    staff = Actor(user=make_user("coordinator"))
    assert stock.status_counts(db, staff, DeviceFilters()) == {
        "received": 1,
        "wiped": 1,
        "available": 2,
        "recycled": 1,
    }
    laptops = DeviceFilters(type=DeviceType.LAPTOP, status="available")  # state itself ignored
    assert stock.status_counts(db, staff, laptops) == {"received": 1, "available": 2}
    september = DeviceFilters(donation_id=lots["september"].id)
    assert stock.status_counts(db, staff, september) == {"received": 1, "wiped": 1}
    paimpol = Actor(user=make_user("donor", org=lots["paimpol"]))
    assert stock.status_counts(db, paimpol, DeviceFilters()) == {"recycled": 1}


def test_donation_summaries_count_each_donation_per_state(db, lots, make_user):
    page = stock.donation_summaries(db, Actor(user=make_user("coordinator")), DonationFilters())
    assert page.matching == 4 and page.devices == 5
    by_ref = {row.donation.reference: row for row in page.rows}
    september = by_ref[lots["september"].reference]
    assert september.donor_name == "Mairie de Lamballe-Armor"
    assert september.counts == {"received": 1, "wiped": 1} and september.total == 2
    assert page.totals == {"received": 1, "wiped": 1, "available": 2, "recycled": 1}
    assert page.states_present() == ["received", "wiped", "available", "recycled"]
    # Newest first: the September donation is the oldest.
    assert page.rows[-1].donation.id == lots["september"].id


def test_donation_filters(db, lots, make_user):
    staff = Actor(user=make_user("coordinator"))

    def refs(**filters):
        page = stock.donation_summaries(db, staff, DonationFilters(**filters))
        return {row.donation.id for row in page.rows}

    september, november = lots["september"].id, lots["november"].id
    assert refs(donor_id=lots["paimpol"].id) == {november}
    assert refs(received_to=date(2026, 9, 30)) == {september}
    assert september not in refs(received_from=date(2026, 10, 1))
    assert refs(search="paimpol") == {november}
    assert refs(search=lots["september"].reference.lower()) == {september}
    assert refs(status="wiped") == {september}
    assert len(refs(status="available")) == 2
    assert refs(status="handed_over") == set()
    page = stock.donation_summaries(db, staff, DonationFilters(status="recycled"))
    assert page.totals == {"recycled": 1}


def test_a_donor_sees_only_its_own_donations_and_an_association_none(db, lots, make_user):
    paimpol = Actor(user=make_user("donor", org=lots["paimpol"]))
    page = stock.donation_summaries(db, paimpol, DonationFilters())
    assert [row.donation.id for row in page.rows] == [lots["november"].id]
    assert page.totals == {"recycled": 1}
    # Naming another donor does not widen the scope.
    other = DonationFilters(donor_id=lots["lamballe"].id)
    assert stock.donation_summaries(db, paimpol, other).rows == []
    with pytest.raises(Forbidden):
        stock.donation_summaries(db, Actor(user=make_user("association")), DonationFilters())


def test_donations_page_shows_counts_totals_and_links(web, make_user, lots):
    _web(web, make_user)
    html = web.get("/donations/").get_data(as_text=True)
    september = lots["september"]
    assert f"/devices/?donation={september.id}&amp;status=wiped" in html
    assert "Mairie de Lamballe-Armor" in html and "effacé <strong>1</strong>" in html
    assert 'href="/donations/?status=available"' in html  # a total filters the list
    assert "4 dons, 5 appareils." in html
    detail = web.get(f"/donations/{september.id}").get_data(as_text=True)
    assert f'href="/devices/?donation={september.id}&amp;status=wiped">effacé <strong>1' in detail
    filtered = web.get("/donations/?status=recycled").get_data(as_text=True)
    assert lots["november"].reference in filtered and september.reference not in filtered


def test_donations_page_ignores_bad_filters_with_a_message(web, make_user, lots):
    _web(web, make_user)
    huge = web.get("/donations/?donor=99999999999999999999")
    assert huge.status_code == 200 and "n&#39;est pas un donateur" in huge.get_data(as_text=True)
    assert web.get("/devices/?donation=99999999999999999999").status_code == 400
    assert web.get("/donations/99999999999999999999").status_code == 404
    response = web.get("/donations/?from=31-02-2026&donor=abc&status=melted")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "31-02-2026 n&#39;est pas une date" in html
    assert "melted n&#39;est pas un état" in html
    assert "abc n&#39;est pas un donateur" in html
    assert lots["september"].reference in html  # the filters were ignored
    french = web.get("/donations/?from=03/09/2026&to=03/09/2026").get_data(as_text=True)
    assert lots["september"].reference in french and lots["november"].reference not in french
    reversed_range = web.get("/donations/?from=2026-12-01&to=2026-01-01").get_data(as_text=True)
    assert "après la date de fin" in reversed_range


def test_donations_csv_has_the_page_filters_and_scope(web, make_user, lots):
    _web(web, make_user, "donor", org=lots["lamballe"])
    rows = _csv(web.get("/donations/export.csv"))
    assert rows[0][:5] == ["Référence", "Donateur", "Reçu le", "Lieu", "Appareils"]
    assert rows[0][5:] == [
        "reçu",
        "inventorié",
        "testé",
        "effacé",
        "effacement échoué",
        "classé",
        "remis en état",
        "disponible",
        "réservé",
        "remis",
        "pièces détachées",
        "recyclé",
    ]
    references = [r[0] for r in rows[1:-1]]
    assert lots["november"].reference not in references and len(references) == 3
    assert rows[-1][0] == "Total" and rows[-1][4] == "4"
    september = next(r for r in rows if r[0] == lots["september"].reference)
    assert september[1:3] == ["Mairie de Lamballe-Armor", "2026-09-03"]
    assert september[4] == "2" and september[5] == "1" and september[8] == "1"
    only_wiped = _csv(web.get("/donations/export.csv?status=wiped"))
    assert [r[0] for r in only_wiped[1:-1]] == [lots["september"].reference]
    bad = web.get("/donations/export.csv?to=yesterday")
    assert bad.status_code == 400 and "yesterday" in bad.get_data(as_text=True)


def test_association_cannot_list_or_export_donations(web, make_user):
    _web(web, make_user, "association")
    assert web.get("/donations/").status_code == 403
    assert web.get("/donations/export.csv").status_code == 403


def test_stock_page_links_every_count_to_the_device_list(web, make_user, lots):
    _web(web, make_user, "technician")
    html = web.get("/stock/").get_data(as_text=True)
    assert 'href="/devices/?status=available&amp;type=laptop"' in html
    assert 'href="/catalogue/?type=laptop&amp;grade=A"' in html
    assert '<th scope="row">disponible</th>' in html
    listing = web.get("/devices/?status=available&type=laptop").get_data(as_text=True)
    assert listing.count('class="tag"') == 2


def test_stock_page_is_for_the_workshop(web, make_user):
    _web(web, make_user, "donor")
    assert web.get("/stock/").status_code == 403


def test_device_list_shows_state_chips_with_counts(web, make_user, lots):
    _web(web, make_user)
    html = web.get("/devices/?type=laptop").get_data(as_text=True)
    assert 'href="/devices/?status=available&amp;type=laptop"' in html
    assert "disponible <strong>2</strong>" in html and "Tous <strong>3</strong>" in html
    assert "recyclé <strong>" not in html  # the desktop is not a laptop
    donation = lots["september"]
    by_donation = web.get(f"/devices/?donation={donation.id}").get_data(as_text=True)
    assert donation.reference in by_donation and by_donation.count('class="tag"') == 2
    rows = _csv(web.get(f"/devices/export.csv?donation={donation.id}"))
    assert {r[8] for r in rows[1:]} == {donation.reference}
    bad = web.get("/devices/?donation=first")
    assert bad.status_code == 400 and "first" in bad.get_data(as_text=True)


def test_stock_api(api, db, lots, make_user):
    token = issue_token(db, user=make_user("coordinator"))
    db.commit()
    body = api("GET", "/api/v1/stock", token=token).get_json()
    assert body["total"] == 5
    assert body["by_state"]["available"] == 2 and body["by_state"]["parts"] == 0
    assert len(body["by_state"]) == 12
    assert {"status": "wiped", "type": "screen", "count": 1} in body["cells"]
    assert body["available_by_grade"] == [
        {"type": "laptop", "grade": "A", "count": 1},
        {"type": "laptop", "grade": "B", "count": 1},
    ]


def test_donation_counts_api_filters_and_scope(api, db, lots, make_user):
    staff = issue_token(db, user=make_user("coordinator"))
    donor = issue_token(db, user=make_user("donor", org=lots["paimpol"]))
    db.commit()
    body = api("GET", "/api/v1/stock/donations?status=wiped", token=staff).get_json()
    assert body["total"] == 1 and body["devices"] == 2
    (item,) = body["items"]
    assert item["id"] == lots["september"].id and item["counts"] == {"received": 1, "wiped": 1}
    assert item["donor_name"] == "Mairie de Lamballe-Armor" and item["device_count"] == 2
    dated = api("GET", "/api/v1/stock/donations?received_to=2026-09-30", token=staff).get_json()
    assert [i["id"] for i in dated["items"]] == [lots["september"].id]
    mine = api("GET", "/api/v1/stock/donations", token=donor).get_json()
    assert [i["id"] for i in mine["items"]] == [lots["november"].id]
    assert mine["totals"]["recycled"] == 1 and mine["totals"]["available"] == 0
    for query, field in [
        ("received_from=yesterday", "received_from"),
        ("status=melted", "status"),
        ("donor_id=0", "donor_id"),
        ("donor_id=99999999999999999999", "donor_id"),
        ("limit=501", "limit"),
        ("surprise=1", "surprise"),
    ]:
        response = api("GET", f"/api/v1/stock/donations?{query}", token=staff)
        assert response.status_code == 422, query
        assert response.get_json()["error"]["field"] == field, query
