"""Nothing is injected into outputs: a field of a postmortem (a title, an owner, a key, a
file name) never reaches a terminal, a CSV, a Markdown report, INDEX.md or a CI log as a
terminal escape, a carriage return or a line of its own (`::warning::` in GitHub Actions);
and a title typed with a line break in it is folded to one line before it is written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pmctl.adapters import documents
from pmctl.domain.project import Project
from tests.conftest import git, run_cli

POISON = "\\e[31mRED\\e]0;owned\\a\\r\\n::warning::injected\\u202e"
"""Written in YAML's double-quoted escapes: CSI, OSC and BEL, a carriage return, a newline
that starts a GitHub workflow command, and a right-to-left override."""
RAW = ("\x1b", "\x07", "\r", "\u202e")
ID = "2026-11-20-poison"
TEXT = f"""---
schema: 1
id: {ID}
title: "Title {POISON}"
status: in-review
severity: "SEV2"
incident: "INC {POISON}"
language: en
owner: "owner {POISON}"
authors: ["author {POISON}"]
created: 2026-11-20
services: ["svc {POISON}"]
tags: ["tag {POISON}"]
shared_with: ["list {POISON}"]
action_items:
  - id: AI-1
    title: "item {POISON}"
    type: mitigate
    owner: "bob {POISON}"
    priority: P1
    status: todo
    due: 2026-11-01
    tracker: "OPS-1 {POISON}"
reviews:
  - reviewer: "rev {POISON}"
    date: 2026-11-21
    verdict: approved
    notes: "note {POISON}"
---
# Title

## Summary

