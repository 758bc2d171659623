"""Scanning a label with the tablet's camera (workshop/static/scan.js), in a real browser.

Debian's chromium runs its real fake camera (`--use-fake-device-for-media-stream`: a moving
test pattern), so getUserMedia, the video preview and stopping the tracks really happen; the
camera permission is granted per context, or not, which is how a refusal is tested. What this
machine cannot do is decode a code from a camera: chromium on Linux has no BarcodeDetector.
That one edge is a stand-in installed with `add_init_script`: it only answers for a video
element that shows real camera frames, and returns the values the test queues in
`window.__scan.next`. Its wrapper of getUserMedia keeps the streams so a test can check that
every track was stopped.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.system.web.conftest import wait_until
from tests.system.web.test_accessibility import AUDIT_JS
from workshop.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser

STAND_IN = r"""
window.__scan = {next: [], calls: 0, frames: 0, formats: null, constraints: null};
window.__streams = [];
if (navigator.mediaDevices && navigator.mediaDevices.getUserMedia) {
  const real = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  navigator.mediaDevices.getUserMedia = constraints => real(constraints).then(stream => {
    window.__scan.constraints = constraints;
    window.__streams.push(stream);
    return stream;
  });
}
window.BarcodeDetector = class BarcodeDetector {
  constructor(options) { window.__scan.formats = options.formats; }
  static async getSupportedFormats() { return ['qr_code', 'ean_13']; }
  async detect(source) {
    window.__scan.calls++;
    if (!(source instanceof HTMLVideoElement) || !source.videoWidth || source.paused) {
      throw new TypeError('no camera frame');
    }
    window.__scan.frames++;
    const value = window.__scan.next.shift();
    return value === undefined ? [] : [{rawValue: value, format: 'qr_code'}];
  }
};
"""

TRACKS_ENDED = "window.__streams.length > 0 && window.__streams.every(s => s.getTracks().every(t => t.readyState === 'ended'))"


def _tablet(browser: Any, *, camera: bool, stand_in: bool = True) -> Any:
    """A page on a portrait tablet; `camera`: the site may use the camera."""
    context = browser.new_context(
        locale="fr-FR",
        viewport={"width": 800, "height": 1280},
        permissions=["camera"] if camera else [],
    )
    if stand_in:
        context.add_init_script(STAND_IN)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.js_errors = errors
    return page


def _login(page: Any, server: str, email: str = "technicien@atelier.demo") -> None:
    page.goto(f"{server}/login")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{server}/")


def _open_scanner(page: Any) -> Any:
    page.get_by_role("button", name="Scanner", exact=True).click()
    dialog = page.get_by_role("dialog", name="Scanner une étiquette")
    dialog.wait_for()
    return dialog


def _wait_for_frames(page: Any) -> None:
    """The detector was given real camera frames at least twice (the loop runs)."""
    wait_until(page, "window.__scan.frames >= 2", timeout=10)


def test_the_button_shows_only_where_the_browser_reads_codes(camera_browser, browser, server):
    plain = _tablet(browser, camera=True, stand_in=False)
    assert plain.evaluate("'BarcodeDetector' in window") is False  # Debian's chromium on Linux
    plain.goto(f"{server}/login")
    assert plain.locator("script[src$='scan.js']").count() == 0  # not before logging in
    _login(plain, server)
    assert plain.locator("script[src$='scan.js']").count() == 1
    assert plain.locator("#scan-open").is_hidden()
    assert plain.get_by_role("button", name="Scanner").count() == 0
    plain.context.close()

    page = _tablet(camera_browser, camera=True)
    _login(page, server)
    button = page.get_by_role("button", name="Scanner", exact=True)
    assert button.is_visible()
    # Still one header line of controls a finger can reach at tablet width: nothing overflows.
    box = button.bounding_box()
    assert box["x"] + box["width"] <= 800 and box["height"] >= 30
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    assert page.evaluate(AUDIT_JS) == []
    assert page.js_errors == []
    page.context.close()


def test_scanning_a_label_url_opens_the_device(camera_browser, server, artifacts_dir):
    page = _tablet(camera_browser, camera=True)
    _login(page, server)
    page.goto(f"{server}/devices/?status=available")
    shown = page.locator("a.tag").first.inner_text()  # e.g. K7QX-4M2P-H
    tag = shown.replace("-", "")
    page.goto(f"{server}/")

    dialog = _open_scanner(page)
    assert page.evaluate("document.activeElement.id") == "scan-cancel"
    dialog.get_by_text("Recherche d'une étiquette…").wait_for()
    _wait_for_frames(page)
    assert page.evaluate("window.__scan.constraints.video.facingMode.ideal") == "environment"
    assert page.evaluate("window.__scan.formats") == ["qr_code"]  # code_128 only where supported
    video = page.locator("#scan-video")
    assert video.evaluate("v => v.videoWidth > 0 && !v.paused")
    assert page.evaluate(AUDIT_JS) == []
    page.screenshot(path=str(artifacts_dir / "web-camera-scan-dialog.png"))

    # Neither a tag nor a label URL: said, and scanning goes on. A serial number of the same
    # length as a tag (a Code 128 on the back of a PC) fails the check symbol.
    for value in ("https://example.org/produit/123", "5CG7123AB"):
        page.evaluate("value => window.__scan.next.push(value)", value)
        dialog.get_by_text(f"Ce code n'est pas une étiquette Atelier : {value}").wait_for()
        frames = page.evaluate("window.__scan.frames")
        wait_until(page, f"window.__scan.frames > {frames}")
    assert page.url == f"{server}/"

    page.evaluate("url => window.__scan.next.push(url)", f"http://whatever/d/{tag}")
    page.wait_for_url(f"{server}/devices/{tag}")
    assert page.get_by_role("heading").first.inner_text().startswith(shown)
    assert page.js_errors == []
    page.context.close()


def test_a_bare_tag_as_typed_on_a_label_also_works(camera_browser, server):
    page = _tablet(camera_browser, camera=True)
    _login(page, server)
    page.goto(f"{server}/devices/?status=available")
    shown = page.locator("a.tag").nth(1).inner_text()
    _open_scanner(page)
    _wait_for_frames(page)
    page.evaluate("value => window.__scan.next.push(value)", shown.lower())
    page.wait_for_url(f"{server}/devices/{shown.replace('-', '')}")
    page.context.close()


def test_cancel_and_escape_stop_the_camera_and_give_focus_back(camera_browser, server):
    page = _tablet(camera_browser, camera=True)
    _login(page, server)
    # Keyboard only: from the tag field, Tab reaches "Aller" then "Scanner".
    page.get_by_label("Étiquette").focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "scan-open"
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Scanner une étiquette")
    dialog.wait_for()
    _wait_for_frames(page)
    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden")
    assert page.evaluate("document.activeElement.id") == "scan-open"
    assert page.evaluate(TRACKS_ENDED)
    assert page.evaluate("document.getElementById('scan-video').srcObject") is None

    page.keyboard.press("Enter")
    dialog.wait_for()
    wait_until(page, "window.__streams.length === 2 && window.__scan.frames >= 4")
    dialog.get_by_role("button", name="Annuler").click()
    dialog.wait_for(state="hidden")
    assert page.evaluate("document.activeElement.id") == "scan-open"
    assert page.evaluate(TRACKS_ENDED)
    calls = page.evaluate("window.__scan.calls")
    page.wait_for_timeout(500)
    assert page.evaluate("window.__scan.calls") == calls  # the loop stopped too
    assert page.js_errors == []
    page.context.close()


def test_a_refused_camera_is_said_in_the_dialog(camera_browser, server, artifacts_dir):
    page = _tablet(camera_browser, camera=False)
    _login(page, server)
    dialog = _open_scanner(page)
    dialog.get_by_text("L'accès à la caméra a été refusé.").wait_for()
    assert page.locator("#scan-video").is_hidden()
    page.screenshot(path=str(artifacts_dir / "web-camera-scan-refused.png"))
    assert page.evaluate("window.__scan.calls") == 0
    dialog.get_by_role("button", name="Annuler").click()
    dialog.wait_for(state="hidden")
    assert page.js_errors == []
    page.context.close()


def test_a_missing_camera_is_said_in_the_dialog(browser, server):
    # The ordinary browser has no camera at all, fake or real.
    page = _tablet(browser, camera=True)
    _login(page, server)
    dialog = _open_scanner(page)
    dialog.get_by_text("Aucune caméra trouvée sur cet appareil.").wait_for()
    assert page.js_errors == []
    page.context.close()
