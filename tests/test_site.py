"""`pmctl site build/serve`: pages, safety, determinism, incremental rebuilds, serving."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest

from pmctl.adapters.config_file import load_project
from pmctl.adapters.markdown import render
from pmctl.domain.project import Project
from pmctl.errors import ExitCode, TemplateError, UsageError
from pmctl.services import site, site_pages
from tests.conftest import git, run_cli, run_process, run_read_only
from tests.site_corpus import (
    EN_ID,
    EXAMPLES,
    HOSTILE_ID,
    JA_ID,
    add_examples,
    add_hostile,
    commit_postmortems,
)
from tests.site_links import broken_links
from tests.test_notify import free_port

TODAY = dt.date(2026, 11, 23)


def tree(directory: Path) -> dict[str, bytes]:
    return {
        path.relative_to(directory).as_posix(): path.read_bytes()
        for path in sorted(directory.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def examples(repo: Project) -> Project:
    add_examples(repo)
    return repo


def test_a_build_writes_every_page_with_relative_links_only(examples: Project) -> None:
    out = examples.root / "_site"
    result = site.build(examples, out=out, today=TODAY)

    assert result.postmortems == 2
    assert result.rendered == 2
    files = tree(out)
    for page in ("index.html", "catalogue.html", "actions.html", "stats.html", "search.html"):
        assert page in files
    assert f"pm/{EN_ID}.html" in files
    assert f"pm/{JA_ID}.html" in files
    assert {"assets/site.css", "assets/site.js", "assets/search.js"} <= set(files)
    for name, data in files.items():
        if name.endswith(".html"):
            html = data.decode()
            for target in re.findall(r'(?:src|href)="([^"]*)"', html):
                assert not target.startswith(("/", "//", "file:")), (name, target)
                if target.startswith("http"):
                    assert "<a " in html, (name, target)  # only links to read, never a resource
            assert not re.search(r'<(?:script|link|img)[^>]+(?:src|href)="https?:', html), name


def test_a_postmortem_page_has_its_card_body_actions_reviews_and_related(
    examples: Project,
) -> None:
    out = examples.root / "_site"
    site.build(examples, out=out, today=TODAY)
    english = (out / "pm" / f"{EN_ID}.html").read_text(encoding="utf-8")
    japanese = (out / "pm" / f"{JA_ID}.html").read_text(encoding="utf-8")

    assert '<h2 id="root-causes">Root Causes</h2>' in english
    assert "Time to detect" in english
    assert "<dd>1m</dd>" in english
    assert "<dd>1h 06m</dd>" in english
    assert english.count("<tr><td>AI-") == 9
    assert "docbrown" in english
    assert "approved" in english
    assert f'<a href="{JA_ID}.html">' in english  # related, and the body's link to the .md
    assert '<article lang="ja">' in japanese
    assert '<h2 id="根本原因">根本原因</h2>' in japanese
    assert "検出までの時間" in japanese
    assert "参照元" in japanese  # the English one lists it as related
    # Its action items in its own words, in the page's list as in the table of its body.
    assert japanese.count("<td>回避</td>") == 12
    assert "<td>prevent</td>" not in japanese
    assert english.count("<td>prevent</td>") == 12
    # A line break inside Japanese prose is no space.
    assert "高まった期間に、シェークスピア検索が" in japanese


LINKING_ID = "2016-03-01-links-written-for-github"
LINKING_BODY = f"""
# Links written for GitHub

## Summary

