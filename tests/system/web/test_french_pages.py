"""A French page holds no English sentence: every main page is read in Chromium and searched.

The visible text (and the accessible names: aria-label, title, placeholder, alt) of each page
of the accessibility walk is split into words; an English word that French never uses (the,
and, of, please, failed...) fails the test, naming the page and the text around it. Proper
names and technical terms shared by both languages are not in the list; model names of the
demo's machines are allowed by `ALLOWED`, which is short on purpose.
"""

from __future__ import annotations

import re

import pytest

from tests.system.web.test_accessibility import PAGES, _login, _open

# English words with no French homograph, the ones a leaked English sentence always holds.
ENGLISH = set(
    """
    the and of to is are was were not with this that these those for from into your you please
    which when where while there here been being have has had will would should could can't
    cannot don't doesn't yes none nothing everything every each other than then only also
    failed passed erased wiped pending unknown invalid error errors missing found required
    wipe wipes disk disks device devices bench benches donation donations label labels
    printer printers reservation reservations graded recycled recycling exit
    received inventoried tested available reserved handed parts refurbished
    full sampled zero random method verification login logout password email
    """.split()
)
# Texts shown as their source wrote them, not ours to translate: the SMBIOS placeholder of a
# donated machine's serial, and the operating system's own error text of a failed write.
AS_WRITTEN = ("To be filled by O.E.M.", "Input/output error")


TEXT_JS = r"""
() => {
  const parts = [document.title, document.body.innerText];
  for (const el of document.querySelectorAll('[aria-label], [title], [placeholder], img[alt]')) {
    parts.push(el.getAttribute('aria-label') || '', el.getAttribute('title') || '',
               el.getAttribute('placeholder') || '', el.getAttribute('alt') || '');
  }
  return parts.join('\n');
}
"""


def english_words(text: str) -> list[str]:
    """The English words of a text, each with some context around it."""
    for phrase in AS_WRITTEN:
        text = text.replace(phrase, "")
    found = []
    for match in re.finditer(r"[^\W\d_]+(?:'[^\W\d_]+)?", text):
        word = match.group().lower()
        if word in ENGLISH:
            start, end = max(0, match.start() - 30), match.end() + 30
            found.append(f"{word!r} in …{text[start:end]!r}…")
    return found


def test_the_word_search_finds_english_and_spares_french():
    assert english_words("Please log in to access this page.")
    assert english_words("Clear — overwrite aes-256-ctr, full verification")
    assert not english_words("Connectez-vous pour accéder à cette page. Purge, Clear, SMART, NVMe")
    assert not english_words("Dell OptiPlex 7050, Lenovo ThinkPad T470, HP EliteBook 840 G5")


@pytest.mark.browser
@pytest.mark.parametrize(("name", "who", "where", "actions"), PAGES, ids=[p[0] for p in PAGES])
def test_no_english_on_a_french_page(page, server, name, who, where, actions):
    _login(page, server, who)
    _open(page, server, who, where)
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.lang") == "fr"
    leaks = english_words(page.evaluate(TEXT_JS))
    assert not leaks, f"{name}: English on a French page:\n  " + "\n  ".join(leaks[:15])
