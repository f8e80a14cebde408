"""The built site in a real browser: Debian's Chromium, headless, driven by Playwright.

The site is opened from disk (`file://`), as someone who downloaded it would. Every test
fails on a console error, an uncaught exception, a dialog (an injected `alert`) or a
request outside the site. Without /usr/bin/chromium the tests are skipped, unless
PMCTL_REQUIRE_BROWSER=1 (set by .ci/run), which turns the skip into a failure.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from pmctl.adapters.config_file import load_project
from pmctl.domain import commits
from pmctl.domain.project import Project
from pmctl.services import site
from tests.conftest import FIXED_DATE, git, initialised_copy, isolate_git
from tests.site_corpus import (
    EN_ID,
    EXAMPLES,
    HOSTILE_ID,
    JA_ID,
    add_examples,
    add_hostile,
    png,
)
from tests.site_links import broken_links

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

TODAY = dt.date(2026, 11, 23)
VARIANTS = (
    # id, severity, status, service
    ("2026-03-02-checkout-latency", "SEV2", "draft", "checkout"),
    ("2026-05-17-payments-outage", "SEV3", "closed", "payments-gateway-eu-west-1-primary-cluster"),
    ("2025-12-24-search-errors", "SEV2", "reviewed", "search"),
)
LONG_TITLE = "Payments_gateway_connection_pool_exhausted_in_eu-west-1_during_the_batch_run"
"""A title of one word, wider than a phone's screen (an identifier, a URL)."""
HISTORIES = {
    # id: the transition commits that took it from draft to its status, as `pmctl status`
    # writes them, each at a pinned date (the incident started at 14:54 UTC on its id's day).
    "2025-12-24-search-errors": (
        ("draft", "in-review", "2026-01-05T10:00:00+00:00"),
        ("in-review", "reviewed", "2026-01-08T10:00:00+00:00"),  # 14.8 days after the start
    ),
    "2026-05-17-payments-outage": (
        ("draft", "in-review", "2026-05-20T10:00:00+00:00"),
        ("in-review", "reviewed", "2026-05-25T14:54:00+00:00"),  # 8 days after the start
        ("reviewed", "closed", "2026-06-01T09:00:00+00:00"),
    ),
}


@dataclass
class Watched:
    """A page, and everything it did that a test must not see."""

    page: Page
    root: Path
    errors: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def open(self, path: str) -> Page:
        name, question, query = path.partition("?")
        self.page.goto((self.root / name).as_uri() + question + query)
        return self.page

    def assert_clean(self) -> None:
        assert self.errors == []
        assert self.outside == []
        assert self.dialogs == []


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The site of the examples, their variants and a hostile postmortem, built once for the
    module: the tests only read it (a build per test cost 0.3 CPU-s and six git processes)."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        base = tmp_path_factory.mktemp("browsed")
        isolate_git(base, monkeypatch, clear=True)
        repo = load_project(initialised_copy(base / "pm", tmp_path_factory))
        yield _build(repo, monkeypatch)


def _build(repo: Project, monkeypatch: pytest.MonkeyPatch) -> Path:
    add_examples(repo, commit=False)
    # A graph far wider than a phone, beside the English postmortem.
    (repo.postmortem_dir / "2015" / "img").mkdir()
    (repo.postmortem_dir / "2015" / "img" / "graph.png").write_bytes(png(2000, 40))
    with (repo.postmortem_dir / "2015" / f"{EN_ID}.md").open("a", encoding="utf-8") as file:
        file.write("\n![error rate](img/graph.png)\n")
    git(repo.root, "add", "postmortems")
    git(repo.root, "commit", "-q", "-m", "add the examples")
    english = (EXAMPLES / "2015" / f"{EN_ID}.md").read_text(encoding="utf-8")
    paths = {}
    for postmortem_id, severity, status, service in VARIANTS:
        first = HISTORIES[postmortem_id][0][0] if postmortem_id in HISTORIES else status
        text = (
            english.replace(f"id: {EN_ID}", f"id: {postmortem_id}")
            .replace("2015-10-21", postmortem_id[:10])  # created and timestamps: its own day
            .replace("severity: SEV1", f"severity: {severity}")
            .replace("status: reviewed", f"status: {first}")
            .replace("services: [shakespeare-search]", f"services: [{service}]")
            .replace(f"related: [{JA_ID}]", "related: []")
            .replace(f"{postmortem_id[:10]}-shakespeare-sonnet-ja.md", f"{JA_ID}.md")  # (its link)
        )
        if postmortem_id == "2026-05-17-payments-outage":
            text = text.replace(
                "title: Shakespeare Sonnet++ postmortem (incident 465)", f"title: {LONG_TITLE}"
            )
        path = repo.postmortem_dir / postmortem_id[:4] / f"{postmortem_id}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        paths[postmortem_id] = path
    git(repo.root, "add", "postmortems")
    git(repo.root, "commit", "-qm", "variants")
    for postmortem_id, moves in HISTORIES.items():
        path = paths[postmortem_id]
        for source, target, date in moves:
            text = path.read_text(encoding="utf-8")
            path.write_text(text.replace(f"status: {source}", f"status: {target}", 1), "utf-8")
            monkeypatch.setenv("GIT_AUTHOR_DATE", date)
            monkeypatch.setenv("GIT_COMMITTER_DATE", date)
            message = commits.transition(postmortem_id, source, target)
            git(repo.root, "commit", "-q", "-m", message, "--", str(path))
    monkeypatch.setenv("GIT_AUTHOR_DATE", FIXED_DATE)
    monkeypatch.setenv("GIT_COMMITTER_DATE", FIXED_DATE)
    add_hostile(repo)
    out = repo.root / "_site"
    site.build(repo, out=out, today=TODAY)
    return out


