"""The pages: catalogue, reserve, decide, hand over; the bon de remise PDF read back."""

from __future__ import annotations

import io
import re
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from tests.conftest import PASSWORD, WebClient
from workshop.services import asset_tags


def _login(app, user) -> WebClient:
    client = WebClient(app.test_client())
    assert client.login(user.email, PASSWORD).status_code == 302
    return client


def _reservation_id(response) -> int:
    match = re.search(r"/reservations/(\d+)$", response.headers["Location"])
    assert match, response.headers
    return int(match.group(1))


def test_reserve_confirm_hand_over_and_download_the_receipt(
    app, db, available, member, make_user, artifacts_dir
):
    laptop = available(ram_gb=16)
    screen = available(type="screen", ram_gb=0, wear=None)
    small = available(ram_gb=4)
    association = _login(app, member())
    page = association.get("/catalogue/?min_ram_gb=8").get_data(as_text=True)
    assert asset_tags.display(laptop.asset_tag) in page
    assert asset_tags.display(small.asset_tag) not in page
    response = association.post_form(
        "/catalogue/", {"tags": [laptop.asset_tag, screen.asset_tag], "note": "pour l'EHPAD"}
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    reservation_id = _reservation_id(response)
    detail = association.get(f"/reservations/{reservation_id}").get_data(as_text=True)
    assert "pour l&#39;EHPAD" in detail and laptop.serial in detail
    # The association cannot confirm; it has no confirm button either.
    assert "/confirm" not in detail
    refused = association.post_form(
        f"/reservations/{reservation_id}/confirm", {"text": ""}, page="/catalogue/"
    )
    assert refused.status_code == 403
    coordinator = _login(app, make_user("coordinator"))
    url = f"/reservations/{reservation_id}"
    assert (
        coordinator.post_form(f"{url}/confirm", {"text": "jeudi 14 h"}, page=url).status_code == 302
    )
    assert coordinator.get(f"{url}/bon-de-remise.pdf").status_code == 409
    assert coordinator.post_form(f"{url}/handover", {"text": ""}, page=url).status_code == 302
    response = association.get(f"{url}/bon-de-remise.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    pdf = response.get_data()
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    for device in (laptop, screen):
        assert device.serial in text and asset_tags.display(device.asset_tag) in text
    assert "L.3212-2" in text and "2022-1413" in text
    assert "180 €" in text and "30 €" in text  # the caps of a laptop and of a screen
    assert "Signature" in text and "jeudi 14 h" in text
    _render_page_one(pdf, artifacts_dir)


def _render_page_one(pdf: bytes, artifacts_dir) -> None:
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    source = artifacts_dir / "bon-de-remise.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(source),
            str(artifacts_dir / "bon-de-remise"),
        ],
        check=True,
    )
    assert (artifacts_dir / "bon-de-remise.png").stat().st_size > 5000


def test_taken_device_and_refusal_on_the_pages(app, db, available, member, make_user):
    device = available()
    first, second = _login(app, member()), _login(app, member())
    response = first.post_form("/catalogue/", {"tags": [device.asset_tag]})
    url = f"/reservations/{_reservation_id(response)}"
    again = second.post_form("/catalogue/", {"tags": [device.asset_tag]})
    assert again.status_code == 409
    assert "already reserved" in again.get_data(as_text=True) or "déjà réservé" in again.get_data(
        as_text=True
    )
    assert second.get(url).status_code == 404  # not its reservation
    coordinator = _login(app, make_user("coordinator"))
    missing = coordinator.post_form(f"{url}/refuse", {"text": ""}, page=url)
    assert missing.status_code == 422
    assert (
        coordinator.post_form(f"{url}/refuse", {"text": "réservé école"}, page=url).status_code
        == 302
    )
    assert "réservé école" in first.get(url).get_data(as_text=True)
    assert asset_tags.display(device.asset_tag) in second.get("/catalogue/").get_data(as_text=True)


def test_catalogue_filters_that_are_no_filter_are_named_not_ignored(app, available, member):
    laptop = available(ram_gb=16)
    association = _login(app, member())
    for query, words in [
        (
            "min_ram_gb=8%20Go",
            "Mémoire vive minimale (Go) : &#39;8 Go&#39; n&#39;est pas un nombre",
        ),
        ("min_ram_gb=nan", "n&#39;est pas un nombre entre 0 et 4096"),
        ("max_battery_wear=-5", "n&#39;est pas un nombre entre 0 et 100"),
        ("grade=Z", "ne fait pas partie des choix"),
        ("type=toaster", "ne fait pas partie des choix"),
    ]:
        answer = association.get(f"/catalogue/?{query}")
        assert answer.status_code == 400, query
        page = answer.get_data(as_text=True)
        assert "data-filter-problem" in page and "ce filtre n&#39;a pas été appliqué" in page
        assert words in page, (query, page[page.find("data-filter-problem") :][:300])
        assert asset_tags.display(laptop.asset_tag) in page  # the rest of the page still works
    assert association.get("/catalogue/?min_ram_gb=8,5").status_code == 200  # a French decimal


def test_need_page_offer_and_accept(app, db, available, member):
    device = available(ram_gb=8)
    user = member()
    client = _login(app, user)
    response = client.post_form(
        "/needs/",
        {"device_type": "laptop", "quantity": "2", "min_ram_gb": "8", "ssd_only": "y", "note": ""},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    flashed = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Besoin enregistré ; une proposition faite aussitôt." in flashed
    page = client.get("/reservations/").get_data(as_text=True)
    assert "un appareil proposé pour votre besoin" in page  # the notification, in the UI
    match = re.search(r'href="/reservations/(\d+)"', page)
    url = f"/reservations/{match.group(1)}"
    assert "proposée pour votre besoin" in client.get(url).get_data(as_text=True)
    assert client.post_form(f"{url}/accept", {"text": ""}, page=url).status_code == 302
    assert "en attente de confirmation" in client.get(url).get_data(as_text=True)
    assert device.serial in client.get(url).get_data(as_text=True)
    bad = client.post_form("/needs/", {"device_type": "laptop", "quantity": "0"}, page="/needs/")
    assert bad.status_code == 400
