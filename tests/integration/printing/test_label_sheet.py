"""Labels on an ordinary printer: the A4 sheet of a donation's labels is a real PDF whose QR codes
(rendered by poppler, read by zbar) are the devices' public URLs, placed from the chosen free
label of the sheet; bad choices are refused with a message naming them."""

from __future__ import annotations

import html
import subprocess
from datetime import date

import pytest
from PIL import Image
from pyzbar import pyzbar

from tests.conftest import PASSWORD
from workshop.models import DeviceType
from workshop.services.actors import SYSTEM
from workshop.services.donations import ItemLine, create_donation, donation_devices
from workshop.services.label_sheet import SHEETS

DPI = 150
MM = DPI / 25.4


def _page_images(tmp_path, pdf: bytes) -> list[Image.Image]:
    source = tmp_path / "sheet.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", str(DPI), "-gray", "-png", str(source), str(tmp_path / "page")],
        check=True,
    )
    return [Image.open(p) for p in sorted(tmp_path.glob("page-*.png"))]


def _codes_by_cell(image: Image.Image, sheet) -> dict[int, str]:
    """{label index on the page: QR text}: each label's cell of the page, read on its own."""
    found = {}
    for index in range(sheet.per_sheet):
        left, top = sheet.origin(index)
        box = (left * MM, top * MM, (left + sheet.width) * MM, (top + sheet.height) * MM)
        codes = pyzbar.decode(image.crop(tuple(round(v) for v in box)))
        if codes:
            assert len(codes) == 1, (index, codes)
            found[index] = codes[0].data.decode()
    return found


@pytest.fixture
def donation(db, make_org):
    donor = make_org("collectivite", "Mairie de Plérin")
    made = create_donation(
        db, SYSTEM, donor_id=donor.id, received_on=date.today(), place="Plérin",
        items=[ItemLine(DeviceType.LAPTOP, count=23)],
    )  # fmt: skip
    db.commit()
    return made


def _text(tmp_path, pdf: bytes) -> str:
    source = tmp_path / "text.pdf"
    source.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-layout", str(source), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_a_donation_sheet_starts_at_the_first_free_label_and_flows_onto_a_second_page(
    app, db, web, make_user, donation, tmp_path
):
    user = make_user("technician")
    web.login(user.email, PASSWORD)
    response = web.get(f"/donations/{donation.id}/labels.pdf?sheet=L7160&start=5")
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/pdf"
    pdf = response.get_data()
    base = app.config["WORKSHOP"].public_base_url
    urls = [f"{base}/d/{d.asset_tag}" for d in donation_devices(db, donation)]
    pages = _page_images(tmp_path, pdf)
    sheet = SHEETS["L7160"]
    assert len(pages) == 2  # 23 labels from the 5th of 21: 17 on the first sheet, 6 on the next
    first, second = (_codes_by_cell(page, sheet) for page in pages)
    assert first == {i: urls[i - 4] for i in range(4, 21)}
    assert second == {i: urls[17 + i] for i in range(6)}
    text = _text(tmp_path, pdf)
    tag = donation_devices(db, donation)[0].asset_tag
    assert f"{tag[:4]}-{tag[4:8]}-{tag[8]}" in text


@pytest.mark.parametrize("code", sorted(SHEETS))
def test_every_sheet_format_fits_on_a4_and_its_codes_read_back(code, tmp_path):
    from labels import LabelData
    from workshop.services.label_sheet import render_sheet

    sheet = SHEETS[code]
    assert sheet.left + (sheet.columns - 1) * sheet.pitch_x + sheet.width <= 210.0 + 1e-6
    assert sheet.top + (sheet.rows - 1) * sheet.pitch_y + sheet.height <= 297.0 + 1e-6
    items = [
        LabelData(tag=f"TAG{i:03d}", url=f"https://atelier.example/d/TAG{i:03d}",
                  specs="Intel Core i5-8250U · 8 Go · SSD 256 Go", grade="A")
        for i in range(sheet.per_sheet)
    ]  # fmt: skip
    (page,) = _page_images(tmp_path, render_sheet(items, sheet, issuer="Atelier de Plérin"))
    assert _codes_by_cell(page, sheet) == {i: items[i].url for i in range(sheet.per_sheet)}


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("sheet=L9999", "Planche d'étiquettes L9999 inconnue (connues : L7160, L7159"),
        ("sheet=L7160&start=22", "La première étiquette doit être un nombre de 1 à 21."),
        ("sheet=3474&start=x", "La première étiquette doit être un nombre de 1 à 24."),
    ],
)
def test_a_bad_choice_is_refused_naming_it(web, make_user, donation, query, message):
    user = make_user("coordinator")
    web.login(user.email, PASSWORD)
    response = web.get(
        f"/donations/{donation.id}/labels.pdf?{query}", headers={"Accept-Language": "fr"}
    )
    assert response.status_code == 422
    assert message in html.unescape(response.get_data(as_text=True))


def test_the_device_page_offers_the_sheet_to_staff(web, make_user, donation, db):
    user = make_user("technician")
    web.login(user.email, PASSWORD)
    tag = donation_devices(db, donation)[0].asset_tag
    page = web.get(f"/devices/{tag}", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "Étiquettes sur A4 (PDF)" in page and f"/devices/{tag}/labels.pdf" in page
    pdf = web.get(f"/devices/{tag}/labels.pdf?sheet=3474&start=24")
    assert pdf.status_code == 200 and pdf.get_data().startswith(b"%PDF")
