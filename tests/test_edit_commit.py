"""`commit_edit`: one careful commit of one file, or nothing at all."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from pmctl.adapters import documents
from pmctl.domain import edit
from pmctl.domain.document import ParsedDocument
from pmctl.domain.model import Language, Postmortem
from pmctl.domain.project import Project
from pmctl.errors import DocumentError, GitError, UsageError
from pmctl.services.mutate import Change, Edit, EditResult, commit_edit
from pmctl.services.new import NewPostmortem, create
from tests.conftest import git

NOW = dt.datetime(2026, 11, 23, 9, 30, tzinfo=dt.UTC)


@pytest.fixture
def postmortem(repo: Project) -> Path:
    request = NewPostmortem(
        title="Checkout latency", severity="SEV2", owner="alice", language=Language.EN
    )
    return create(repo, request, now=NOW, commit=True).path


def set_incident(document: ParsedDocument, model: Postmortem) -> Change[None]:
    text = edit.set_value(document.text, ("incident",), "465")
    return Change(text, f"docs(postmortem): set incident of {model.id}\n", None)


def commit(
    project: Project, path: Path, change: Edit[None] = set_incident, **options: bool
) -> EditResult[None]:
    return commit_edit(project, path, change, today=NOW.date(), purpose="a test", **options)


def snapshot(root: Path) -> tuple[str, str, str]:
    return (
        git(root, "rev-parse", "HEAD"),
        git(root, "status", "--porcelain", "--untracked-files=all"),
        git(root, "diff", "--cached"),
    )


def test_commits_only_the_file_and_leaves_the_users_work_alone(
    repo: Project, postmortem: Path
) -> None:
    staged = repo.root / "staged.txt"
    staged.write_text("staged\n", encoding="utf-8")
    git(repo.root, "add", "staged.txt")
    (repo.root / "pmctl.toml").write_text(
        (repo.root / "pmctl.toml").read_text(encoding="utf-8") + "# mine\n", encoding="utf-8"
    )
    result = commit(repo, postmortem)
    assert result.commit is not None
    assert result.commit.sha == git(repo.root, "rev-parse", "HEAD").strip()
    assert result.before.incident is None
    assert result.after.incident == "465"
    assert git(repo.root, "show", "--name-only", "--format=", "HEAD").split() == [
        postmortem.relative_to(repo.root).as_posix()
    ]
    assert git(repo.root, "status", "--porcelain").splitlines() == [
        " M pmctl.toml",
        "A  staged.txt",
    ]


@pytest.mark.parametrize("staged", [False, True])
def test_refuses_a_file_with_the_users_own_edits(
    repo: Project, postmortem: Path, staged: bool
) -> None:
    postmortem.write_text(postmortem.read_text(encoding="utf-8") + "my edit\n", encoding="utf-8")
    if staged:
        git(repo.root, "add", str(postmortem))
    before = snapshot(repo.root), postmortem.read_bytes()
    with pytest.raises(GitError, match="not committed") as raised:
        commit(repo, postmortem)
    assert raised.value.hint
    assert (snapshot(repo.root), postmortem.read_bytes()) == before


def test_refuses_a_detached_head_and_a_merge_in_progress(repo: Project, postmortem: Path) -> None:
    git(repo.root, "checkout", "--quiet", "--detach")
    with pytest.raises(GitError, match="detached"):
        commit(repo, postmortem)
    git(repo.root, "checkout", "--quiet", "main")

    git(repo.root, "checkout", "--quiet", "-b", "other")
    (repo.root / "conflict.txt").write_text("other\n", encoding="utf-8")
    git(repo.root, "add", "conflict.txt")
    git(repo.root, "commit", "--quiet", "-m", "other")
    git(repo.root, "checkout", "--quiet", "main")
    (repo.root / "conflict.txt").write_text("main\n", encoding="utf-8")
    git(repo.root, "add", "conflict.txt")
    git(repo.root, "commit", "--quiet", "-m", "main")
    import subprocess

    subprocess.run(["git", "merge", "other"], cwd=repo.root, capture_output=True, check=False)
    before = postmortem.read_bytes()
    with pytest.raises(GitError, match="merge"):
        commit(repo, postmortem)
    assert postmortem.read_bytes() == before


def test_an_edit_that_breaks_the_document_writes_nothing(repo: Project, postmortem: Path) -> None:
    before = snapshot(repo.root), postmortem.read_bytes()

    def bad(document: ParsedDocument, model: Postmortem) -> Change[None]:
        return Change(edit.set_value(document.text, ("severity",), None), "broken\n", None)

    with pytest.raises(DocumentError, match="severity"):
        commit(repo, postmortem, bad)
    assert (snapshot(repo.root), postmortem.read_bytes()) == before


def test_a_hook_that_refuses_leaves_the_repository_exactly_as_it_was(
    repo: Project, postmortem: Path
) -> None:
    hook = repo.root / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho 'no commits today' >&2\nexit 1\n", encoding="utf-8")
    hook.chmod(0o755)
    before = snapshot(repo.root), postmortem.read_bytes()
    with pytest.raises(GitError) as raised:
        commit(repo, postmortem)
    assert "hook" in raised.value.hint
    assert (snapshot(repo.root), postmortem.read_bytes()) == before


def test_keeps_crlf_and_bom_and_an_unchanged_edit_commits_nothing(
    repo: Project, postmortem: Path
) -> None:
    text = postmortem.read_text(encoding="utf-8")
    postmortem.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    git(repo.root, "commit", "--quiet", "-am", "crlf")
    head = git(repo.root, "rev-parse", "HEAD")
    unchanged = commit(repo, postmortem, lambda document, model: Change(document.text, "", None))
    assert unchanged.commit is None
    assert git(repo.root, "rev-parse", "HEAD") == head

    commit(repo, postmortem)
    raw = postmortem.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.count(b"\n") == raw.count(b"\r\n")
    # git() reads text, which folds CRLF; the byte counts above prove the endings
    diff = git(repo.root, "diff", "HEAD~1", "--", str(postmortem)).splitlines()
    assert [line for line in diff if line.startswith(("+", "-"))][2:] == ['+incident: "465"']


def test_no_commit_writes_the_file_only(repo: Project, postmortem: Path) -> None:
    head = git(repo.root, "rev-parse", "HEAD")
    result = commit(repo, postmortem, commit=False)
    assert result.commit is None
    assert git(repo.root, "rev-parse", "HEAD") == head
    assert documents.load(postmortem)[1].incident == "465"
    with pytest.raises(UsageError):
        commit(repo, postmortem, commit=False, push=True)


def test_push_to_a_bare_remote_and_a_rejected_push_keeps_the_commit(
    repo: Project, postmortem: Path, tmp_path: Path
) -> None:
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "--quiet", "--bare", str(remote))
    git(repo.root, "remote", "add", "origin", str(remote))
    git(repo.root, "push", "--quiet", "origin", "main")
    pushed = commit(repo, postmortem, push=True)
    assert pushed.commit is not None
    assert git(remote, "rev-parse", "main").strip() == pushed.commit.sha
    assert pushed.commit.pushed_to == "origin (main)"

    clone = tmp_path / "clone"
    git(tmp_path, "clone", "--quiet", str(remote), str(clone))
    (clone / "other.txt").write_text("someone else\n", encoding="utf-8")
    git(clone, "add", "other.txt")
    git(clone, "commit", "--quiet", "-m", "someone else")
    git(clone, "push", "--quiet", "origin", "main")

    def set_tracker(document: ParsedDocument, model: Postmortem) -> Change[None]:
        return Change(edit.set_value(document.text, ("incident",), "466"), "466\n", None)

    with pytest.raises(GitError, match=r"committed .* locally, but pushing") as raised:
        commit(repo, postmortem, set_tracker, push=True)
    assert "pull --rebase" in raised.value.hint
    assert documents.load(postmortem)[1].incident == "466"
    assert "466" in git(repo.root, "show", "HEAD")
    assert git(repo.root, "status", "--porcelain") == ""