@pytest.fixture(scope="module")
def tab(browser: Browser) -> Iterator[Page]:
    """One page for the module's tests, each of which starts with a `goto`: a new page is a
    new renderer process (0.35 CPU-s each). The site keeps no state in the browser (no
    cookies, no storage), so nothing carries from one test to the next."""
    page = browser.new_page()
    yield page
    page.close()


@pytest.fixture
def watched(tab: Page, built: Path) -> Iterator[Watched]:
    page = tab
    seen = Watched(page, built)
    site_prefix = built.as_uri() + "/"

    def console(message: Any) -> None:
        if message.type == "error":
            seen.errors.append(message.text)

    def request(request: Any) -> None:
        if not request.url.startswith(site_prefix):
            seen.outside.append(request.url)

    def dismiss(dialog: object) -> None:
        seen.dialogs.append(str(getattr(dialog, "message", "")))
        getattr(dialog, "dismiss")()  # noqa: B009

    def page_error(error: object) -> None:
        seen.errors.append(str(error))

    page.on("console", console)
    page.on("pageerror", page_error)
    page.on("request", request)
    page.on("dialog", dismiss)
    yield seen
    page.remove_listener("console", console)
    page.remove_listener("pageerror", page_error)
    page.remove_listener("request", request)
    page.remove_listener("dialog", dismiss)
    page.goto("about:blank")  # nothing of this test's page reaches the next one


def _results(page: Page) -> list[str]:
    page.wait_for_selector("#search-status:not(:empty)", timeout=10_000)
    return [
        str(href).rsplit("/", 1)[-1]
        for href in page.eval_on_selector_all(
            "#search-results a", "links => links.map(a => a.href)"
        )
    ]


def test_search_finds_an_english_and_a_japanese_postmortem(watched: Watched) -> None:
    page = watched.open("search.html?q=aficionados")
    assert f"{EN_ID}.html" in _results(page)
    assert f"{JA_ID}.html" not in _results(page)

    # A two-character Japanese word inside a sentence, with no spaces around it.
    page = watched.open("search.html?q=" + "障害")
    assert _results(page) == [f"{JA_ID}.html"]
    page = watched.open("search.html?q=" + "ソネット")
    assert _results(page) == [f"{JA_ID}.html"]

    # The last word matches as a prefix; every word must match.
    page = watched.open("search.html?q=flux%20capac")
    assert f"{EN_ID}.html" in _results(page)
    page = watched.open("search.html?q=flux%20zzzzqx")
    assert _results(page) == []
    assert "No postmortem matches" in page.inner_text("#search-status")
    watched.assert_clean()


def test_the_search_box_on_every_page_leads_to_results(watched: Watched) -> None:
    page = watched.open("index.html")
    page.fill("#q", "Shakespeare")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"search\.html\?q=Shakespeare$"))
    assert f"{EN_ID}.html" in _results(page)
    page.click(f"#search-results a[href$='{EN_ID}.html']")
    page.wait_for_url(re.compile(re.escape(EN_ID) + r"\.html$"))
    assert "Root Causes" in page.inner_text("article")
    watched.assert_clean()


