"""A failed wipe's reason and a Purge fallback reach the device page in the page's language."""

from __future__ import annotations

import html
import uuid

from tests.conftest import PASSWORD
from tests.helpers.records import build_wipe
from workshop.services.actors import Actor
from workshop.services.bench_records import receive_record
from workshop.services.wipes import HANDLERS  # noqa: F401  (registers wipe.record)


def test_the_device_page_says_why_a_wipe_failed(db, web, make_bench, make_device, make_user):
    bench, _ = make_bench()
    device = make_device("tested")
    record = build_wipe(
        status="failed",
        overrides={
            "errors": [{"kind": "io", "message": "write failed at LBA 6144", "lba": 6144}],
            "fallback_reason": "Purge not used: Purge is not offered through USB bridges "
            "(security erase there can brick); Clear instead",
        },
    )
    db.commit()
    receive_record(db, Actor(bench=bench), key=uuid.uuid4().hex, kind="wipe.record",
                   payload=record, extra={"asset_tag": device.asset_tag})  # fmt: skip
    db.commit()
    assert web.login(make_user("technician").email, PASSWORD).status_code == 302
    page = html.unescape(web.get(f"/devices/{device.asset_tag}").get_data(as_text=True))
    assert "échec d'écriture au secteur (LBA) 6144" in page
    assert "Purge non utilisée : pas de Purge à travers un adaptateur USB" in page
    english = html.unescape(web.get(f"/devices/{device.asset_tag}?lang=en").get_data(as_text=True))
    assert "write failed at LBA 6144" in english and "Clear instead" in english
