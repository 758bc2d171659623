"""Administration in a real browser (Debian chromium) against a real server on the demo data:
organisations, a new donor from *Nouveau don*, accounts and the workshop's identity, each at
desktop size and on an 800×1280 touch tablet, in French and in English."""

from __future__ import annotations

import io
import uuid
from typing import Any

import pytest
from PIL import Image

from workshop.demo import DEMO_PASSWORD

STAFF = "coordination@atelier.demo"
SCREENS = {
    "desktop": {"viewport": {"width": 1280, "height": 900}},
    "tablet": {"viewport": {"width": 800, "height": 1280}, "has_touch": True, "is_mobile": True},
}
CASES = [(s, lang) for s in SCREENS for lang in ("fr", "en")]
WORDS = {
    "fr": {
        "bad_siren": "SIREN : la clé de contrôle de 212200937 est fausse (clé de Luhn).",
        "rup": "reconnue d'utilité publique (RUP)",
        "donors": "Donateurs (collectivités)",
        "made_up": "Son mot de passe, affiché cette fois seulement",
        "association_member": "membre d'association",
        "closed": "clos",
        "bad_siret": "SIRET : 2122009350001 ne compte pas 14 chiffres.",
        "bad_logo": "Logo : seule une image PNG ou JPEG est acceptée.",
        "logo_saved": "Logo enregistré",
        "wrong_login": "Adresse e-mail ou mot de passe incorrect.",
    },
    "en": {
        "bad_siren": "SIREN: 212200937 has a wrong check digit (Luhn key).",
        "rup": "recognised as being of public utility (RUP)",
        "donors": "Donors (collectivités)",
        "made_up": "Its password, shown only now",
        "association_member": "association member",
        "closed": "closed",
        "bad_siret": "SIRET: 2122009350001 is not 14 digits.",
        "bad_logo": "Logo: only a PNG or JPEG image is accepted.",
        "logo_saved": "Logo saved",
        "wrong_login": "Wrong e-mail address or password.",
    },
}


@pytest.fixture
def screen(browser: Any, request: pytest.FixtureRequest) -> Any:
    """A logged-in coordinator's page at the case's size and in its language."""
    size, lang = request.param
    context = browser.new_context(locale="fr-FR", **SCREENS[size])
    page = context.new_page()
    _login(page, request.getfixturevalue("server"), STAFF)
    page.goto(f"{request.getfixturevalue('server')}/?lang={lang}")
    yield page, size, lang
    context.close()


