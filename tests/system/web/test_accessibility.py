"""Accessibility basics of every main page, in a real browser on the demo data.

Each page is checked for: a `lang` that follows the UI language, exactly one h1, a skip link
that the first Tab reaches and that leads to the main content, an accessible name on every
visible input/select/textarea, link and button, alt text on every image, `scope` on every
table header, real links and buttons (no clickable div), a visible focus outline, text
contrast of at least 4.5:1 (3:1 for large text) against its real background, and the page's
main actions reachable with the Tab key. A full-page screenshot of each page goes to the
test artifacts. The colours of atelier.css are also checked on their own (WCAG ratio).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from workshop.demo import DEMO_PASSWORD

STAFF = "coordination@atelier.demo"
DONOR = "dsi@lamballe.demo"
CSS = Path(__file__).resolve().parents[3] / "workshop" / "static" / "atelier.css"

# (name, who, path or (list path, selector of the link to follow), main actions to reach by Tab)
PAGES: list[tuple[str, str | None, Any, list[str]]] = [
    ("login", None, "/login", ["#email", "#password", "main button[type=submit]"]),
    ("dashboard", STAFF, "/", ["main a[href^='/devices/?status=']"]),
    (
        "donations",
        STAFF,
        "/donations/",
        ["a[href='/donations/new']", "#f-donor", ".filters button", "a[href^='/donations/export']"],
    ),
    ("donation", STAFF, ("/donations/", "tbody th a"), ["main a[href*='/documents/']"]),
    ("new-donation", STAFF, "/donations/new", ["#donor_id", "#place", "#items-0-count"]),
    ("devices", STAFF, "/devices/", [".chips a", "#f-status", ".filters button"]),
    ("device", STAFF, ("/devices/?status=tested", "a.tag"), ["#status", "main form button"]),
    ("stock", STAFF, "/stock/", ["#stock-table a"]),
    ("benches", STAFF, "/benches/", ["main button"]),
    (
        "bench",
        STAFF,
        ("/benches/", "main a[href^='/benches/'][href$='1']"),
        ["main a, main button"],
    ),
    ("catalogue", STAFF, "/catalogue/", ["#f-type", ".filters button", "main input[name=tags]"]),
    ("reservations", STAFF, "/reservations/", ["main a[href='/catalogue/']", "tbody a"]),
    ("reservation", STAFF, ("/reservations/", "tbody a"), ["main a, main button"]),
    ("needs", STAFF, "/needs/", ["#device_type", "main form.inline button"]),
    ("printers", STAFF, "/printers/", ["main a, main button"]),
    ("waste", STAFF, "/waste/", ["a[href$='.csv']", "#asset_tag"]),
    ("verify", None, "/verify", ["#document", "main button[type=submit]"]),
    ("public-device", None, ("/devices/?status=handed_over", "a.tag"), []),
    ("portal", DONOR, "/portal/", ["main .documents a"]),
    ("error", STAFF, "/donations/999999", ["main a[href='/']"]),
    ("account", DONOR, "/account", ["#current", "#new", "#again", "main button[type=submit]"]),
    (
        "admin",
        STAFF,
        "/admin/",
        ["main a[href='/admin/organisations/']", "main a[href='/admin/users/']"],
    ),
    (
        "organisations",
        STAFF,
        "/admin/organisations/",
        ["main a[href$='kind=association']", "tbody th a"],
    ),
    (
        "new-association",
        STAFF,
        "/admin/organisations/new?kind=association",
        ["#name", "#siren", "#rna", "#public_interest", "main button[type=submit]"],
    ),
    (
        "organisation",
        STAFF,
        ("/admin/organisations/", "tbody th a"),
        ["#name", "#siren", "#public_name_allowed", "main button[type=submit]"],
    ),
    ("users", STAFF, "/admin/users/", ["tbody th a", "#full_name", "#role", "#password"]),
    (
        "user",
        STAFF,
        ("/admin/users/", "tbody tr:nth-child(2) th a"),
        ["#role", "#organisation_id", "main button[type=submit]"],
    ),
    (
        "workshop-identity",
        STAFF,
        "/admin/workshop/",
        ["#id-name", "#id-siret", "#logo-logo", "main button[type=submit]"],
    ),
    ("admin-benches", STAFF, "/admin/benches/", ["tbody button", "#site_name"]),
]

# Problems tolerated on a page (none now); anything not listed here fails.
KNOWN: dict[str, set[str]] = {}

AUDIT_JS = r"""
() => {
  const problems = [];
  const visible = el => {
    const style = getComputedStyle(el);
    return el.getClientRects().length > 0 && style.visibility !== 'hidden' && style.display !== 'none';
  };
  const describe = el => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += '#' + el.id;
    else if (el.getAttribute('name')) s += '[name=' + el.getAttribute('name') + ']';
    else if (el.className && typeof el.className === 'string') s += '.' + el.className.trim().split(/\s+/).join('.');
    return s;
  };
  const textOf = el => (el.innerText || el.textContent || '').trim();
  const labelledBy = el => (el.getAttribute('aria-labelledby') || '').split(/\s+/)
      .map(id => document.getElementById(id)).filter(Boolean).map(textOf).join(' ').trim();
  const name = el => {
    const aria = (el.getAttribute('aria-label') || '').trim();
    if (aria) return aria;
    const by = labelledBy(el);
    if (by) return by;
    if (el.labels && el.labels.length) {
      const text = Array.from(el.labels).map(textOf).join(' ').trim();
      if (text) return text;
    }
    if (['submit', 'button', 'reset'].includes(el.type) && el.value) return el.value;
    if (el.tagName === 'IMG') return (el.getAttribute('alt') || '').trim();
    const text = textOf(el);
    if (text) return text;
    const img = el.querySelector && el.querySelector('img[alt]');
    if (img && img.alt.trim()) return img.alt.trim();
    return (el.getAttribute('title') || '').trim();
  };
  for (const el of document.querySelectorAll('input:not([type=hidden]), select, textarea')) {
    if (visible(el) && !name(el)) problems.push('no accessible name: ' + describe(el));
  }
  for (const el of document.querySelectorAll('a[href], button, [role=button]')) {
    if (visible(el) && !name(el)) problems.push('no accessible name: ' + describe(el));
  }
  for (const el of document.querySelectorAll('img')) {
    if (!el.hasAttribute('alt')) problems.push('image without alt: ' + el.getAttribute('src'));
  }
  const h1 = document.querySelectorAll('h1').length;
  if (h1 !== 1) problems.push(h1 + ' h1 elements');
  for (const th of document.querySelectorAll('th')) {
    if (!th.hasAttribute('scope')) problems.push('th without scope: ' + textOf(th).slice(0, 30));
  }
  for (const el of document.querySelectorAll('[onclick]:not(a):not(button), [role=button]:not(button)')) {
    problems.push('clickable element that is not a link or a button: ' + describe(el));
  }
  for (const el of document.querySelectorAll('a:not([href])')) {
    if (visible(el)) problems.push('link without href (not reachable by keyboard): ' + describe(el));
  }
  for (const el of document.querySelectorAll('main a[href], main button, main input, main select, main textarea')) {
    if (el.tabIndex < 0 && visible(el)) problems.push('taken out of the tab order: ' + describe(el));
  }
  // Text contrast against the real background (walking up to the first opaque one).
  const rgb = s => (s.match(/[\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const c = [r, g, b].map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  };
  const background = el => {
    for (let e = el; e; e = e.parentElement) {
      const c = rgb(getComputedStyle(e).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] > 0.5)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const seen = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const el = node.parentElement;
    if (!el || !node.textContent.trim() || !visible(el) || seen.has(el)) continue;
    if (el.closest('.skip, .visually-hidden, option')) continue;
    seen.add(el);
    const style = getComputedStyle(el);
    const fg = rgb(style.color).slice(0, 3), bg = background(el);
    const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
    const ratio = (hi + 0.05) / (lo + 0.05);
    const size = parseFloat(style.fontSize), bold = parseInt(style.fontWeight) >= 700;
    const large = size >= 24 || (bold && size >= 18.66);
    if (ratio < (large ? 3 : 4.5)) {
      problems.push('contrast ' + ratio.toFixed(2) + ': "' + node.textContent.trim().slice(0, 30) + '" (' + style.color + ' on rgb(' + bg.join(', ') + '))');
    }
  }
  return problems;
}
"""

FOCUS_JS = r"""
() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const ring = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
  return {ring: ring || style.boxShadow !== 'none', tag: el.tagName, id: el.id};
}
"""


def _login(page, server: str, email: str | None) -> None:
    if email is None:
        return
    page.goto(f"{server}/login")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{server}/")


def _open(page, server: str, who: str | None, where: Any) -> None:
    if isinstance(where, str):
        page.goto(server + where)
        return
    listing, selector = where
    if who is None:  # the public page of a device found by the coordinator
        context = page.context.browser.new_context()
        staff = context.new_page()
        _login(staff, server, STAFF)
        staff.goto(server + listing)
        tag = staff.locator(selector).first.get_attribute("href").rstrip("/").rsplit("/", 1)[-1]
        context.close()
        page.goto(f"{server}/d/{tag}")
        return
    page.goto(server + listing)
    page.goto(server + page.locator(selector).first.get_attribute("href"))


def _tab_through(page, targets: list[str], limit: int = 150) -> tuple[set[str], list[str]]:
    """Press Tab until every target got focus (or `limit` presses); the targets reached and
    the elements that had focus without a visible outline."""
    reached: set[str] = set()
    no_ring: list[str] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS_JS)
        if focus is None:
            break
        if not focus["ring"]:
            no_ring.append(f"{focus['tag']}#{focus['id']}")
        for target in targets:
            if target not in reached and page.evaluate(
                "s => document.activeElement.matches(s)", target
            ):
                reached.add(target)
        if reached == set(targets):
            break
    return reached, no_ring


@pytest.mark.parametrize(("name", "who", "where", "actions"), PAGES, ids=[p[0] for p in PAGES])
def test_page_meets_the_accessibility_basics(
    page, server, artifacts_dir, name, who, where, actions
):
    _login(page, server, who)
    _open(page, server, who, where)
    page.wait_for_load_state("load")
    page.screenshot(path=str(artifacts_dir / f"a11y-{name}.png"), full_page=True)
    problems = set(page.evaluate(AUDIT_JS))
    assert page.evaluate("document.documentElement.lang") == "fr"

    # The first Tab reaches the skip link, which leads into the main content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip", name
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    reached, no_ring = _tab_through(page, actions)
    problems |= {f"not reachable with Tab: {a}" for a in set(actions) - reached}
    problems |= {f"focus without a visible outline: {e}" for e in no_ring}
    unexpected = sorted(problems - KNOWN.get(name, set()))
    assert not unexpected, f"{name}:\n  " + "\n  ".join(unexpected)


def test_the_menu_works_with_the_keyboard(page, server):
    _login(page, server, STAFF)
    links = page.locator("header nav a")
    names = [links.nth(i).inner_text() for i in range(links.count())]
    assert "Stock" in names and len(names) >= 8
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")  # the brand
    assert page.evaluate("document.activeElement.className") == "brand"
    focused = []
    for _ in names:
        page.keyboard.press("Tab")
        focused.append(page.evaluate("document.activeElement.innerText"))
    assert focused == names
    page.keyboard.press("Enter")  # the last link of the menu
    page.wait_for_url(f"{server}/needs/")
    page.goto(f"{server}/")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    for _ in range(names.index("Stock") + 1):
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{server}/stock/")


def test_lang_follows_the_ui_language(page, server):
    _login(page, server, STAFF)
    page.goto(f"{server}/stock/?lang=en")
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text().startswith("Stock")
    page.goto(f"{server}/stock/?lang=fr")
    assert page.evaluate("document.documentElement.lang") == "fr"


def test_stock_cells_open_the_filtered_device_list(page, server, artifacts_dir):
    _login(page, server, STAFF)
    page.get_by_role("link", name="Stock", exact=True).click()
    cell = page.locator("#stock-table tbody a").first
    label, count = cell.get_attribute("aria-label"), int(cell.inner_text())
    cell.click()
    page.wait_for_url(re.compile(r".*/devices/\?status=.*&type=.*"))
    assert page.locator("tbody a.tag").count() == count, label
    assert page.locator(".chips a[aria-current=page] strong").inner_text() == str(count)


# --- the stylesheet's colours, without a browser ------------------------------------------


def _luminance(hex_colour: str) -> float:
    value = hex_colour.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    channels = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two #rgb/#rrggbb colours."""
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _rules() -> list[tuple[str, dict[str, str]]]:
    text = re.sub(r"/\*.*?\*/", "", CSS.read_text(), flags=re.S)
    variables = dict(re.findall(r"--([\w-]+)\s*:\s*(#[0-9a-fA-F]{3,6})", text))
    rules = []
    for selector, body in re.findall(r"([^{}]+)\{([^}]*)\}", text):
        declarations = {}
        for prop, value in re.findall(r"([\w-]+)\s*:\s*([^;]+)", body):
            value = re.sub(r"var\(--([\w-]+)\)", lambda m: variables[m.group(1)], value.strip())
            declarations[prop] = value
        rules.append((selector.strip(), declarations))
    return rules


