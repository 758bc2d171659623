"""Documents in a real browser against a real server: a donor downloads its erasure certificate,
checks it offline against the published keys fetched over HTTP, uploads it to /verify, and anyone
opens a device's public page from its tag."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from workshop.demo import DEMO_PASSWORD

BIN = Path(sys.executable).parent


def _login(page, server, email):
    page.goto(f"{server}/login")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{server}/")


def test_donor_downloads_verifies_and_follows_a_device(page, server, artifacts_dir, tmp_path):
    _login(page, server, "dsi@lamballe.demo")
    page.get_by_role("link", name="Nos documents").click()
    page.screenshot(path=str(artifacts_dir / "web-documents-portal.png"), full_page=True)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Certificat d'effacement").first.click()
    pdf = tmp_path / "certificat.pdf"
    download_info.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")

    # Offline check with only the public keys, fetched from the running server's stable URL.
    keys_url = f"{server}/.well-known/atelier-keys.json"
    result = subprocess.run(
        [str(BIN / "workshop"), "verify-document", str(pdf), "--keys", keys_url],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0 and result.stdout.startswith("VALID"), result.stdout

    page.goto(f"{server}/verify")
    page.get_by_label("Document PDF signé").set_input_files(str(pdf))
    page.get_by_role("button", name="Vérifier").click()
    assert page.get_by_role("heading", name="Document valide").is_visible()
    page.screenshot(path=str(artifacts_dir / "web-documents-verify.png"), full_page=True)

    from workshop.services.documents.pdf import extract_envelope

    facts = json.loads(extract_envelope(pdf.read_bytes())["payload"])["facts"]
    erased = [d for d in facts["drives"] if d["erased"]]
    assert erased, "the demo donor has erased drives"
    tag = erased[0]["host"]["asset_tag"]
    anonymous = page.context.browser.new_context(locale="fr-FR")
    public = anonymous.new_page()
    public.goto(f"{server}/d/{tag}")
    assert public.get_by_role("heading").first.inner_text().startswith(tag)
    assert public.get_by_text("tous les disques effacés et vérifiés").is_visible()
    assert public.get_by_text("Se déconnecter").count() == 0
    public.screenshot(path=str(artifacts_dir / "web-documents-public-device.png"), full_page=True)
    anonymous.close()


def _logged_in_opener(server, email):
    import http.cookiejar
    import re
    import urllib.parse
    import urllib.request

    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    html = opener.open(f"{server}/login", timeout=30).read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    form = {"email": email, "password": DEMO_PASSWORD, "csrf_token": token}
    opener.open(f"{server}/login", urllib.parse.urlencode(form).encode(), timeout=30)
    return opener


def test_concurrent_first_downloads_issue_one_document(server):
    """Eight simultaneous first requests for a document: all answered, one document issued."""
    from concurrent.futures import ThreadPoolExecutor

    from workshop.services.documents.pdf import extract_envelope

    opener = _logged_in_opener(server, "coordination@atelier.demo")
    url = f"{server}/donations/2/documents/destination.pdf"

    def fetch(_index: int) -> tuple[int, str]:
        with opener.open(url, timeout=120) as response:
            data = response.read()
            envelope = extract_envelope(data)
            return response.status, json.loads(envelope["payload"])["document"]["uid"]

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(fetch, range(8)))
    assert {status for status, _uid in results} == {200}
    assert len({uid for _status, uid in results}) == 1, results


def test_coordinator_validates_a_wipe_and_revokes_a_document(page, server, artifacts_dir):
    _login(page, server, "coordination@atelier.demo")
    page.goto(f"{server}/devices/?status=wiped")
    page.locator("a.tag").first.click()
    wipes = page.locator("section[aria-labelledby=wipes]")
    wipes.get_by_role("button", name="Valider").click()
    assert page.get_by_text("Effacement validé.").is_visible()
    assert (
        page.locator("section[aria-labelledby=wipes]").get_by_text("Morgane Le Gall").count() == 1
    )
    page.screenshot(path=str(artifacts_dir / "web-documents-device-wipes.png"), full_page=True)

    page.goto(f"{server}/donations/3")
    with page.expect_download():
        page.get_by_role("link", name="Attestation de prise en charge").first.click()
    page.reload()
    issued = page.locator("section[aria-labelledby=documents] tbody tr").first
    uid = issued.get_by_role("link").inner_text().split()[-1]
    issued.get_by_label("Motif de révocation").fill("liste d'équipements incomplète")
    issued.get_by_role("button", name="Révoquer").click()
    assert page.get_by_text(f"Document {uid} révoqué.").is_visible()
    page.goto(f"{server}/verify/{uid}")
    assert page.get_by_role("heading", name="Document révoqué").is_visible()
    assert page.get_by_text("liste d'équipements incomplète").is_visible()
    page.screenshot(path=str(artifacts_dir / "web-documents-revoked.png"), full_page=True)
