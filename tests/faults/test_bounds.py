"""Bounded work on hostile input: lint is linear in the size of a document, a command that
edits a postmortem accepts exactly what lint accepts, and a repository template renders
under a budget.

Work that used to take minutes (or never end) runs in a forked child that is killed after a
generous bound (`within`): a regression fails the test instead of hanging the suite. The
bounds are tens of times what the work takes; the benchmark (`bench/bench_hostile.py`)
measures it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest

from pmctl.adapters import deadline, documents, templates
from pmctl.domain.config import Settings
from pmctl.domain.lint import check_document
from pmctl.domain.project import Project
from tests.conftest import git, run_cli
from tests.faults.helpers import ADD, clean

R = TypeVar("R")
TODAY = dt.date(2026, 11, 23)
HEAD = (
    "---\nschema: 1\nid: 2026-11-23-big\ntitle: Big\nstatus: draft\nseverity: SEV2\n"
    "owner: alice\ncreated: 2026-11-23\n"
)
FIRST_LINE = HEAD.count("\n") + 1
"""File line of the first line after `HEAD`."""
ID = "2026-11-23-checkout-latency"


def within(seconds: float, work: Callable[[], R]) -> R:
    """`work()` in a forked child, killed (and the test failed) after `seconds`."""
    try:
        return deadline.within(seconds, work)
    except deadline.DeadlinePassed:
        pytest.fail(f"not done within {seconds} s: the work is not bounded")


def lint_counts(path: Path) -> tuple[dict[str, int], list[tuple[str, int]]]:
    """Findings of `path` by rule, and (rule, line) of the first three."""
    findings = check_document(documents.read(path), Settings(), today=TODAY)
    return dict(Counter(f.rule for f in findings)), [(f.rule, f.line) for f in findings[:3]]


@pytest.mark.parametrize(
    ("front", "counts", "first"),
    [
        (
            "".join(f"k{i}: {i}\n" for i in range(50_000)),
            {"PM020": 1, "PM021": 1_000},
            ("PM021", FIRST_LINE),
        ),
        (
            "impact:\n" + "".join(f"  k{i}: {i}\n" for i in range(50_000)),
            {"PM020": 1, "PM021": 1_000},
            ("PM021", FIRST_LINE + 1),
        ),
        (
            "action_items:\n" + "".join(f"  - id: AI-{i}\n    x: 1\n" for i in range(25_000)),
            {"PM020": 1, "PM021": 500, "PM022": 500},
            ("PM022", FIRST_LINE + 1),
        ),
        (
            "tags:\n" + "".join(f"  - t{i}: x\n" for i in range(50_000)),
            {"PM020": 1_001},
            ("PM020", FIRST_LINE + 1),
        ),
    ],
    ids=[
        "50,000 unknown keys",
        "50,000 unknown nested keys",
        "25,000 bad items",
        "50,000 bad tags",
    ],
)
def test_lint_lists_the_first_thousand_schema_problems_and_counts_the_rest(
    tmp_path: Path, front: str, counts: dict[str, int], first: tuple[str, int]
) -> None:
    path = tmp_path / "2026-11-23-big.md"
    path.write_text(HEAD + front + "---\n# Big\n", encoding="utf-8")
    assert path.stat().st_size < documents.MAX_BYTES
    found, firsts = within(30, lambda: lint_counts(path))
    assert {rule: n for rule, n in found.items() if rule.startswith("PM02")} == counts
    assert firsts[0] == ("PM020", 2)  # the count of them all, at the front matter's start
    assert firsts[1] == first


@pytest.mark.parametrize(
    ("body", "rule", "count"),
    [
        ("## Root Causes\n\n" + "Bob should have checked; his fault.\n" * 27_000, "PM401", 27_000),
        ("## Summary\n\n" + "<!-- pmctl-disable PM401 -->\nshould have\n" * 24_000, "PM401", 0),
    ],
    ids=["27,000 counterfactuals", "24,000 disable comments"],
)
def test_lint_of_a_dense_megabyte_body_is_linear(
    tmp_path: Path, body: str, rule: str, count: int
) -> None:
    path = tmp_path / "2026-11-23-big.md"
    path.write_text(HEAD + "---\n# Big\n\n" + body, encoding="utf-8")
    assert path.stat().st_size < documents.MAX_BYTES
    counts, _ = within(30, lambda: lint_counts(path))
    assert counts.get(rule, 0) == count


def make_huge(path: Path, megabytes: int) -> None:
    filler = "filler line of a pasted log\n" * (megabytes * 40_000)
    path.write_text(path.read_text(encoding="utf-8") + filler, encoding="utf-8")


def test_a_5_mb_postmortem_gets_its_finding_unread(repo: Project, postmortem: Path) -> None:
    make_huge(postmortem, 5)
    result = run_cli(repo.root, "lint", str(postmortem))
    assert result.returncode == 1
    assert "PM001" in result.stdout
    assert "postmortems are limited to 1,000,000" in result.stdout


def test_a_file_that_never_ends_is_read_up_to_the_limit() -> None:
    """`pmctl lint /dev/zero` read until memory ran out: the read stops past the limit."""
    codes = within(
        20, lambda: [problem.code for problem in documents.read(Path("/dev/zero")).problems]
    )
    assert codes == ["too-large"]


@pytest.mark.parametrize(
    "command",
    [("action", "add", ID, *ADD), ("status", ID, "in-review"), ("review", ID, "--approve")],
    ids=["action add", "status", "review"],
)
def test_a_postmortem_lint_rejects_as_too_large_is_refused_by_every_edit(
    repo: Project, postmortem: Path, command: tuple[str, ...]
) -> None:
    make_huge(postmortem, 5)
    git(repo.root, "commit", "--quiet", "-am", "paste a log")
    before = postmortem.read_bytes(), git(repo.root, "rev-parse", "HEAD")
    result = run_cli(repo.root, *command)
    assert result.returncode == 6, result.stderr
    assert "postmortems are limited to 1,000,000" in result.stderr
    assert (postmortem.read_bytes(), git(repo.root, "rev-parse", "HEAD")) == before
    assert clean(repo.root)


def test_an_edit_that_would_take_a_postmortem_over_the_limit_is_refused(
    repo: Project, postmortem: Path
) -> None:
    text = postmortem.read_text(encoding="utf-8")
    room = documents.MAX_BYTES - len(text.encode("utf-8")) - 100
    postmortem.write_text(text + "x" * room + "\n", encoding="utf-8")
    git(repo.root, "commit", "--quiet", "-am", "nearly full")
    before = postmortem.read_bytes(), git(repo.root, "rev-parse", "HEAD")
    result = run_cli(repo.root, "action", "add", ID, *ADD)
    assert result.returncode == 6, result.stderr
    assert "postmortems are limited to 1,000,000" in result.stderr
    assert (postmortem.read_bytes(), git(repo.root, "rev-parse", "HEAD")) == before


@pytest.mark.parametrize(
    "command",
    [("status", ID, "in-review"), ("action", "add", ID, *ADD), ("review", ID, "--approve")],
    ids=["status", "action add", "review"],
)
def test_two_files_with_one_id_are_named_and_neither_is_changed(
    repo: Project, postmortem: Path, command: tuple[str, ...]
) -> None:
    copy = repo.root / "postmortems" / "archive" / postmortem.name
    copy.parent.mkdir()
    copy.write_bytes(postmortem.read_bytes())
    git(repo.root, "add", "-A")
    git(repo.root, "commit", "--quiet", "-m", "an archived copy")
    head = git(repo.root, "rev-parse", "HEAD")
    result = run_cli(repo.root, *command)
    assert result.returncode == 6, result.stderr
    assert f"2 files have the id '{ID}'" in result.stderr
    assert "postmortems/2026/" in result.stderr
    assert "postmortems/archive/" in result.stderr
    assert git(repo.root, "rev-parse", "HEAD") == head
    assert postmortem.read_bytes() == copy.read_bytes()


MEMORY = ("needed more than 256 MB of memory while rendering",)
CPU_SECONDS = 0.25
"""The CPU bound of a template render in these tests: pmctl's is 1 s (`templates.CPU_SECONDS`);
a quarter of it stops a loop the same way and spends 1.5 fewer CPU-s of the suite spinning."""
TIME = (
    f"used more than {CPU_SECONDS:g} s of CPU time while rendering",
    # On a machine so busy that the child gets less than a third of a CPU:
    "did not finish rendering within 3 s",
)
HOSTILE_TEMPLATES = [
    ("{{ 'x' * 10**9 }}", MEMORY),
    ("{{ '%0999999999d'|format(1) }}", MEMORY),
    ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}", TIME),
    (
        "{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}{{ f(60) }}",
        TIME,
    ),
    (
        "{% for i in range(100000) %}{{ 'x' * 100 }}{% endfor %}",
        ("produced more than 1,000,000 characters",),
    ),
]


@pytest.mark.parametrize(
    ("tail", "messages"),
    HOSTILE_TEMPLATES,
    ids=["a gigabyte string", "a gigabyte format", "10^10 loop turns", "2^60 calls", "10 MB out"],
)
def test_a_hostile_repository_template_is_stopped_with_exit_7(
    repo: Project, tail: str, messages: tuple[str, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(templates, "CPU_SECONDS", CPU_SECONDS)
    exported = run_cli(repo.root, "template", "export")
    assert exported.returncode == 0, exported.stderr
    template = repo.root / ".pmctl" / "templates" / "en" / "postmortem.md.j2"
    template.write_text(template.read_text(encoding="utf-8") + tail + "\n", encoding="utf-8")
    new = ("new", "--title", "Disk full", "--severity", "SEV3", "--owner", "a", "--no-input")

    def run() -> tuple[int, str]:
        result = run_cli(repo.root, *new)
        return result.returncode, result.stderr

    code, stderr = within(20, run)
    assert code == 7, stderr
    place = ".pmctl/templates/en/postmortem.md.j2: template"
    assert any(f"{place} {message}" in stderr for message in messages), stderr
    assert not (repo.root / "postmortems" / "2026").exists()


def test_a_template_that_links_out_of_the_repository_is_not_read(
    repo: Project, tmp_path: Path
) -> None:
    secret = tmp_path / "id_rsa"
    secret.write_text("PRIVATE KEY\n", encoding="utf-8")
    run_cli(repo.root, "template", "export")
    template = repo.root / ".pmctl" / "templates" / "en" / "postmortem.md.j2"
    (template.parent / "notes.j2").symlink_to(secret)
    text = template.read_text(encoding="utf-8") + "{% include 'en/notes.j2' %}\n"
    template.write_text(text, encoding="utf-8")
    result = run_cli(repo.root, "new", "--title", "T", "--severity", "SEV3", "--owner", "a")
    assert result.returncode == 7, result.stderr
    assert f"leads to {secret}, outside the repository" in result.stderr
    assert "PRIVATE KEY" not in result.stdout + result.stderr
    assert not (repo.root / "postmortems" / "2026").exists()
