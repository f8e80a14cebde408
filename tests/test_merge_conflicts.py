"""A merge conflict left in a postmortem: lint names it (PM016) and no command acts on the file."""

from __future__ import annotations

import subprocess
from pathlib import Path

from pmctl.domain.merge_conflicts import conflict_lines
from pmctl.domain.project import Project
from tests.conftest import git, run_cli

ID = "2026-11-20-checkout-latency"


def _conflicting_merge(root: Path, *, front_matter: bool) -> Path:
    """A postmortem changed on the same line by two branches, merged with a conflict."""
    made = run_cli(
        root, "new", "--title", "Checkout latency", "--severity", "SEV2", "--owner", "ana",
        "--started", "2026-11-20T14:00", "--no-input",
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    path = root / "postmortems" / "2026" / f"{ID}.md"
    old = 'title: "Checkout latency"' if front_matter else "# Checkout latency"
    git(root, "switch", "-q", "-c", "bob")
    path.write_text(path.read_text().replace(old, old.replace("latency", "delay")))
    git(root, "commit", "-qam", "bob's wording")
    git(root, "switch", "-q", "main")
    path.write_text(path.read_text().replace(old, old.replace("latency", "slowness")))
    git(root, "commit", "-qam", "ana's wording")
    merged = subprocess.run(
        ["git", "merge", "-q", "bob"], cwd=root, capture_output=True, text=True, check=False
    )
    assert merged.returncode != 0, "the merge was meant to conflict"
    return path


def test_a_conflict_in_the_body_fails_lint_at_its_first_line(repo: Project) -> None:
    path = _conflicting_merge(repo.root, front_matter=False)
    marker = path.read_text().split("\n").index("<<<<<<< HEAD") + 1

    result = run_cli(repo.root, "lint", str(path))

    assert result.returncode == 1
    assert f"{marker}:1  error   PM016 unresolved merge conflict" in result.stdout
    assert "delete the `<<<<<<<`, `=======` and `>>>>>>>` lines" in result.stdout


def test_a_committed_conflict_in_the_front_matter_is_named_not_a_yaml_puzzle(
    repo: Project,
) -> None:
    path = _conflicting_merge(repo.root, front_matter=True)
    git(repo.root, "commit", "-qam", "merge, markers and all", "--no-verify")
    marker = path.read_text().split("\n").index("<<<<<<< HEAD") + 1
    head = git(repo.root, "rev-parse", "HEAD")

    linted = run_cli(repo.root, "lint", str(path))
    moved = run_cli(repo.root, "status", ID, "in-review")

    assert linted.returncode == 1
    assert f"{marker}:1  error   PM016" in linted.stdout
    assert moved.returncode == 6
    assert f"{path.relative_to(repo.root)}:{marker}: unresolved merge conflict" in moved.stderr
    assert "resolve the merge conflict" in moved.stderr
    assert git(repo.root, "rev-parse", "HEAD") == head
    assert git(repo.root, "status", "--porcelain") == ""


def test_each_conflict_is_counted_once_and_a_lone_closing_marker_too() -> None:
    text = "\n".join(
        [
            "a",
            "<<<<<<< HEAD",
            "ours",
            "||||||| base",
            "base",
            "=======",
            "theirs",
            ">>>>>>> bob",
            "b",
            "=======",  # a Markdown heading underline, not a marker
            ">>>>>>> origin/main",  # its opening line deleted by hand
            "<<<<<<<",
            ">>>>>>>",
            "<<<<<<<< eight is not git's marker",
        ]
    )

    assert conflict_lines(text) == [2, 11, 12]
    assert conflict_lines("# Title\n\nNo conflict here: a << b >> c\n") == []
