"""Git identity exactly as git resolves it: environment, `-c`, config, `EMAIL`."""

from __future__ import annotations

from pathlib import Path

import pytest

from pmctl.domain.model import Status
from pmctl.domain.project import Project
from pmctl.services import status
from tests.conftest import git, run_cli
from tests.test_status import ID, TODAY, write_postmortem

NEW = ("new", "--title", "Disk full", "--severity", "SEV3", "--owner", "ann", "--no-input")
ADD = ("--title", "Alert on disk usage", "--type", "mitigate", "--owner", "ann", "--priority", "P2")


@pytest.fixture
def no_configured_identity(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A global git config without [user], as on a CI runner."""
    config = tmp_path / "ci.gitconfig"
    config.write_text("[init]\n\tdefaultBranch = main\n", encoding="utf-8")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    for name in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("GIT_COMMITTER_EMAIL", raising=False)
    monkeypatch.delenv("EMAIL", raising=False)
    return config


def authors(root: Path) -> list[str]:
    return git(root, "log", "--format=%an <%ae> / %cn", "-n", "3").splitlines()


def test_identity_only_from_the_environment_works_for_every_command(
    tmp_path: Path, no_configured_identity: Path
) -> None:
    env = {
        "GIT_AUTHOR_NAME": "Ann Owner",
        "GIT_AUTHOR_EMAIL": "ann@example.com",
        "GIT_COMMITTER_NAME": "CI Bot",
        "GIT_COMMITTER_EMAIL": "ci@example.com",
    }
    root = tmp_path / "pm"
    root.mkdir()
    assert run_cli(root, "init", env=env).returncode == 0
    created = run_cli(root, *NEW, env=env)
    assert created.returncode == 0, created.stderr
    postmortem_id = "2026-11-23-disk-full"
    added = run_cli(root, "action", "add", postmortem_id, *ADD, env=env)
    assert added.returncode == 0, added.stderr
    done = run_cli(root, "action", "done", postmortem_id, "AI-1", env=env)
    assert done.returncode == 0, done.stderr
    index = run_cli(root, "index", env=env)
    assert index.returncode == 0, index.stderr
    assert authors(root) == ["Ann Owner <ann@example.com> / CI Bot"] * 3


def test_git_dash_c_settings_and_email_work_like_git_commit(
    tmp_path: Path, no_configured_identity: Path
) -> None:
    root = tmp_path / "pm"
    root.mkdir()
    # What `git -c user.name=... -c user.email=... <alias>` exports to the command it runs.
    dash_c = {
        "GIT_CONFIG_COUNT": "2",
        "GIT_CONFIG_KEY_0": "user.name",
        "GIT_CONFIG_VALUE_0": "Carol Dash",
        "GIT_CONFIG_KEY_1": "user.email",
        "GIT_CONFIG_VALUE_1": "carol@example.com",
    }
    assert run_cli(root, "init", env=dash_c).returncode == 0
    assert authors(root)[0] == "Carol Dash <carol@example.com> / Carol Dash"
    git(root, "config", "user.name", "Dave Email")
    result = run_cli(root, *NEW, env={"EMAIL": "dave@example.com"})
    assert result.returncode == 0, result.stderr
    assert authors(root)[0] == "Dave Email <dave@example.com> / Dave Email"


def test_use_config_only_without_an_identity_is_a_clear_exit_4(
    tmp_path: Path, no_configured_identity: Path
) -> None:
    root = tmp_path / "pm"
    root.mkdir()
    git(tmp_path, "init", "--quiet", str(root))
    git(root, "config", "user.useConfigOnly", "true")
    result = run_cli(root, "init", env={"EMAIL": "ignored@example.com"})
    assert result.returncode == 4
    assert "git does not know who you are" in result.stderr
    assert "GIT_AUTHOR_NAME" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (root / "pmctl.toml").exists()


def test_the_reviewer_is_the_author_git_records_and_is_checked_against_the_authors(
    repo: Project,
) -> None:
    write_postmortem(repo)
    status.move(repo, ID, Status.IN_REVIEW, today=TODAY)
    # The postmortem's author is in user.name; the review is made as Bob.
    git(repo.root, "config", "user.name", "suzuki")
    refused = run_cli(repo.root, "review", ID, "--approve")
    assert refused.returncode == 5
    assert "suzuki is an author" in refused.stderr
    approved = run_cli(
        repo.root,
        *("review", ID, "--approve"),
        env={"GIT_AUTHOR_NAME": "Bob Reviewer", "GIT_AUTHOR_EMAIL": "bob@example.com"},
    )
    assert approved.returncode == 0, approved.stderr
    assert git(repo.root, "log", "-1", "--format=%an").strip() == "Bob Reviewer"
    text = (repo.postmortem_dir / "2026" / f"{ID}.md").read_text(encoding="utf-8")
    assert "reviewer: Bob Reviewer" in text