def _colour(value: str | None) -> str | None:
    match = re.search(r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b", value or "")
    return match.group(0) if match else None


def test_contrast_formula():
    assert round(contrast("#000", "#fff"), 1) == 21.0
    assert round(contrast("#767676", "#fff"), 2) == 4.54  # the lightest grey that passes on white


def test_every_text_colour_of_the_stylesheet_has_enough_contrast():
    rules = _rules()
    root = next(d for s, d in rules if s == ":root")
    ink, page_bg = root["--ink"], root["--bg"]
    header_bg = _colour(next(d for s, d in rules if s == "header.top")["background"])
    assert header_bg is not None
    failures = []
    for selector, declarations in rules:
        fg = _colour(declarations.get("color"))
        bg = _colour(declarations.get("background") or declarations.get("background-color"))
        if fg is None and bg is None:
            continue
        in_header = selector.startswith("header.top")
        fg = fg or ("#ffffff" if in_header else ink)
        grounds = [bg] if bg else ([header_bg] if in_header else [page_bg, "#ffffff"])
        for ground in grounds:
            ratio = contrast(fg, ground)
            if ratio < 4.5:
                failures.append(f"{selector}: {fg} on {ground} = {ratio:.2f}")
    assert not failures, "\n".join(failures)


def test_focus_outlines_stand_out_from_their_background():
    rules = dict(_rules())
    root = rules[":root"]
    page_ring = _colour(
        next(d for s, d in rules.items() if s.startswith(":focus-visible"))["outline"]
    )
    header_ring = _colour(
        next(d for s, d in rules.items() if s.startswith("header.top :focus"))["outline-color"]
    )
    header_bg = _colour(rules["header.top"]["background"])
    assert page_ring and header_ring and header_bg
    # WCAG 1.4.11: a focus indicator needs 3:1 against what surrounds it.
    for ring, ground in [
        (page_ring, root["--bg"]),
        (page_ring, "#ffffff"),
        (header_ring, header_bg),
    ]:
        assert contrast(ring, ground) >= 3, (ring, ground)
