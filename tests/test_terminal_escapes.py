"""No command writes a control character from a postmortem as it is: a title, an owner, an
action item or a sentence of the body holding an escape sequence (`ESC ] 0 ; ... BEL` retitles
the terminal, `ESC [ 2 J` clears it, `0x9b` is an 8-bit CSI) is shown spelled out (`\\x1b`).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pmctl.domain.project import Project
from tests.conftest import git, run_cli
from tests.site_corpus import EN_ID, EXAMPLES, commit_postmortems

ESCAPES = "\x1b]0;PWNED\x07\x1b[2J\x9b31m"
OSC = "\x1b]0;PWNED\x07"
RAW = ("\x1b", "\x07", "\x9b")
COPIES = ("2015-10-21-shakespeare-sonnet", "2015-11-02-shakespeare-rerun", "2015-12-07-third")
TODAY = "2016-06-01"


def _hostile(postmortem_id: str) -> str:
    """The English example with escape sequences in its title, an action item's title and
    owner, and its body (each given in YAML's double-quoted escapes, as a file would)."""
    text = (EXAMPLES / "2015" / f"{EN_ID}.md").read_text(encoding="utf-8")
    spelled = ESCAPES.encode("unicode_escape").decode("ascii")
    front, body = text.split("\n---\n", 1)
    front = front.replace(f"id: {EN_ID}", f"id: {postmortem_id}")
    front = front.replace(
        "title: Shakespeare Sonnet++ postmortem (incident 465)",
        f'title: "Sonnet{spelled} outage"',
    )
    front = front.replace("related: [2015-10-21-shakespeare-sonnet-ja]", "related: []")
    front = front.replace(
        "    title: Update the playbook", f'    title: "Playbook{spelled}" # Update the playbook'
    )
    front = front.replace("    owner: martym", f'    owner: "marty{spelled}"', 1)
    body = body.replace("## Lessons learned", f"## Lessons learned\n\nRetry storm{ESCAPES} seen.")
    return front + "\n---\n" + body


@pytest.fixture
def hostile(repo: Project) -> Project:
    commit_postmortems(
        repo, {i: _hostile(i) for i in COPIES}, "add postmortems with escape sequences"
    )
    return repo


@pytest.mark.parametrize(
    "command",
    [
        ["reading-club"],
        ["reading-club", "--format", "markdown"],
        ["trends", "--since", "2015-01-01"],
        ["trends", "--since", "2015-01-01", "--format", "markdown"],
        ["list"],
        ["show", COPIES[0]],
        ["status", COPIES[0]],
        ["action", "list", COPIES[0]],
        ["report", "--status", "all"],
        ["report", "--format", "markdown"],
        ["search", "storm"],
        ["related", COPIES[0]],
        ["drill", COPIES[0]],
        ["review", COPIES[0]],
    ],
    ids=" ".join,
)
def test_no_command_writes_a_documents_escape_sequences_raw(
    hostile: Project, command: list[str]
) -> None:
    result = run_cli(hostile.root, "--today", TODAY, *command)

    assert result.returncode in (0, 1), result.stderr
    shown = result.stdout + result.stderr
    assert "PWNED" in shown, "the command should show the hostile field"
    assert not [raw for raw in RAW if raw in shown], shown


@pytest.mark.parametrize(
    "command",
    [
        ["search", "storm", "--format", "json"],
        ["related", COPIES[0], "--format", "json"],
        ["reading-club", "--format", "json"],
        ["trends", "--since", "2015-01-01", "--format", "json"],
    ],
    ids=" ".join,
)
def test_json_writes_c1_and_bidi_controls_as_escapes_that_read_back_the_same(
    hostile: Project, command: list[str]
) -> None:
    """JSON escapes C0 itself; `ensure_ascii=False` left `\\x9b` (a terminal's CSI) raw. (The
    streamed data of `report`, `list` and `export`, for programs, is as JSON writes it.)"""
    import json

    result = run_cli(hostile.root, "--today", TODAY, *command)

    assert result.returncode == 0, result.stderr
    assert "PWNED" in result.stdout
    assert "\x9b" not in result.stdout
    assert "\\u009b" in result.stdout
    assert any(ESCAPES in text for text in _strings(json.loads(result.stdout)))


def _strings(value: object) -> list[str]:
    """Every string in a JSON value, keys and values."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [*value, *(text for item in value.values() for text in _strings(item))]
    if isinstance(value, list):
        return [text for item in value for text in _strings(item)]
    return []


def test_import_shows_what_it_read_from_a_hostile_file_spelled_out(
    repo: Project, tmp_path: Path
) -> None:
    """click strips CSI sequences from what it echoes to a pipe, but on a terminal it
    writes them, and an OSC (`ESC ] 0 ; ... BEL`) even to a pipe."""
    source = tmp_path / "legacy"
    source.mkdir()
    spelled = ESCAPES.encode("unicode_escape").decode("ascii")
    (source / f"2024-01-02-out{OSC}age.md").write_text(
        f'---\ntitle: "Out{spelled}age"\nseverity: SEV2\ndate: 2024-01-02\nowner: bob\n'
        f'"weird{spelled}": 1\n---\n\n# Outage\n\n## Summary\n\nText.\n\n'
        f"## Odd {ESCAPES} heading\n\nx\n",
        encoding="utf-8",
    )
    result = run_cli(repo.root, "import", str(source), "--dry-run")

    assert result.returncode == 0, result.stderr
    assert result.stdout.count("PWNED") == 4  # the file's name, its title, a key, a heading
    assert not [raw for raw in RAW if raw in result.stdout + result.stderr], result.stdout


def test_migrate_shows_a_hostile_directory_name_spelled_out(repo: Project) -> None:
    from tests.sample_postmortems import GOOD

    path = repo.postmortem_dir / f"2026{OSC}" / "2026-11-20-checkout-latency.md"
    path.parent.mkdir(parents=True)
    path.write_text(GOOD.replace("schema: 2\n", "schema: 1\n"), encoding="utf-8")
    git(repo.root, "add", "--all")
    git(repo.root, "commit", "--quiet", "-m", "a v1 postmortem")

    result = run_cli(repo.root, "migrate", "--dry-run")

    assert result.returncode == 0, result.stderr
    assert "PWNED" in result.stdout
    assert not [raw for raw in RAW if raw in result.stdout + result.stderr], result.stdout
