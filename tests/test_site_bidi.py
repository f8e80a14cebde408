"""A bidirectional override or isolate in a postmortem's fields does not reorder the site:
it is spelled out (`\\u202e`), in the pages and in the search data, as on a terminal. Right-
to-left letters are kept as they are."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import TYPE_CHECKING

from pmctl.domain.project import Project
from pmctl.domain.visible_text import bidi_spelled
from pmctl.services import site
from tests.conftest import git
from tests.site_corpus import EN_ID, EXAMPLES

if TYPE_CHECKING:
    from playwright.sync_api import Browser

TODAY = dt.date(2026, 11, 23)
ID = "2016-03-01-bidi"
CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
TITLE = "Disk full \u202eafter the deploy\u202c שלום"
"""As YAML reads `"Disk full \\u202eafter the deploy\\u202c שלום"`."""


def _build(project: Project) -> Path:
    text = (EXAMPLES / "2015" / f"{EN_ID}.md").read_text(encoding="utf-8")
    text = (
        text.replace(f"id: {EN_ID}", f"id: {ID}")
        .replace(
            "title: Shakespeare Sonnet++ postmortem (incident 465)",
            'title: "Disk full \\u202eafter the deploy\\u202c שלום"',
        )
        .replace("services: [shakespeare-search]", 'services: ["db\\u2067x", search]')
        .replace("related: [2015-10-21-shakespeare-sonnet-ja]", "related: []")
        .replace("## Summary\n", "## Summary\n\nReverse \u202emy words, please.\n", 1)
    )
    assert "\u202emy words" in text
    path = project.postmortem_dir / "2016" / f"{ID}.md"
    path.parent.mkdir(parents=True)
    path.write_text(text, encoding="utf-8")
    git(project.root, "add", "postmortems")
    git(project.root, "commit", "-qm", "a title with a right-to-left override")
    out = project.root / "_site"
    site.build(project, out=out, today=TODAY)
    return out


def test_spelled_keeps_right_to_left_letters_and_spells_the_controls() -> None:
    assert bidi_spelled("שלום עולם") == "שלום עולם"
    assert bidi_spelled("a\u202eb\u2066c") == "a\\u202eb\\u2066c"
    assert bidi_spelled("障害\u200f") == "障害\\u200f"
    assert not set(bidi_spelled(CONTROLS)) & set(CONTROLS)


def test_no_page_and_no_search_data_holds_a_bidi_control(repo: Project) -> None:
    out = _build(repo)

    page = (out / "pm" / f"{ID}.html").read_text(encoding="utf-8")
    assert "<h1>Disk full \\u202eafter the deploy\\u202c שלום</h1>" in page
    assert "db\\u2067x" in page
    assert "Reverse \\u202emy words, please." in page  # the body's own text
    for path in out.rglob("*"):
        if path.suffix in (".html", ".js", ".json"):
            text = path.read_text(encoding="utf-8")
            assert not set(text) & set(CONTROLS), path
    data = "".join(path.read_text(encoding="utf-8") for path in out.rglob("*-docs.js"))
    assert "Disk full \\\\u202eafter the deploy\\\\u202c שלום" in data  # a JSON string


_VISUAL_ORDER = """([selector, word]) => {
    const element = document.querySelector(selector);
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const at = node.data.indexOf(word);
        if (at < 0) continue;
        const lefts = [];
        for (let i = at; i < at + word.length; i++) {
            const range = document.createRange();
            range.setStart(node, i);
            range.setEnd(node, i + 1);
            lefts.push(range.getBoundingClientRect().left);
        }
        return lefts;
    }
    return null;
}"""


def test_the_words_after_an_override_read_left_to_right_in_the_browser(
    repo: Project, browser: Browser
) -> None:
    out = _build(repo)
    page = browser.new_page()
    try:
        page.goto((out / "pm" / f"{ID}.html").as_uri())
        lefts = page.evaluate(_VISUAL_ORDER, ["h1", "after the deploy"])
        assert lefts is not None
        assert lefts == sorted(lefts)  # reversed, each letter stood left of the one before
        chip = page.evaluate(_VISUAL_ORDER, [".pm-card .meta", "search"])
        assert chip is not None
        assert chip == sorted(chip)
        title = page.inner_text("h1")
        assert re.fullmatch(r"Disk full \\u202eafter the deploy\\u202c שלום", title)
    finally:
        page.close()
