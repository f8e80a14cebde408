"""Every Markdown pmctl writes shows a postmortem's fields as text: a title, a service, an
owner or an action item holding Markdown (emphasis, a link, raw HTML, a `|` in a table cell,
a leading `#`, a line break, backticks) renders as exactly those characters, never as a
link, emphasis, an image, an extra table cell, a heading or a line of its own."""

from __future__ import annotations

import json
import re
from html import unescape

import pytest
from markdown_it_pyrs import MarkdownIt

from pmctl.domain.markdown_text import inline, link_target
from pmctl.domain.project import Project
from tests.conftest import run_cli
from tests.site_corpus import EN_ID, EXAMPLES, commit_postmortems

TITLE = "# *bold* [x](javascript:alert(1)) <img src=x onerror=alert(2)> a|b `code` ~~s~~ &amp; #"
BROKEN = TITLE + "\n# injected"
"""A title with a line break (YAML `\\n`): shown on its line, the break spelled out."""
SHOWN = TITLE + "\\n# injected"
ITEM = "- _item_ [y](https://evil.example) <b>z</b> |"
OWNER = "*mal*|lory"
SERVICE = "<i>search</i>|x"
COPIES = ("2015-10-21-shakespeare-sonnet", "2015-11-02-shakespeare-rerun", "2015-12-07-third")
TODAY = "2016-06-01"


def _quoted(text: str) -> str:
    return json.dumps(text)  # a YAML double-quoted scalar


def _hostile(postmortem_id: str) -> str:
    text = (EXAMPLES / "2015" / f"{EN_ID}.md").read_text(encoding="utf-8")
    front, body = text.split("\n---\n", 1)
    for old, new in (
        (f"id: {EN_ID}", f"id: {postmortem_id}"),
        ("title: Shakespeare Sonnet++ postmortem (incident 465)", f"title: {_quoted(BROKEN)}"),
        ("related: [2015-10-21-shakespeare-sonnet-ja]", "related: []"),
        ("services: [shakespeare-search]", f"services: [{_quoted(SERVICE)}]"),
        (
            "    title: Use the flux capacitor to balance load between clusters",
            f"    title: {_quoted(ITEM)}",
        ),
        ("    owner: martym", f"    owner: {_quoted(OWNER)}"),
    ):
        assert old in front
        front = front.replace(old, new, 1)
    if postmortem_id == COPIES[-1]:  # on the review meeting's agenda
        front = front.replace("status: reviewed", "status: in-review")
    return front + "\n---\n" + body


@pytest.fixture
def hostile(repo: Project) -> Project:
    commit_postmortems(
        repo, {i: _hostile(i) for i in COPIES}, "add postmortems whose fields hold Markdown"
    )
    return repo


def _rendered_text(markdown: str) -> tuple[str, str]:
    """The HTML GitHub-flavoured Markdown makes of `markdown`, and its text (tags dropped)."""
    html = MarkdownIt("gfm").render(markdown)
    return html, unescape(re.sub(r"<[^>]*>", "", html))


@pytest.mark.parametrize(
    ("command", "fields"),
    [
        (["digest", "--month", "2015-10"], (SHOWN, ITEM, OWNER)),
        (["drill", COPIES[0]], (SHOWN, SERVICE, f"AI-2 {ITEM}")),
        (["reading-club", "--format", "markdown"], (SHOWN,)),
        (["trends", "--since", "2015-01-01", "--format", "markdown"], (SHOWN, SERVICE)),
        (["review", COPIES[0], "--format", "markdown"], (SHOWN,)),
        (["report", "--format", "markdown"], (ITEM, OWNER)),
        (["stats", "--format", "markdown"], (SERVICE,)),
        (["review", "--agenda", "--format", "markdown"], (SHOWN,)),
    ],
    ids=["digest", "drill", "reading-club", "trends", "review", "report", "stats", "agenda"],
)
def test_fields_are_text_in_every_markdown_output(
    hostile: Project, command: list[str], fields: tuple[str, ...]
) -> None:
    result = run_cli(hostile.root, "--today", TODAY, *command)
    assert result.returncode == 0, result.stderr

    html, text = _rendered_text(result.stdout)
    for field in fields:
        assert field in text, f"{field!r} not shown as text in:\n{result.stdout}"
    for live in ("<img", "<em>bold", "<em>item", "<em>mal", "<code>code", "<s>", "<b>", "<i>"):
        assert live not in html, html
    # (GFM links a bare URL it shows, https://evil.example, to itself: no hidden target)
    assert not re.search(r'href="javascript|>[xy]</a>', html)


def test_index_cells_stay_one_row_of_text(hostile: Project) -> None:
    result = run_cli(hostile.root, "index", "--no-commit")
    assert result.returncode == 0, result.stderr

    html, text = _rendered_text((hostile.root / "INDEX.md").read_text(encoding="utf-8"))
    assert text.count(SHOWN) == len(COPIES)
    assert OWNER not in text  # (the postmortem's owner is jennifer; the item's is not shown)
    rows = re.findall(r"<tr>(.*?)</tr>", html, re.DOTALL)
    assert {row.count("<td") for row in rows[1:]} == {7}
    assert not re.search("<img|<em>", html)


@pytest.mark.parametrize(
    "text",
    [
        TITLE,
        "1. not a list",
        "- not a bullet",
        "+ nor this",
        "===",
        "    four blanks",
        "> not a quote",
        "<https://autolink.example>",
        "&#x202e; &copy; R&D",
        "back\\slash \\* `` ` ``",
        "snake_case_name and 日本語の*題名*",
        "costs $5 and $x^2$ math",
    ],
)
@pytest.mark.parametrize("where", ["- {}", "## {}", "| {} | x |\n|---|---|", "{}"])
def test_inline_text_renders_as_exactly_that_text(text: str, where: str) -> None:
    html, shown = _rendered_text(where.format(inline(text)))
    assert shown.strip().removesuffix("x").strip() == text.strip()
    assert not re.search("<a|<em>|<code>", html)


@pytest.mark.parametrize(
    "path", ["postmortems/2026/a.md", "postmortems/a b (1).md", "x<y>\\z.md", "日本語.md"]
)
def test_a_link_target_is_the_whole_path(path: str) -> None:
    from urllib.parse import unquote

    html = MarkdownIt("commonmark").render(f"[x]({link_target(path)})")
    found = re.search(r'<a href="([^"]*)">x</a>', html)
    assert found is not None, html
    assert unquote(unescape(found[1])) == path
