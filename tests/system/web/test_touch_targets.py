"""On a touch screen (an 800×1280 tablet at the bench) every control is at least 44×44 px.

For each main page, in Debian's chromium with touch emulation: every visible button, select,
text field, checkbox and radio (its label counts, it is part of the target), and every link
outside running text (navigation, tables, lists of actions) must offer a 44 px square. Links
inside a sentence are exempt, as WCAG 2.5.8 allows. The page must not scroll sideways either.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.system.web.test_accessibility import PAGES, _login, _open

TOUCH_PAGES = [p for p in PAGES if p[0] not in ("error",)]

MEASURE_JS = r"""
() => {
  const MIN = 44;
  const visible = el => {
    const s = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none';
  };
  const inSentence = a => {
    const block = a.closest('p, li, dd, td, small, span.muted');
    if (!block || a.closest('nav, .chips, .actions, ul.documents, .filters')) return false;
    const text = block.textContent.replace(a.textContent, '').trim();
    return text.length > 0 && block.tagName !== 'TD';
  };
  const target = el => {
    if (el.matches('input[type=checkbox], input[type=radio]')) {
      const label = el.closest('label') || (el.id && document.querySelector(`label[for="${el.id}"]`));
      if (label && visible(label)) {
        const a = label.getBoundingClientRect(), b = el.getBoundingClientRect();
        return {w: Math.max(a.right, b.right) - Math.min(a.left, b.left),
                h: Math.max(a.bottom, b.bottom) - Math.min(a.top, b.top)};
      }
    }
    const r = el.getBoundingClientRect();
    return {w: r.width, h: r.height};
  };
  const small = [];
  const controls = document.querySelectorAll(
    'button, select, textarea, input:not([type=hidden]), a[href], summary');
  for (const el of controls) {
    if (!visible(el) || el.closest('.skip, template, dialog:not([open])')) continue;
    if (el.tagName === 'A' && inSentence(el)) continue;
    const t = target(el);
    if (t.w < MIN - 0.5 || t.h < MIN - 0.5) {
      small.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}` +
        `[${(el.textContent || el.name || el.type || '').trim().slice(0, 24)}] ` +
        `${Math.round(t.w)}×${Math.round(t.h)}`);
    }
  }
  const wide = document.documentElement.scrollWidth > window.innerWidth + 1;
  return {small, wide, width: document.documentElement.scrollWidth};
}
"""


@pytest.fixture
def tablet(browser: Any) -> Any:
    context = browser.new_context(
        locale="fr-FR", viewport={"width": 800, "height": 1280}, has_touch=True, is_mobile=True
    )
    page = context.new_page()
    yield page
    context.close()


@pytest.mark.browser
@pytest.mark.parametrize(
    ("name", "who", "where", "actions"), TOUCH_PAGES, ids=[p[0] for p in TOUCH_PAGES]
)
def test_every_control_is_a_44px_target_on_a_tablet(tablet, server, name, who, where, actions):
    _login(tablet, server, who)
    _open(tablet, server, who, where)
    tablet.wait_for_load_state("networkidle")
    found = tablet.evaluate(MEASURE_JS)
    assert not found["wide"], f"{name}: the page scrolls sideways ({found['width']} px > 800)"
    assert found["small"] == [], f"{name}: targets under 44 px: {found['small'][:12]}"
