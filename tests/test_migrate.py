"""`pmctl migrate`: every v1 postmortem becomes v2 by a one-line surgical edit, in one commit;
lint warns about v1 until then; reading v1 keeps working."""

from __future__ import annotations

from pathlib import Path

import pytest

from pmctl.adapters import documents
from pmctl.domain.migration import upgrade
from pmctl.domain.project import Project
from pmctl.errors import ExitCode, GitError
from pmctl.services.migrate import migrate
from tests.conftest import git, run_cli
from tests.sample_postmortems import GOOD, rules

V1 = GOOD.replace("schema: 2\n", "schema: 1  # the version we started with\n").replace(
    "authors: [alice, bob]", "authors: [alice,  'bob']"
)


def write(project: Project, name: str, text: str, *, crlf: bool = False) -> Path:
    path = project.postmortem_dir / "2026" / f"{name}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    text = text.replace("2026-11-20-checkout-latency", name)
    path.write_bytes((text.replace("\n", "\r\n") if crlf else text).encode("utf-8"))
    return path


@pytest.fixture
def v1_repo(repo: Project) -> Project:
    write(repo, "2026-11-20-checkout-latency", V1)
    write(repo, "2026-11-21-search", V1, crlf=True)
    write(repo, "2026-11-22-current", GOOD)
    git(repo.root, "add", "--all")
    git(repo.root, "commit", "--quiet", "-m", "postmortems")
    return repo


def test_a_v1_document_reads_and_lint_warns_with_the_hint() -> None:
    assert rules(V1) == ["PM025"]
    assert documents.load_text(Path("x.md"), V1)[1].schema_version == 1


def test_v1_cannot_use_the_fields_of_v2() -> None:
    text = V1.replace("shared_with: []\n", "shared_with: []\ndurations:\n  detect_minutes: 5\n")
    assert rules(text) == ["PM020"]
    assert rules(text.replace("schema: 1", "schema: 2")) == []


def test_the_upgrade_changes_the_schema_line_and_nothing_else() -> None:
    upgraded = upgrade(V1, 1)
    assert upgraded == V1.replace("schema: 1  #", "schema: 2  #")


def test_migrate_upgrades_every_v1_document_in_one_commit(v1_repo: Project) -> None:
    head = git(v1_repo.root, "rev-parse", "HEAD").strip()
    result = migrate(v1_repo)
    assert [item.path for item in result.upgraded] == [
        "postmortems/2026/2026-11-20-checkout-latency.md",
        "postmortems/2026/2026-11-21-search.md",
    ]
    assert result.current == 1
    assert git(v1_repo.root, "rev-list", "--count", f"{head}..HEAD").strip() == "1"
    message = git(v1_repo.root, "log", "-1", "--format=%B")
    assert message.startswith("docs(postmortem): migrate 2 postmortems to schema 2")
    assert "Pmctl-Migrate: 1->2" in message
    diff = git(v1_repo.root, "show", "--format=", "--unified=0", "HEAD")
    changed = [line for line in diff.splitlines() if line[:1] in "+-" and line[:3] not in "+++---"]
    assert (
        changed
        == [
            "-schema: 1  # the version we started with",
            "+schema: 2  # the version we started with",
        ]
        * 2
    )
    crlf = (v1_repo.postmortem_dir / "2026" / "2026-11-21-search.md").read_bytes()
    assert crlf.count(b"\n") == crlf.count(b"\r\n")
    assert git(v1_repo.root, "status", "--porcelain") == ""
    assert migrate(v1_repo).upgraded == ()


def test_a_dry_run_writes_nothing(v1_repo: Project) -> None:
    before = git(v1_repo.root, "rev-parse", "HEAD")
    result = run_cli(v1_repo.root, "migrate", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "would upgrade 2 postmortems to schema 2 (1 already current)" in result.stdout
    assert git(v1_repo.root, "rev-parse", "HEAD") == before
    assert git(v1_repo.root, "status", "--porcelain") == ""


def test_an_invalid_document_is_listed_and_left_alone(v1_repo: Project) -> None:
    broken = write(v1_repo, "2026-11-23-broken", V1.replace("severity: SEV2\n", ""))
    git(v1_repo.root, "add", "--all")
    git(v1_repo.root, "commit", "--quiet", "-m", "broken")
    result = migrate(v1_repo)
    assert len(result.upgraded) == 2
    (left,) = result.not_migrated
    assert left.location.startswith(str(broken))
    assert "schema: 1" in broken.read_text(encoding="utf-8")


def test_a_document_of_a_newer_schema_says_to_upgrade_pmctl(v1_repo: Project) -> None:
    """It said only "schema: Input should be 1 or 2"."""
    write(v1_repo, "2026-11-23-newer", V1.replace("schema: 1", "schema: 3", 1))
    git(v1_repo.root, "add", "--all")
    git(v1_repo.root, "commit", "--quiet", "-m", "written by a newer pmctl")
    result = run_cli(v1_repo.root, "migrate", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "not migrated: schema: Input should be 1 or 2\n" in result.stderr
    assert "  hint: a newer pmctl wrote it (schema 3; this one reads up to 2)" in result.stderr


@pytest.mark.parametrize("written", ['"1"', "'2'", '" 1"'])
def test_a_quoted_schema_version_says_to_write_the_number(v1_repo: Project, written: str) -> None:
    """It said "schema: Input should be 1 or 2" of a line that reads `schema: "1"`, with the
    hint to run lint, which said the same."""
    write(v1_repo, "2026-11-23-quoted", V1.replace("schema: 1", f"schema: {written}", 1))
    git(v1_repo.root, "add", "--all")
    git(v1_repo.root, "commit", "--quiet", "-m", "quoted")
    number = written.strip("'\" ")
    result = run_cli(v1_repo.root, "migrate", "--dry-run")
    assert "  hint: write the number without quotes: `schema: " + number + "`" in result.stderr
    lint = run_cli(v1_repo.root, "lint", "postmortems/2026/2026-11-23-quoted.md")
    assert "PM020 `schema`: Input should be 1 or 2" in lint.stdout
    assert "hint: write the number without quotes: `schema: " + number + "`" in lint.stdout


def test_uncommitted_edits_of_a_document_refuse_the_migration(v1_repo: Project) -> None:
    path = v1_repo.postmortem_dir / "2026" / "2026-11-21-search.md"
    path.write_bytes(path.read_bytes() + b"\r\nMy own notes.\r\n")
    before = path.read_bytes()
    with pytest.raises(GitError, match="not committed"):
        migrate(v1_repo)
    assert path.read_bytes() == before
    other = v1_repo.postmortem_dir / "2026" / "2026-11-20-checkout-latency.md"
    assert "schema: 1" in other.read_text(encoding="utf-8")


def test_a_refused_commit_puts_every_file_back(v1_repo: Project) -> None:
    hook = v1_repo.root / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\nexit 1\n")
    hook.chmod(0o755)
    paths = sorted(v1_repo.postmortem_dir.rglob("*.md"))
    before = [path.read_bytes() for path in paths]
    result = run_cli(v1_repo.root, "migrate")
    assert result.returncode == ExitCode.GIT
    assert [path.read_bytes() for path in paths] == before
    assert git(v1_repo.root, "status", "--porcelain") == ""


def test_json_output(v1_repo: Project) -> None:
    import json

    result = run_cli(v1_repo.root, "migrate", "--format", "json")
    data = json.loads(result.stdout)
    assert (data["target"], data["current"], len(data["upgraded"])) == (2, 1, 2)
    assert data["commit"] == git(v1_repo.root, "rev-parse", "HEAD").strip()