Bob should have checked it.
"""


@pytest.fixture
def poisoned(repo: Project) -> Path:
    path = repo.root / "postmortems" / "2026" / f"{ID}.md"
    path.parent.mkdir(parents=True)
    path.write_text(TEXT, encoding="utf-8")
    # The same fields, as a key of their own and in a file name, make lint speak of them.
    bad = repo.root / "postmortems" / "2026" / "bad \x1b[2J\n::warning::x.md"
    bad.write_text(TEXT.replace("notes:", f'"key {POISON}": 1\n    notes:'), encoding="utf-8")
    git(repo.root, "add", "-A")
    git(repo.root, "commit", "--quiet", "-m", "poison")
    return path


def assert_shown_safely(text: str) -> None:
    """No raw escape, BEL, CR or bidi override; no line that a field started."""
    assert not [char for char in RAW if char in text]
    assert not [line for line in text.split("\n") if line.lstrip().startswith("::warning::")]


QUIET = {"lint", "trends", "reading-club"}
"""Commands whose output, on this one postmortem, shows none of its fields."""


def as_read(text: str, command: tuple[str, ...]) -> str:
    """What a reader sees of `text`: the text of the HTML it renders to, if it is Markdown
    (where a field's backslashes and brackets are escaped to stay text)."""
    if "markdown" not in command and command[0] != "drill":
        return text
    from html import unescape

    from markdown_it_pyrs import MarkdownIt

    return unescape(re.sub("<[^>]*>", "", MarkdownIt("gfm").render(text)))


@pytest.mark.parametrize(
    "command",
    [
        ("list",),
        ("list", "--format", "csv"),
        ("report",),
        ("report", "--format", "markdown"),
        ("report", "--format", "csv"),
        ("report", "--group-by", "owner"),
        ("report", "--group-by", "owner", "--format", "csv"),
        ("action", "list", ID),
        ("status", ID),
        ("show", ID),
        ("review", ID),
        ("review", ID, "--format", "markdown"),
        ("stats",),
        ("stats", "--format", "markdown"),
        ("lint",),
        ("lint", "--format", "junit"),
        ("search", "item"),
        ("related", ID),
        ("trends",),
        ("reading-club",),
        ("drill", ID),
        ("export", "--format", "csv"),
        ("export", "--format", "csv", "--table", "action-items"),
    ],
    ids=" ".join,
)
def test_every_human_output_shows_fields_on_their_own_line_without_escapes(
    repo: Project, poisoned: Path, command: tuple[str, ...]
) -> None:
    result = run_cli(repo.root, *command)
    assert result.returncode in (0, 1), result.stderr
    assert "\\x1b[31mRED" in as_read(result.stdout, command) or command[0] in QUIET
    assert_shown_safely(result.stdout)
    assert_shown_safely(result.stderr)


def test_lint_annotations_keep_each_finding_on_one_line(repo: Project, poisoned: Path) -> None:
    result = run_cli(repo.root, "lint", "--format", "github")
    lines = result.stdout.rstrip("\n").split("\n")
    assert all(line.startswith(("::error file=", "::warning file=")) for line in lines)
    assert any("unknown key `notes`" not in line and "key \\x1b[31mRED" in line for line in lines)
    assert "\x1b" not in result.stdout
    assert "\x07" not in result.stdout


def test_index_md_shows_fields_on_their_own_line_without_escapes(
    repo: Project, poisoned: Path
) -> None:
    result = run_cli(repo.root, "index")
    assert result.returncode == 0, result.stderr
    index = (repo.root / "INDEX.md").read_text(encoding="utf-8")
    shown = "Title \\x1b[31mRED\\x1b]0;owned\\x07\\r\\n::warning::injected\\u202e"
    assert shown in as_read(index, ("index", "markdown"))
    assert_shown_safely(index)


def test_a_title_with_a_line_break_is_folded_before_it_reaches_the_document(
    repo: Project,
) -> None:
    title = "Checkout\nstatus: closed\r\n\x1b[31m"
    result = run_cli(
        repo.root,
        *("new", "--title", title, "--severity", "SEV2", "--owner", "al\nice", "--no-input"),
    )
    assert result.returncode == 0, result.stderr
    path = next((repo.root / "postmortems" / "2026").glob("*.md"))
    document, postmortem = documents.load(path)
    assert postmortem.title == "Checkout status: closed [31m"
    assert postmortem.owner == "al ice"
    assert postmortem.status.value == "draft"
    assert "# Checkout status: closed [31m\n" in document.body
    assert "\nstatus: closed" not in document.body
    assert "\x1b" not in document.text


def test_an_action_item_with_a_line_break_stays_in_its_table_row(repo: Project) -> None:
    new = ("new", "--title", "Disk full", "--severity", "SEV3", "--owner", "a", "--no-input")
    assert run_cli(repo.root, *new).returncode == 0
    postmortem_id = "2026-11-23-disk-full"
    added = run_cli(
        repo.root,
        *("action", "add", postmortem_id, "--title", "Alert\n| AI-9 | forged \x1b[2J"),
        *("--type", "mitigate", "--owner", "bob", "--priority", "P2"),
    )
    assert added.returncode == 0, added.stderr
    text = (repo.root / "postmortems" / "2026" / f"{postmortem_id}.md").read_text("utf-8")
    (row,) = [line for line in text.split("\n") if line.startswith("| AI-1 ")]
    assert "Alert \\| AI-9 \\| forged [2J" in row  # one line, folded as `new` folds a title
    assert "\n| AI-9" not in text
    assert "\x1b" not in text


FORMULA_TEXT = (
    TEXT.replace(f'"Title {POISON}"', '"=HYPERLINK(\\"http://evil.example\\", \\"click\\")"')
    .replace(f'"owner {POISON}"', '"@SUM(1+1)"')
    .replace(f'["svc {POISON}"]', '["+cmd", "db"]')
    .replace(f'"item {POISON}"', '"-2+3"')
)


@pytest.mark.parametrize(
    ("command", "column", "expected"),
    [
        (("list", "--format", "csv"), "title", '\'=HYPERLINK("http://evil.example", "click")'),
        (("list", "--format", "csv"), "owner", "'@SUM(1+1)"),
        (("list", "--format", "csv"), "services", "'+cmd;db"),
        (("report", "--format", "csv"), "title", "'-2+3"),
        (("export", "--format", "csv"), "owner", "'@SUM(1+1)"),
        (("export", "--format", "csv"), "services", "'+cmd;db"),
        (("export", "--format", "csv", "--table", "action-items"), "title", "'-2+3"),
    ],
    ids=lambda value: " ".join(value) if isinstance(value, tuple) else value,
)
def test_a_csv_cell_that_a_spreadsheet_would_run_as_a_formula_is_written_as_text(
    repo: Project, command: tuple[str, ...], column: str, expected: str
) -> None:
    import csv

    path = repo.root / "postmortems" / "2026" / f"{ID}.md"
    path.parent.mkdir(parents=True)
    path.write_text(FORMULA_TEXT, encoding="utf-8")
    result = run_cli(repo.root, *command)
    assert result.returncode in (0, 1), result.stderr
    rows = list(csv.DictReader(result.stdout.splitlines()))
    assert rows, result.stdout
    assert rows[0][column] == expected
    # Numbers and dates are written as they are.
    assert all(not value.startswith("'2") for row in rows for value in row.values())


@pytest.mark.parametrize(
    "locale",
    [{"LC_ALL": "C", "PYTHONUTF8": "0"}, {"PYTHONIOENCODING": "latin-1"}],
    ids=["C locale without UTF-8 mode", "Latin-1 output"],
)
def test_a_locale_that_cannot_encode_pmctls_text_gets_utf_8(
    repo: Project, locale: dict[str, str]
) -> None:
    """`✓` and a Japanese title raised UnicodeEncodeError (exit 70) where the locale's
    encoding could not carry them; a Japanese argument was decoded into surrogates."""
    from tests.conftest import run_process

    made = run_process(
        repo.root,
        *("new", "--title", "障害 テスト", "--severity", "SEV2", "--owner", "田中", "--no-input"),
        env=locale,
    )
    assert made.returncode == 0, made.stderr
    path = repo.root / "postmortems" / "2026" / "2026-11-23-shougai-test.md"
    assert 'title: "障害 テスト"' in path.read_text(encoding="utf-8")
    listed = run_process(repo.root, "list", env=locale)
    assert listed.returncode == 0, listed.stderr
    assert "障害 テスト" in listed.stdout
    checked = run_process(repo.root, "lint", path.name, env=locale)
    assert "internal error" not in checked.stderr


@pytest.mark.parametrize(
    "command", [("lint",), ("export",), ("list", "--format", "json"), ("search", "disk")]
)
def test_a_closed_standard_output_is_written_to_nowhere(
    repo: Project, command: tuple[str, ...]
) -> None:
    """`pmctl lint >&-`: Python's standard output is None, and writing to it was exit 70."""
    import os

    from tests.conftest import run_process

    result = run_process(repo.root, *command, limits=lambda: os.close(1))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


@pytest.mark.parametrize(
    "command",
    [
        ("export", "--table", "action-items"),  # written by pmctl's own lines
        ("stats",),  # rich's tables
        ("--help",),  # Click's help, before any command runs
    ],
)
def test_a_reader_gone_away_ends_pmctl_as_sigpipe_would_silently(
    repo: Project, command: tuple[str, ...]
) -> None:
    """`pmctl export | head -1`: the reader closes the pipe. Click and rich each ended the
    process with exit 1, which is pmctl's "lint failed" (a CI script took a closed pipe for
    a failed check); now 141 (128 + SIGPIPE), as `git log | head -1`, and nothing on stderr."""
    import os
    import subprocess
    import sys

    from tests.site_corpus import add_examples

    add_examples(repo)
    reader, writer = os.pipe()
    os.close(reader)  # gone before pmctl writes anything
    try:
        result = subprocess.run(
            [sys.executable, "-m", "pmctl", *command],
            cwd=repo.root,
            stdout=writer,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
    finally:
        os.close(writer)
    assert (result.returncode, result.stderr) == (141, "")