Why: [root causes](#root-causes), [the `cache_v2` rollout](#the-cache_v2-rollout),
[the second timeline](#timeline-1), [the items](#action-items),
[in Japanese](2015-10-21-shakespeare-sonnet-ja.md#根本原因),
[encoded](2015-10-21-shakespeare-sonnet-ja.md#%E6%95%99%E8%A8%93),
[lessons](../2015/{EN_ID}.md#lessons-learned), [what went well]({EN_ID}.md#what-went-well).

## Root causes

## The `cache_v2` rollout!

## Timeline

## Timeline

## Action Items
"""


def test_every_link_of_the_site_leads_to_a_page_and_a_heading_of_it(examples: Project) -> None:
    english = (EXAMPLES / "2015" / f"{EN_ID}.md").read_text(encoding="utf-8")
    front = english.split("\n---\n", 1)[0].replace(f"id: {EN_ID}", f"id: {LINKING_ID}")
    front = front.replace(f"related: [{JA_ID}]", "related: []").replace(
        "2015-10-21T", "2016-03-01T"
    )
    commit_postmortems(examples, {LINKING_ID: front + "\n---\n" + LINKING_BODY}, "links")
    add_hostile(examples)
    out = examples.root / "_site"
    site.build(examples, out=out, today=TODAY)

    assert broken_links(out) == []
    page = (out / "pm" / f"{LINKING_ID}.html").read_text(encoding="utf-8")
    assert '<h2 id="the-cache_v2-rollout">The <code>cache_v2</code> rollout!</h2>' in page
    # The body's own "Action Items" gives way to the page's action items, as `#action-items`.
    assert '<h2 id="action-items-1">Action Items</h2>' in page
    assert '<h2 id="action-items">Action items</h2>' in page


PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256))


def test_an_image_beside_a_postmortem_is_in_the_site_until_it_goes(examples: Project) -> None:
    english = examples.postmortem_dir / "2015" / f"{EN_ID}.md"
    images = examples.postmortem_dir / "2015" / "img"
    images.mkdir()
    (images / "Error rate.PNG").write_bytes(PNG)
    (images / "diagram.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>')
    (images / "passwd.png").symlink_to("/etc/passwd")
    english.write_text(
        english.read_text(encoding="utf-8")
        + "\n![errors](img/Error%20rate.PNG) ![from the top](/postmortems/2015/img/Error%20rate.PNG)"
        + " [the graph](<img/Error rate.PNG>) ![as GitHub shows it](img/Error%20rate.PNG?raw=true)"
        + " ![the diagram](img/diagram.svg) ![out](../../docs/out.png) ![top](/)"
        + " ![sneaky](img/%2e%2e/%2e%2e/%2e%2e/x.png) ![gone](/postmortems/../x.png)\n",
        encoding="utf-8",
    )
    git(examples.root, "add", "-A")
    git(examples.root, "commit", "-q", "-m", "a graph")
    out = examples.root / "_site"
    site.build(examples, out=out, today=TODAY)

    assert broken_links(out) == []
    page = (out / "pm" / f"{EN_ID}.html").read_text(encoding="utf-8")
    assert page.count('"../files/2015/img/Error%20rate.PNG"') == 3
    assert '"../files/2015/img/Error%20rate.PNG?raw=true"' in page
    # An image the site has no copy of is its text: no broken image, no request elsewhere.
    assert page.count("<img ") == 3
    assert " the diagram out top sneaky gone" in page
    assert (out / "files" / "2015" / "img" / "Error rate.PNG").read_bytes() == PNG
    assert sorted(tree(out / "files")) == ["2015/img/Error rate.PNG"]  # no SVG, no link out

    assert site.build(examples, out=out, today=TODAY).written == ()
    (images / "Error rate.PNG").write_bytes(PNG + b"more")
    assert site.build(examples, out=out, today=TODAY).written == ("files/2015/img/Error rate.PNG",)
    (images / "Error rate.PNG").unlink()
    gone = site.build(examples, out=out, today=TODAY)
    assert gone.removed == ("files/2015/img/Error rate.PNG",)
    assert not (out / "files" / "2015" / "img" / "Error rate.PNG").exists()


def test_a_search_excerpt_says_what_the_summary_says(examples: Project) -> None:
    """The excerpt dropped every `*`, `_`, `#`, `>` and `|`: "usersessions", "C code"."""
    english = (EXAMPLES / "2015" / f"{EN_ID}.md").read_text(encoding="utf-8")
    front = english.split("\n---\n", 1)[0].replace(f"id: {EN_ID}", f"id: {LINKING_ID}")
    front = front.replace(f"related: [{JA_ID}]", "related: []").replace(
        "2015-10-21T", "2016-03-01T"
    )
    summary = "The `user_sessions` table of the C# service: *p99* > 2 * p50 [see](#impact).\n"
    body = f"\n## Summary\n\n{summary}\n## Impact\n\nNone.\n"
    commit_postmortems(examples, {LINKING_ID: front + "\n---\n" + body}, "marks")
    out = examples.root / "_site"
    site.build(examples, out=out, today=TODAY)

    entries = "".join(
        path.read_text(encoding="utf-8") for path in (out / "search").glob("*-docs.js")
    )
    assert '"The user_sessions table of the C# service: p99 > 2 * p50 see."' in entries


def test_hostile_markdown_never_becomes_markup(examples: Project) -> None:
    add_hostile(examples)
    out = examples.root / "_site"
    site.build(examples, out=out, today=TODAY)
    page = (out / "pm" / f"{HOSTILE_ID}.html").read_text(encoding="utf-8")
    body = page.split('<div class="body">', 1)[1]

    assert "<script>window" not in page
    assert "&lt;script&gt;window.__pwned = 1" in body
    assert "&lt;script&gt;window.__pwned = 11&lt;/script&gt; Hostile &lt;b&gt;title" in page
    assert not re.search(r"<[a-z]+[^>]*\son[a-z]+=", page)  # no event attribute anywhere
    hrefs = re.findall(r'href="([^"]*)"', page)
    assert not [h for h in hrefs if re.match(r"\s*(javascript|vbscript|data|jav)", h, re.I)]
    assert "https://example.com/runbook" in hrefs
    assert f"{EN_ID}.html" in hrefs
    assert "<img" not in body  # the external image became a link, not a request
    assert '<a href="https://tracker.example/pixel.png">tracker</a>' in body
    for name, data in tree(out).items():
        if name.startswith("search/"):
            assert b"</script" not in data, name


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        ("https://example.com/a?b=1&c=2", True),
        ("mailto:sre@example.com", True),
        ("../other.md#timeline", True),
        ("#timeline", True),
        ("javascript:alert(1)", False),
        ("JAVASCRIPT:alert(1)", False),
        ("data:text/html,x", False),
        ("data:image/png;base64,AAAA", False),
        ("file:///etc/passwd", False),
        ("//evil.example/x", False),
        ("vbscript:x", False),
    ],
)
def test_only_safe_link_targets_stay_links(url: str, kept: bool) -> None:
    html = render(f"[text](<{url}>)")
    assert ("<a href=" in html) is kept, html
    assert "text" in html


def test_japanese_prose_wrapped_over_many_lines_is_one_run_and_a_heading_stays_one() -> None:
    html = render("## 見出し\n- 項目は\n  三行に\n  わたる。\n\n次の段落\nabc\n続き")
    assert "<h2>見出し</h2>" in html
    assert "<li>項目は三行にわたる。</li>" in html  # every break, not every other one
    assert "<p>次の段落\nabc\n続き</p>" in html  # next to a Latin word a break stays


def test_the_same_repository_builds_the_same_bytes(examples: Project, tmp_path: Path) -> None:
    add_hostile(examples)
    first = site.build(examples, out=tmp_path / "one", today=TODAY)
    second = site.build(examples, out=tmp_path / "two", today=TODAY)
    assert first.written == second.written
    assert tree(tmp_path / "one") == tree(tmp_path / "two")
    # Another process, whose sets of tokens iterate in another order.
    third = run_process(
        examples.root,
        *("site", "build", "--out", str(tmp_path / "three")),
        env={"PYTHONHASHSEED": "4242", "PMCTL_TODAY": TODAY.isoformat()},
    )
    assert third.returncode == 0, third.stderr
    assert tree(tmp_path / "one") == tree(tmp_path / "three")


def test_a_rebuild_rewrites_only_what_depends_on_the_change(examples: Project) -> None:
    add_hostile(examples)
    out = examples.root / "_site"
    site.build(examples, out=out, today=TODAY)
    cold = tree(out)

    again = site.build(examples, out=out, today=TODAY)
    assert (again.rendered, again.written, again.removed) == (0, (), ())

    path = examples.postmortem_dir / "2016" / f"{HOSTILE_ID}.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    changed = site.build(examples, out=out, today=TODAY)
    assert changed.rendered == 1
    assert f"pm/{HOSTILE_ID}.html" in changed.written
    assert f"pm/{EN_ID}.html" not in changed.written
    assert f"pm/{JA_ID}.html" not in changed.written
    assert "index.html" not in changed.written  # nothing it shows changed
    assert all(name.startswith(("pm/", "search/")) for name in changed.written)

    # A title change reaches the pages that show it: the related one and the catalogue.
    english = examples.postmortem_dir / "2015" / f"{EN_ID}.md"
    english.write_text(
        english.read_text(encoding="utf-8").replace(
            "title: Shakespeare Sonnet++ postmortem", "title: Sonnet++ postmortem"
        ),
        encoding="utf-8",
    )
    retitled = site.build(examples, out=out, today=TODAY)
    assert {f"pm/{EN_ID}.html", f"pm/{JA_ID}.html", "catalogue.html"} <= set(retitled.written)
    assert f"pm/{HOSTILE_ID}.html" not in retitled.written

    path.unlink()
    removed = site.build(examples, out=out, today=TODAY)
    assert f"pm/{HOSTILE_ID}.html" in removed.removed
    assert not (out / "pm" / f"{HOSTILE_ID}.html").exists()
    assert cold.keys() - tree(out).keys() >= {f"pm/{HOSTILE_ID}.html"}


def test_a_build_without_the_last_ones_state_removes_what_it_wrote_of_postmortems_gone(
    examples: Project,
) -> None:
    """The state of the last build is stale once pmctl.toml changes (or pmctl, or the clone
    is new): the page and search entry of a postmortem deleted then stayed published."""
    hostile = add_hostile(examples)
    out = examples.root / "_site"
    site.build(examples, out=out, today=TODAY)
    (out / "CNAME").write_text("postmortems.example.com\n", encoding="utf-8")
    (out / "mine").mkdir()
    (out / "mine" / "notes.html").write_text("kept", encoding="utf-8")
    hostile.unlink()
    config = examples.root / "pmctl.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "required_approvals = 1", "required_approvals = 2"
        ),
        encoding="utf-8",
    )
    changed = load_project(examples.root)
    assert changed.settings != examples.settings

    result = site.build(changed, out=out, today=TODAY)
    assert result.rendered == 2  # (a cold build)
    assert f"pm/{HOSTILE_ID}.html" in result.removed
    files = tree(out)
    assert f"pm/{HOSTILE_ID}.html" not in files
    assert not [name for name, data in files.items() if HOSTILE_ID.encode() in data]
    assert files["CNAME"] == b"postmortems.example.com\n"
    assert files["mine/notes.html"] == b"kept"
    assert broken_links(out) == []


def test_a_lost_output_file_is_written_again(examples: Project) -> None:
    out = examples.root / "_site"
    site.build(examples, out=out, today=TODAY)
    (out / "pm" / f"{EN_ID}.html").unlink()
    result = site.build(examples, out=out, today=TODAY)
    assert result.written == (f"pm/{EN_ID}.html",)


def test_a_directory_that_pmctl_did_not_make_is_refused(examples: Project, tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "thesis.tex").write_text("precious\n", encoding="utf-8")
    with pytest.raises(UsageError, match="not made by"):
        site.build(examples, out=mine, today=TODAY)
    with pytest.raises(UsageError, match="cannot hold the site"):
        site.build(examples, out=examples.root, today=TODAY)
    with pytest.raises(UsageError, match="cannot hold the site"):
        site.build(examples, out=examples.postmortem_dir / "site", today=TODAY)
    assert [p.name for p in mine.iterdir()] == ["thesis.tex"]


def test_the_git_directory_cannot_hold_the_site(examples: Project) -> None:
    """`--out .git/site` was taken: a site built into git's own directory, where nothing
    publishes it and `git gc` or a fresh clone loses it."""
    with pytest.raises(UsageError, match="git directory"):
        site.build(examples, out=(examples.root / ".git" / "site").resolve(), today=TODAY)
    refused = run_cli(examples.root, "site", "build", "--out", ".git/site")
    assert refused.returncode == 2, refused.stderr
    assert not (examples.root / ".git" / "site").exists()


def test_a_read_only_checkout_is_told_it_can_build_elsewhere(examples: Project) -> None:
    """On a checkout mounted read-only, `site build` (into `_site` there) was exit 10 with
    a hint to lift the refusal, not that `--out` builds it where one may write."""
    refused = run_read_only(examples.root, examples.root, "site", "build")
    assert refused.returncode == 10, refused.stderr
    assert "or build the site where you may write, with --out DIR" in refused.stderr


def test_the_page_to_open_is_quoted_for_the_shell(examples: Project) -> None:
    """ "open /tmp/my site/index.html" was printed as it is: pasted into a shell, it opened
    two files that do not exist."""
    built = run_cli(examples.root, "site", "build", "--out", "my site #1")
    assert built.returncode == 0, built.stderr
    assert f"open '{examples.root / 'my site #1' / 'index.html'}'" in built.stdout + built.stderr


def test_the_statistics_charts_have_a_point_per_month_and_series(examples: Project) -> None:
    add_hostile(examples)  # 2015-10 and 2016-02: five months, gaps included
    out = examples.root / "_site"
    site.build(examples, out=out, today=TODAY)
    page = (out / "stats.html").read_text(encoding="utf-8")
    charts = dict(re.findall(r'<div data-chart="(\w+)">(.*?)</div>', page, re.DOTALL))
    months = 5
    assert charts["per_month"].count('class="point') == months * 1  # one severity: SEV1
    assert charts["actions"].count('class="point') == months * 3  # done, open, wontfix
    # A line has a point only where a month has a value: two months have postmortems.
    assert charts["times"].count('class="point') == 2 * 2
    assert 'data-label="2015-11"' in charts["per_month"]


def test_site_labels_follow_the_configured_language(examples: Project) -> None:
    config = examples.root / "pmctl.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            'default_language = "en"', 'default_language = "ja"'
        ),
        encoding="utf-8",
    )
    from pmctl.adapters.config_file import load_project

    project = load_project(examples.root)
    assert project.settings.default_language.value == "ja"
    site.build(project, out=examples.root / "_site", today=TODAY)
    home = (examples.root / "_site" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="ja">' in home
    assert "最近のポストモーテム" in home
    # The search page's results say each postmortem's status in the same words as the cards.
    entries = "".join(
        path.read_text(encoding="utf-8")
        for path in (examples.root / "_site" / "search").glob("*-docs.js")
    )
    assert entries.count('"レビュー済み"') == 2
    assert '"reviewed"' not in entries


def test_a_bare_draft_is_not_featured_for_its_severity_alone(repo: Project) -> None:
    """The home page featured a new SEV1 draft that held only the template's guidance, "why:
    high impact (SEV1)"."""
    created = run_cli(
        repo.root, "new", "--title", "Disk full", "--severity", "SEV1", "--owner", "ann",
        "--no-input",
    )  # fmt: skip
    assert created.returncode == 0, created.stderr

    site.build(repo, out=repo.root / "_site", today=TODAY)

    home = (repo.root / "_site" / "index.html").read_text(encoding="utf-8")
    assert "Disk full" in home
    assert 'class="featured"' not in home


def test_a_repository_template_overrides_the_built_in_one(examples: Project) -> None:
    exported = run_cli(examples.root, "template", "export", "site/assets/site.css")
    assert exported.returncode == 0, exported.stderr
    override = examples.root / ".pmctl" / "templates" / "site" / "assets" / "site.css"
    assert "prefers-color-scheme" in override.read_text(encoding="utf-8")
    override.write_text("body { color: rebeccapurple; }\n", encoding="utf-8")
    out = examples.root / "_site"
    site.build(examples, out=out, today=TODAY)
    assert (out / "assets" / "site.css").read_text(encoding="utf-8") == override.read_text(
        encoding="utf-8"
    )


LOOP = "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}"
"""Ten billion turns that write nothing: the output cap never sees them."""


LOOP_CPU_SECONDS = 0.2
"""The CPU bound of a build's renders when a template loops: pmctl's is 2 s; this stops the
loop the same way with less of the suite's CPU spent spinning (in each forked worker)."""


def _override_with_loop(project: Project, name: str, after: str) -> Path:
    exported = run_cli(project.root, "template", "export", f"site/{name}")
    assert exported.returncode == 0, exported.stderr
    override = project.root / ".pmctl" / "templates" / "site" / name
    text = override.read_text(encoding="utf-8")
    assert after in text
    override.write_text(text.replace(after, after + LOOP, 1), "utf-8")
    return override


def test_a_looping_repository_template_ends_the_build_and_leaves_the_site_as_it_was(
    examples: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = examples.root / "_site"
    site.build(examples, out=out, today=TODAY)
    states = next((examples.root / ".git" / "pmctl").glob("site-*"))
    before, state_before = tree(out), tree(states)
    mtimes = {path: path.stat().st_mtime_ns for path in out.rglob("*")}
    # The loop is in the base template: every page and the pages over all postmortems
    # (rendered in a child of their own) loop; forked workers render the pages.
    override = _override_with_loop(examples, "base.html.j2", '<main id="main" tabindex="-1">')
    monkeypatch.setattr(site_pages, "RENDER_CPU_SECONDS", LOOP_CPU_SECONDS)
    monkeypatch.setattr(site, "PARALLEL_FROM", 1)
    started = time.monotonic()
    with pytest.raises(TemplateError) as raised:
        site.build(examples, out=out, today=TODAY)
    assert time.monotonic() - started < 30
    assert raised.value.location == str(override)  # the template that loops, not its child
    assert "CPU time" in raised.value.message
    assert raised.value.exit_code not in (ExitCode.OK, ExitCode.INTERNAL)
    assert tree(out) == before
    assert {path: path.stat().st_mtime_ns for path in out.rglob("*")} == mtimes  # no leftovers
    assert tree(states) == state_before


def test_an_undefined_variable_in_an_extended_template_names_its_file_and_line(
    examples: Project,
) -> None:
    """Named the page template that extends it, without a line (the error is in the base)."""
    exported = run_cli(examples.root, "template", "export", "site/base.html.j2")
    assert exported.returncode == 0, exported.stderr
    override = examples.root / ".pmctl" / "templates" / "site" / "base.html.j2"
    lines = override.read_text(encoding="utf-8").splitlines()
    lines.insert(4, "{{ no_such_variable.attr }}")
    override.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_cli(examples.root, "site", "build")
    assert result.returncode == ExitCode.TEMPLATE, result.stderr
    assert result.stderr.startswith(
        "error: .pmctl/templates/site/base.html.j2:5: template uses an undefined variable: "
        "'no_such_variable' is undefined\n"
    )
    # A first build that failed leaves no `_site/` behind (it left one with its marker).
    assert not (examples.root / "_site").exists()


def test_a_failed_first_build_into_new_nested_directories_removes_them_all(
    examples: Project,
) -> None:
    """`--out build/site/html` made `build/site/html`; the failed build removed `html` and
    left `build/site` behind, empty. A directory that was there before stays."""
    exported = run_cli(examples.root, "template", "export", "site/base.html.j2")
    assert exported.returncode == 0, exported.stderr
    override = examples.root / ".pmctl" / "templates" / "site" / "base.html.j2"
    override.write_text("{{ no_such_variable.attr }}\n", encoding="utf-8")
    (examples.root / "kept").mkdir()

    for out in ("build/site/html", "kept/new/html"):
        result = run_cli(examples.root, "site", "build", "--out", out)
        assert result.returncode == ExitCode.TEMPLATE, result.stderr

    assert not (examples.root / "build").exists()
    assert (examples.root / "kept").is_dir()
    assert not any((examples.root / "kept").iterdir())


def test_a_drafts_guidance_is_neither_searched_nor_shown_on_the_search_page(
    repo: Project,
) -> None:
    """The template's guidance, in comments, was indexed (a search for "underlying
    conditions" found every draft) and shown as the draft's summary."""
    created = run_cli(
        repo.root, "new", "--title", "Disk full", "--severity", "SEV3", "--owner", "ann",
        "--no-input",
    )  # fmt: skip
    assert created.returncode == 0, created.stderr
    out = repo.root / "_site"
    site.build(repo, out=out, today=TODAY)
    written = {path.name: path.read_text(encoding="utf-8") for path in out.glob("search/*.js")}
    assert written
    assert not [name for name, text in written.items() if "underlying" in text]
    assert not [name for name, text in written.items() if "pmctl:guide" in text]


def test_cli_names_a_looping_template_and_exits_with_the_template_code(
    examples: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    override = _override_with_loop(examples, "postmortem.html.j2", "{% block main %}")
    monkeypatch.setattr(site_pages, "RENDER_CPU_SECONDS", LOOP_CPU_SECONDS)
    result = run_cli(examples.root, "site", "build")
    assert result.returncode == ExitCode.TEMPLATE, result.stderr
    assert "postmortem.html.j2" in result.stderr
    assert "CPU time" in result.stderr
    assert "Traceback" not in result.stderr
    assert override.is_file()
    assert not [p for p in (examples.root / "_site").rglob("*") if p.name.endswith(".tmp")]


def test_cli_build_reports_what_it_did(examples: Project) -> None:
    result = run_cli(examples.root, "site", "build", "--out", "public")
    assert result.returncode == 0, result.stderr
    assert "2 postmortems, 2 pages rendered" in result.stdout
    assert (examples.root / "public" / "index.html").is_file()
    assert git(examples.root, "status", "--porcelain", "--", "postmortems") == ""


def test_serve_previews_on_loopback_and_rebuilds_on_change(examples: Project) -> None:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "pmctl", "site", "serve", "--port", str(port)],
        cwd=examples.root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        url = f"http://127.0.0.1:{port}/pm/{EN_ID}.html"
        page = _fetch(url, lambda text: "Shakespeare" in text)
        assert "Root Causes" in page
        english = examples.postmortem_dir / "2015" / f"{EN_ID}.md"
        english.write_text(
            english.read_text(encoding="utf-8").replace("## Trigger", "## Trigger\n\nServed anew."),
            encoding="utf-8",
        )
        assert "Served anew." in _fetch(url, lambda text: "Served anew." in text)
        # A NUL in the path went unanswered, with a traceback on the terminal.
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/index.html%00", timeout=5)
        assert refused.value.code == 404
        assert "Served anew." in _fetch(url, lambda text: True)
    finally:
        server.terminate()
        _, stderr = server.communicate(timeout=10)
    assert "Traceback" not in stderr


def _fetch(url: str, ready: Callable[[str], bool], timeout: float = 30) -> str:
    """The page at `url` once `ready(text)` holds (the server builds and rebuilds first)."""
    deadline = time.monotonic() + timeout
    text = ""
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                text = str(response.read().decode("utf-8"))
            if ready(text):
                return text
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{url} never became ready; last text: {text[:200]!r}")


def test_lists_nested_fifty_thousand_deep_on_one_line_are_text_not_a_crash(
    examples: Project,
) -> None:
    """`- - - … x` (100 KB): the Markdown renderer recursed once per list, on the native
    stack, and the build died of SIGSEGV (exit 139). Run in a process of its own, so that a
    crash fails this test, not the test run."""
    english = examples.postmortem_dir / "2015" / f"{EN_ID}.md"
    text = english.read_text(encoding="utf-8")
    english.write_text(text.replace("## Trigger", "## Trigger\n\n" + "- " * 50_000 + "x", 1))
    result = run_process(examples.root, "site", "build")
    assert result.returncode == 0, result.stderr[-500:]
    page = (examples.root / "_site" / "pm" / f"{EN_ID}.html").read_text(encoding="utf-8")
    assert page.count("<li>") >= 10_000  # nested as deep as `MAX_NESTING`; the rest is text


@pytest.mark.parametrize("port", ["99999", "-1"])
def test_serve_refuses_a_port_that_is_no_port(examples: Project, port: str) -> None:
    """It was exit 70, an OverflowError from bind()."""
    result = run_cli(examples.root, "site", "serve", "--port", port)
    assert result.returncode == ExitCode.USAGE, result.stderr
    assert "Invalid value for '--port' / '-p'" in result.stderr


def test_an_output_directory_that_cannot_be_made_is_a_usage_error(
    examples: Project, tmp_path: Path
) -> None:
    (tmp_path / "a-file").write_text("not a directory\n", encoding="utf-8")
    result = run_cli(examples.root, "site", "build", "--out", str(tmp_path / "a-file" / "site"))
    assert result.returncode == ExitCode.USAGE, result.stderr
    assert "cannot make the site in" in result.stderr
    assert (tmp_path / "a-file").read_text(encoding="utf-8") == "not a directory\n"


def test_an_output_directory_with_too_long_a_name_is_a_usage_error(examples: Project) -> None:
    """A name longer than a file name may be: Path.is_dir raised (exit 70)."""
    result = run_cli(examples.root, "site", "build", "--out", "x" * 300)
    assert result.returncode == ExitCode.USAGE, result.stderr
    assert "cannot make the site in" in result.stderr
    assert "File name too long" in result.stderr


def test_a_postmortem_dated_after_today_does_not_push_the_charts_months_out() -> None:
    """One typo (2062 for 2026, which PM303 warns of) drew the charts over 2060-12..2062-11,
    every month empty but the typo's, and none of the real ones."""
    from pmctl.domain.config import Settings
    from pmctl.domain.model import Postmortem
    from pmctl.domain.site.statistics import site_statistics

    def dated(day: str) -> Postmortem:
        return Postmortem.model_validate(
            {"schema": 1, "id": f"{day}-outage", "title": "Outage", "severity": "SEV2"}
            | {"owner": "alice", "created": day}
        )

    models = [dated("2026-09-30"), dated("2026-11-02"), dated("2062-11-20")]
    statistics = site_statistics(models, [], settings=Settings(), today=TODAY)
    assert statistics.months == ("2026-09", "2026-10", "2026-11")
    assert statistics.overall.postmortems == 3
