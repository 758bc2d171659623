"""Who did what: the device history names the person (or the bench) to the workshop's staff, and
nobody to the others: a donor seeing its device's history gets no name (events keep pseudonyms)."""

from __future__ import annotations

import html

from tests.conftest import PASSWORD
from workshop.services.actors import Actor
from workshop.services.bench_records import receive_record


def _history(web, tag: str) -> str:
    page = web.get(f"/devices/{tag}", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    return html.unescape(page.split('id="timeline"')[1].split("</ol>")[0])


def test_the_history_names_people_and_benches_to_staff_only(
    web, db, make_org, make_user, make_device, make_donation, make_bench, snapshot
):
    donor = make_org("collectivite", "Mairie de Lannion")
    donation = make_donation(donor=donor, count=1)
    device = make_device("received", donation=donation)
    bench, _token = make_bench()
    receive_record(
        db, Actor(bench=bench), key="key-who-01", kind="inventory.snapshot",
        payload=snapshot(), extra={"asset_tag": device.asset_tag},
    )  # fmt: skip
    db.commit()
    technician = make_user("technician")
    technician.full_name = "Camille Le Goff"
    db.add(technician)
    db.commit()
    web.login(technician.email, PASSWORD)
    changed = web.post_form(
        f"/devices/{device.asset_tag}", {"status": "tested", "reason": "essais"}
    )
    assert changed.status_code == 302
    web.get("/logout")
    web.login(make_user("coordinator").email, PASSWORD)
    seen = _history(web, device.asset_tag)
    assert "par Camille Le Goff" in seen
    assert f"par établi {bench.name}" in seen
    assert "par le système" in seen  # the intake, recorded by the system
    web.get("/logout")
    web.login(make_user("donor", org=donor).email, PASSWORD)
    theirs = _history(web, device.asset_tag)
    assert theirs.count("<li>") >= 3  # the same events, shown without who
    assert " par " not in theirs
    assert "Camille" not in theirs and technician.pseudonym not in theirs
