"""The Content-Security-Policy breaks none of the pages, in a real browser (issue 13, item 4).

Each page is opened in Debian's chromium with a `securitypolicyviolation` listener installed
before any page script, and the console is watched for "Content Security Policy" reports:
both stay empty while the dashboard, the live bench board (its event stream really updating
a card), a device page, the public label page and the camera scanner are used.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.system.web.test_browser import _bench_call, _login
from tests.system.web.test_camera_scan import STAND_IN, _open_scanner, _wait_for_frames

pytestmark = pytest.mark.browser

LISTENER = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', event => {
  window.__csp.push(event.violatedDirective + ' ' + (event.blockedURI || 'inline'));
});
"""


def _watched(context: Any) -> Any:
    """A page of `context` whose CSP violations and console reports are collected."""
    context.add_init_script(LISTENER)
    page = context.new_page()
    page.csp_console = []
    page.on(
        "console",
        lambda message: (
            page.csp_console.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    return page


def _visit(page: Any, url: str) -> None:
    """Open `url`; the policy came with it and nothing was blocked."""
    response = page.goto(url)
    assert response.status == 200, url
    assert "default-src 'self'" in response.headers["content-security-policy"]
    _assert_clean(page)


def _assert_clean(page: Any) -> None:
    assert page.evaluate("window.__csp") == [], page.url
    assert page.csp_console == [], page.url


def test_main_pages_and_the_live_board_run_under_the_policy(browser, server):
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = _watched(context)
    _visit(page, f"{server}/login")
    _login(page, server)
    _assert_clean(page)
    _visit(page, f"{server}/devices/?status=available")
    tag = page.locator("a.tag").first.inner_text().replace("-", "")
    _visit(page, f"{server}/devices/{tag}")
    _visit(page, f"{server}/d/{tag}")
    for path in ("/donations/", "/stock/", "/printers/", "/catalogue/", "/reservations/"):
        _visit(page, f"{server}{path}")

    _visit(page, f"{server}/benches/")
    page.get_by_label("Nom", exact=True).fill("Établi CSP")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    token = page.locator("code.token").inner_text().strip()
    _visit(page, f"{server}/benches/")
    page.get_by_text("En direct").wait_for()  # live.js connected the event stream
    disk = {
        "name": "sdd", "path": "/dev/sdd", "model": "HGST HTS545050", "transport": "sata",
        "serial": {"value": "CSP0RX1234", "placeholder": False}, "wwn": None,
        "size_bytes": 500_107_862_016, "logical_sector_size": 512, "physical_sector_size": 4096,
        "rotational": True, "removable": False, "protected": [],
    }  # fmt: skip
    _bench_call(server, token, "POST", "/bench/heartbeat", {"agent_version": "0.1"})
    _bench_call(server, token, "PUT", "/bench/disks",
                {"observed_at": "2026-11-22T10:00:00Z", "disks": [disk]})  # fmt: skip
    card = page.locator(".bench-card", has_text="Établi CSP")
    card.get_by_text("CSP0RX1234").wait_for(timeout=5000)  # swapped in live, no reload
    _assert_clean(page)
    _visit(page, f"{server}/")
    context.close()


def test_the_scanner_opens_the_camera_under_the_policy(camera_browser, server):
    context = camera_browser.new_context(
        locale="fr-FR", viewport={"width": 800, "height": 1280}, permissions=["camera"]
    )
    context.add_init_script(STAND_IN)
    page = _watched(context)
    _login(page, server)
    response = page.goto(f"{server}/")
    assert "camera=(self)" in response.headers["permissions-policy"]
    _open_scanner(page)
    _wait_for_frames(page)
    assert page.locator("#scan-video").evaluate("v => v.videoWidth > 0 && !v.paused")
    _assert_clean(page)
    context.close()
