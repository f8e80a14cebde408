"""An empty string given for a file or directory is a usage error, not the current
directory (`Path("")` is `.`): a script's unset variable must not import, lint or set up
everything under the working directory."""

from __future__ import annotations

import pytest

from pmctl.domain.project import Project
from tests.conftest import git, run_cli

LEGACY = "# Outage of the API\n\n## Summary\n\nIt broke.\n\n## Impact\n\nUsers.\n"


@pytest.mark.parametrize(
    ("args", "name"),
    [
        (("import", "", "--severity", "SEV3", "--owner", "bob"), "SRC"),
        (("import", "notes", "--map", ""), "--map"),
        (("lint", ""), "PATH"),
        (("init", ""), "DIRECTORY"),
    ],
)
def test_an_empty_path_argument_is_a_usage_error(
    repo: Project, args: tuple[str, ...], name: str
) -> None:
    (repo.root / "notes").mkdir()
    (repo.root / "notes" / "2026-01-02-api.md").write_text(LEGACY, encoding="utf-8")
    git(repo.root, "add", "notes")
    git(repo.root, "commit", "--quiet", "-m", "notes")
    head = git(repo.root, "rev-parse", "HEAD")
    result = run_cli(repo.root, *args)
    assert result.returncode == 2, result.stdout + result.stderr
    assert f"error: {name} is an empty string, which names no file" in result.stderr
    assert git(repo.root, "rev-parse", "HEAD") == head
    assert git(repo.root, "status", "--porcelain") == ""