def test_catalogue_filters_sort_and_keep_the_view_in_the_address(watched: Watched) -> None:
    page = watched.open("catalogue.html")
    visible = "#catalogue tbody tr:not([hidden])"
    assert page.locator(visible).count() == 6
    page.select_option("select[name=severity]", "SEV2")
    assert page.locator(visible).count() == 2
    page.select_option("select[name=status]", "draft")
    assert page.locator(visible).count() == 1
    assert page.inner_text("#shown") == "1 shown"
    assert page.url.endswith("#status=draft&severity=SEV2")
    page.select_option("select[name=status]", "")
    page.select_option("select[name=severity]", "")
    page.select_option("select[name=year]", "2026")
    assert page.locator(visible).count() == 2
    page.select_option("select[name=year]", "")
    page.select_option("select[name=sort]", "oldest")
    first = page.locator(f"{visible} td:nth-child(1)").first.inner_text()
    assert first == "2015-10-21"
    page.reload()  # the address keeps the view
    assert page.input_value("select[name=sort]") == "oldest"
    watched.assert_clean()


def test_navigation_by_keyboard_and_links(watched: Watched) -> None:
    page = watched.open("index.html")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.click("nav >> text=Statistics")
    page.wait_for_url(re.compile(r"stats\.html$"))
    page.click("nav >> text=Action items")
    page.wait_for_url(re.compile(r"actions\.html$"))
    assert page.locator("tr.overdue").count() == 0  # the examples' items have no due date
    page.click(f"a[href='pm/{EN_ID}.html'] >> nth=0")
    page.wait_for_url(re.compile(re.escape(EN_ID) + r"\.html$"))
    page.click(f"a[href='{JA_ID}.html'] >> nth=0")
    page.wait_for_url(re.compile(re.escape(JA_ID) + r"\.html$"))
    assert page.get_attribute("article", "lang") == "ja"
    watched.assert_clean()


def test_charts_render_a_point_per_month_and_series(watched: Watched) -> None:
    page = watched.open("stats.html")
    # 2015-10 .. 2026-05 is far more than the 24 months shown: 2024-06 .. 2026-05.
    counts = page.eval_on_selector_all(
        "[data-chart] svg",
        "charts => charts.map(svg => svg.querySelectorAll('.point').length)",
    )
    per_month, times, review, share, actions = counts
    assert per_month == 24 * 3  # every month, one stacked part per severity: SEV1 to SEV3
    assert actions == 24 * 3
    assert share == 24
    assert times == 3 * 2  # months in range with incidents: 2025-12, 2026-03, 2026-05
    # Incident to reviewed, from the transition commits: a point in each month with one.
    assert review == 2
    drawn = page.eval_on_selector_all(
        "[data-chart=review] svg .point",
        "points => points.map(p => [p.dataset.label, p.dataset.value, p.getBBox().width])",
    )
    assert [(label, value) for label, value, _ in drawn] == [("2025-12", "14.8"), ("2026-05", "8")]
    assert all(width > 0 for _, _, width in drawn)
    box = page.locator("[data-chart=per_month] svg").bounding_box()
    assert box is not None
    assert box["width"] > 300
    assert box["height"] > 100
    watched.assert_clean()


def test_an_injected_script_does_not_run(watched: Watched) -> None:
    page = watched.open(f"pm/{HOSTILE_ID}.html")
    page.click("text=click me")
    for text in ("plain", "upper", "tabbed", "data", "vb"):
        page.click(f".body >> text={text}")
    assert page.evaluate("window.__pwned") is None
    assert "<script>window.__pwned = 11</script>" in page.inner_text("h1")
    assert page.locator(".body img").count() == 0
    watched.assert_clean()


@pytest.mark.parametrize(
    "path",
    [
        "index.html",
        "catalogue.html",
        "actions.html",
        "stats.html",
        "search.html?q=payments_gateway",
        "pm/2026-05-17-payments-outage.html",
        f"pm/{EN_ID}.html",
    ],
)
def test_every_page_fits_a_phone_with_long_words_and_wide_images(
    watched: Watched, path: str
) -> None:
    page = watched.page
    page.set_viewport_size({"width": 375, "height": 800})
    try:
        page = watched.open(path)
        page.wait_for_load_state("load")
        if path.startswith("search"):
            assert _results(page) == ["2026-05-17-payments-outage.html"]
        if path == f"pm/{EN_ID}.html":
            assert page.eval_on_selector(".body img", "image => image.naturalWidth") == 2000
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
    finally:
        page.set_viewport_size({"width": 1280, "height": 720})
    watched.assert_clean()


def test_every_link_of_the_browsed_site_leads_to_a_file_and_an_anchor_of_it(built: Path) -> None:
    assert broken_links(built) == []
