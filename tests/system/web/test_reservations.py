"""In a real browser: an association filters the catalogue and reserves; the coordinator
confirms and records the handover; the bon de remise downloads and lists the serials."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from workshop.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def _login(page, server, email):
    page.goto(f"{server}/login")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{server}/")


def test_association_reserves_and_collects_with_a_receipt(browser, server, artifacts_dir):
    member = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = member.new_page()
    _login(page, server, "contact@tregor-solidaire.demo")
    page.get_by_role("link", name="Catalogue").click()
    page.get_by_label("Type", exact=True).select_option("laptop")
    page.get_by_label("Mémoire vive minimale (Go)").fill("8")
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_url("**/catalogue/?*")
    cards = page.locator("article.card")
    assert cards.count() >= 1
    page.screenshot(path=str(artifacts_dir / "web-catalogue.png"), full_page=True)
    texts = cards.all_inner_texts()
    assert all(text.strip().startswith("portable") for text in texts), texts
    cards.first.get_by_role("checkbox").check()
    page.get_by_label("Remarque pour l'atelier (facultatif)").fill("Atelier numérique seniors")
    page.get_by_role("button", name="Réserver", exact=True).click()
    page.wait_for_url("**/reservations/*")
    assert page.locator("#reservation-status").inner_text() == "en attente de confirmation"
    reservation_url = page.url
    serial = page.locator("tbody tr td").nth(3).inner_text()
    assert serial and serial != "—"
    member.close()

    staff = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = staff.new_page()
    _login(page, server, "coordination@atelier.demo")
    page.goto(reservation_url)
    page.get_by_label("Commentaire ou motif").fill("Retrait jeudi 14 h")
    page.get_by_role("button", name="Confirmer").click()
    assert page.locator("#reservation-status").inner_text() == "confirmée"
    page.get_by_role("button", name="Enregistrer la remise").click()
    assert page.locator("#reservation-status").inner_text() == "remise à l'association"
    page.screenshot(path=str(artifacts_dir / "web-reservation-handed-over.png"), full_page=True)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger le bon de remise (PDF)").click()
    download = download_info.value
    assert download.suggested_filename.startswith("bon-de-remise-R-")
    path = artifacts_dir / "web-bon-de-remise.pdf"
    download.save_as(str(path))
    text = PdfReader(io.BytesIO(path.read_bytes())).pages[0].extract_text()
    assert serial in text and "Numérique Solidaire du Trégor" in text
    assert "Signature" in text
    staff.close()