def _login(page: Any, server: str, email: str, password: str = DEMO_PASSWORD) -> None:
    page.goto(f"{server}/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(password)
    page.locator("main button[type=submit]").click()


def _shot(page: Any, artifacts_dir: Any, name: str, size: str, lang: str) -> None:
    page.screenshot(path=str(artifacts_dir / f"admin-{name}-{size}-{lang}.png"), full_page=True)


def _no_sideways_scroll(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.browser
@pytest.mark.parametrize("screen", CASES, indirect=True, ids=[f"{s}-{lang}" for s, lang in CASES])
def test_a_coordinator_registers_and_edits_an_association(screen, server, artifacts_dir):
    page, size, lang = screen
    words = WORDS[lang]
    name = f"Association {size} {lang} {uuid.uuid4().hex[:4]}"
    page.locator("header nav a[href='/admin/']").click()
    page.locator("main a[href='/admin/organisations/']").click()
    assert page.get_by_role("heading", name=words["donors"]).is_visible()
    page.locator("main a[href$='kind=association']").click()
    page.locator("#name").fill(name)
    page.locator("#siren").fill("212200937")
    page.locator("#rna").fill("w223001234")
    page.locator("#public_interest").select_option("rup")
    page.locator("main button[type=submit]").click()
    assert page.locator("#siren-error").inner_text() == words["bad_siren"]
    assert page.locator("#siren").get_attribute("aria-invalid") == "true"
    _shot(page, artifacts_dir, "association-error", size, lang)
    page.locator("#siren").fill("732 829 320")
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/admin/organisations/")
    row = page.locator("tbody tr", has_text=name)
    assert "732829320" in row.inner_text() and "W223001234" in row.inner_text()
    assert words["rup"] in row.inner_text()
    _no_sideways_scroll(page)
    _shot(page, artifacts_dir, "organisations", size, lang)
    row.locator("th a").click()
    page.locator("#city").fill("Lannion")
    page.locator("#postal_code").fill("22300")
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/admin/organisations/")
    assert "22300 Lannion" in page.locator("tbody tr", has_text=name).inner_text()


@pytest.mark.browser
@pytest.mark.parametrize("screen", CASES, indirect=True, ids=[f"{s}-{lang}" for s, lang in CASES])
def test_a_new_donor_registered_from_new_donation_comes_back_selected(
    screen, server, artifacts_dir
):
    page, size, lang = screen
    name = f"Mairie {size} {lang} {uuid.uuid4().hex[:4]}"
    page.goto(f"{server}/donations/new")
    options = page.locator("#donor_id option").all_inner_texts()
    assert "Mairie de Paimpol" in options and "Les Clés du Goëlo" not in options
    page.locator("main a[href*='next=donation']").click()
    page.locator("#name").fill(name)
    page.locator("#siren").fill("212200935")
    page.locator("#city").fill("Plérin")
    page.locator("main button[type=submit]").click()
    page.wait_for_url(lambda url: "/donations/new?donor=" in url)
    assert page.locator("#donor_id option:checked").inner_text() == name
    _shot(page, artifacts_dir, "donation-new-donor", size, lang)
    page.locator("#place").fill("Mairie")
    page.locator("#items-0-count").fill("1")
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/donations/*")
    assert page.get_by_text(name).first.is_visible()


@pytest.mark.browser
@pytest.mark.parametrize("screen", CASES, indirect=True, ids=[f"{s}-{lang}" for s, lang in CASES])
def test_an_account_is_opened_given_another_role_and_closed(screen, server, browser, artifacts_dir):
    page, size, lang = screen
    words = WORDS[lang]
    email = f"benevole-{size}-{lang}-{uuid.uuid4().hex[:4]}@atelier.demo"
    page.goto(f"{server}/admin/users/")
    page.locator("#full_name").fill(f"Bénévole {size} {lang}")
    page.locator("#email").fill(email)
    page.locator("#role").select_option("technician")
    page.locator("#organisation_id").select_option(label="Atelier Réemploi Armor (SCIC)")
    page.locator("main button[type=submit]").click()
    assert words["made_up"] in page.locator("main").inner_text()
    password = page.locator("#made-up-password").inner_text().strip()
    _no_sideways_scroll(page)
    _shot(page, artifacts_dir, "users", size, lang)

    other = browser.new_context(**SCREENS[size])
    theirs = other.new_page()
    _login(theirs, server, email, password)
    theirs.wait_for_url(f"{server}/")

    page.locator("tbody tr", has_text=email).locator("th a").click()
    page.locator("#role").select_option("association")
    page.locator("#organisation_id").select_option(label="Les Clés du Goëlo")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/admin/users/")
    row = page.locator("tbody tr", has_text=email)
    assert words["association_member"] in row.inner_text()
    theirs.goto(f"{server}/stock/")
    assert "/login" in theirs.url  # the role change ended the person's sessions

    row.locator("th a").click()
    _shot(page, artifacts_dir, "user", size, lang)
    page.locator("form[action$='/close'] button").click()
    page.wait_for_url("**/admin/users/")
    assert words["closed"] in page.locator("tbody tr", has_text=email).inner_text()
    _login(theirs, server, email, password)
    assert theirs.locator(".flash.error").inner_text() in (WORDS["fr"]["wrong_login"],)
    other.close()


def _png(tmp_path: Any) -> Any:
    path = tmp_path / "logo.png"
    image = Image.new("RGB", (240, 80), (18, 50, 79))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    path.write_bytes(buffer.getvalue())
    return path


@pytest.mark.browser
@pytest.mark.parametrize("screen", CASES, indirect=True, ids=[f"{s}-{lang}" for s, lang in CASES])
def test_the_workshop_identity_and_its_logo(screen, server, artifacts_dir, tmp_path):
    page, size, lang = screen
    words = WORDS[lang]
    page.goto(f"{server}/admin/")
    page.locator("main a[href='/admin/workshop/']").click()
    assert page.locator("#id-name").input_value() == "Atelier Réemploi Armor (SCIC)"
    page.locator("#id-siret").fill("2122009350001")
    page.locator("main form button[type=submit]").first.click()
    assert page.locator("#id-siret-error").inner_text() == words["bad_siret"]
    page.locator("#id-siret").fill("212 200 935 00014")
    page.locator("#id-address").fill("2 rue du Port")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/admin/workshop/")
    assert page.locator("#id-siret").input_value() == "21220093500014"

    text = tmp_path / "logo.png.txt"
    text.write_text("not an image")
    page.locator("#logo-logo").set_input_files(str(text))
    page.locator("form[enctype] button").click()
    assert page.locator("#logo-logo-error").inner_text() == words["bad_logo"]
    page.locator("#logo-logo").set_input_files(str(_png(tmp_path)))
    page.locator("form[enctype] button").click()
    page.wait_for_url("**/admin/workshop/")
    assert words["logo_saved"] in page.locator(".flash").first.inner_text()
    logo = page.locator("img.logo-preview")
    assert page.evaluate("img => img.complete && img.naturalWidth", logo.element_handle()) == 240
    _no_sideways_scroll(page)
    _shot(page, artifacts_dir, "workshop", size, lang)


@pytest.mark.browser
@pytest.mark.parametrize("screen", CASES, indirect=True, ids=[f"{s}-{lang}" for s, lang in CASES])
def test_site_secrets_and_a_revoked_bench(screen, server, artifacts_dir):
    page, size, lang = screen
    site = f"Site {size} {lang} {uuid.uuid4().hex[:4]}"
    bench = f"Établi {size} {lang} {uuid.uuid4().hex[:4]}"
    page.goto(f"{server}/benches/")
    page.locator("#bench-name").fill(bench)
    page.locator("form:has(#bench-name) button").click()
    page.locator("code.token").wait_for()
    page.goto(f"{server}/admin/")
    page.locator("main a[href='/admin/benches/']").click()
    assert page.locator("main a[href='/printers/']").is_visible()
    page.locator("#site_name").fill(site)
    page.locator("form:has(#site_name) button").click()
    secret = page.locator("#site-secret").inner_text().strip()
    assert len(secret.replace("-", "")) == 20
    row = page.locator("tbody tr", has_text=bench)
    row.locator("button").click()
    page.wait_for_url("**/admin/benches/")
    assert page.locator("tbody tr", has_text=bench).locator("button").count() == 0
    page.locator("tbody tr", has_text=site).locator("button").click()
    page.wait_for_url("**/admin/benches/")
    assert page.locator("tbody tr", has_text=site).locator("button").count() == 0
    _no_sideways_scroll(page)
    _shot(page, artifacts_dir, "benches", size, lang)
