"""`pmctl init` in empty directories and existing repositories."""

import re
import subprocess
from pathlib import Path

import pytest

from pmctl.adapters.config_file import read_settings
from pmctl.domain.config import DEFAULT_CRITERIA, FieldMap
from pmctl.domain.model import Language
from pmctl.errors import ConfigError, GitError
from pmctl.services.init import initialise
from tests.conftest import git, run_cli


def committed_files(root: Path) -> list[str]:
    return sorted(git(root, "show", "--name-only", "--format=", "HEAD").split())


def test_init_in_an_empty_directory_runs_git_init_and_commits_its_files(tmp_path: Path) -> None:
    result = initialise(tmp_path, language=Language.JA, force=False, commit=True)
    assert result.created_git
    assert committed_files(tmp_path) == [
        ".gitignore",
        ".pre-commit-config.yaml",
        "pmctl.toml",
        "postmortems/.gitkeep",
    ]
    settings = read_settings(tmp_path / "pmctl.toml")
    assert settings.default_language is Language.JA
    assert "pmctl lint" in (tmp_path / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    assert git(tmp_path, "status", "--porcelain") == ""


def test_init_in_japanese_describes_the_criteria_in_japanese(tmp_path: Path) -> None:
    """They were written in English, and every new Japanese postmortem listed them so above
    `criteria:`."""
    initialise(tmp_path, language=Language.JA, force=False, commit=True)
    settings = read_settings(tmp_path / "pmctl.toml")
    assert list(settings.criteria) == list(DEFAULT_CRITERIA)
    assert settings.criteria["data-loss"] == "種類を問わないデータの損失"
    assert all(not description.isascii() for description in settings.criteria.values())


def test_init_names_markdown_in_postmortems_that_lint_would_fail_on(tmp_path: Path) -> None:
    """A postmortems/ of the team's own Markdown (a README, postmortems from before pmctl)
    was set up without a word; the first `pmctl lint` then failed on every file (PM006)."""
    postmortems = tmp_path / "postmortems"
    (postmortems / "2019").mkdir(parents=True)
    (postmortems / "README.md").write_text("# Our postmortems\n", encoding="utf-8")
    (postmortems / "2019" / "db.md").write_text("Title: DB failover\n", encoding="utf-8")
    (postmortems / "2019" / "ok.md").write_bytes(b"\xef\xbb\xbf---\nid: x\n---\n")
    result = run_cli(tmp_path, "init")
    assert result.returncode == 0, result.stderr
    assert (
        "warning: postmortems/ already holds 2 Markdown files without front matter: "
        "postmortems/2019/db.md, postmortems/README.md; lint reads them as postmortems, and "
        "fails\nconvert postmortems written before pmctl with `pmctl import`; move other files "
        "out of postmortems/\n"
    ) in result.stderr
    fresh = run_cli(tmp_path, "init", "fresh")
    assert "without front matter" not in fresh.stderr


def test_init_in_an_existing_repository_commits_only_its_own_files(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q")
    (tmp_path / "notes.txt").write_text("mine\n", encoding="utf-8")
    (tmp_path / "staged.txt").write_text("staged\n", encoding="utf-8")
    git(tmp_path, "add", "staged.txt")
    result = initialise(tmp_path, language=Language.EN, force=False, commit=True)
    assert not result.created_git
    assert "staged.txt" not in committed_files(tmp_path)
    status = git(tmp_path, "status", "--porcelain")
    assert "A  staged.txt" in status
    assert "?? notes.txt" in status


def test_init_refuses_to_overwrite_a_config_unless_forced(tmp_path: Path) -> None:
    initialise(tmp_path, language=Language.EN, force=False, commit=True)
    (tmp_path / "pmctl.toml").write_text('remote = "mine"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        initialise(tmp_path, language=Language.EN, force=False, commit=False)
    assert "--force" in raised.value.hint
    assert read_settings(tmp_path / "pmctl.toml").remote == "mine"
    initialise(tmp_path, language=Language.EN, force=True, commit=False)
    assert read_settings(tmp_path / "pmctl.toml").remote == "origin"


def test_init_forced_again_with_nothing_to_change_commits_nothing(tmp_path: Path) -> None:
    initialise(tmp_path, language=Language.EN, force=False, commit=True)
    head = git(tmp_path, "rev-parse", "HEAD")
    result = initialise(tmp_path, language=Language.EN, force=True, commit=True)
    assert (result.written, result.commit) == ((), None)
    assert result.pre_commit_hook is None  # (its own hook is there: nothing to add)
    assert git(tmp_path, "rev-parse", "HEAD") == head
    assert git(tmp_path, "status", "--porcelain") == ""


def test_init_forced_over_an_uncommitted_edit_of_the_defaults_keeps_the_edit(
    tmp_path: Path,
) -> None:
    initialise(tmp_path, language=Language.EN, force=False, commit=True)
    config = tmp_path / "pmctl.toml"
    edited = config.read_text(encoding="utf-8") + "# mine\n"
    config.write_text(edited, encoding="utf-8")
    with pytest.raises(GitError) as raised:
        initialise(tmp_path, language=Language.EN, force=True, commit=True)
    assert "nothing to commit: HEAD already holds the files" in raised.value.message
    assert config.read_text(encoding="utf-8") == edited


def test_an_existing_pre_commit_config_is_left_alone(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q")
    (tmp_path / ".pre-commit-config.yaml").write_text("repos: []\n", encoding="utf-8")
    result = initialise(tmp_path, language=Language.EN, force=False, commit=True)
    assert (tmp_path / ".pre-commit-config.yaml").read_text(encoding="utf-8") == "repos: []\n"
    assert result.pre_commit_hook is not None
    assert result.pre_commit_hook.splitlines() == [
        "  - repo: local",
        "    hooks:",
        "      - id: pmctl-lint",
        "        name: pmctl lint",
        "        entry: pmctl lint --hook",
        "        language: system",
        "        files: ^postmortems/.*\\.md$",
    ]


def test_init_prints_the_hook_to_add_to_an_existing_pre_commit_config(tmp_path: Path) -> None:
    """It said "add the pmctl hook to it (see docs/getting-started.md)"."""
    git(tmp_path, "init", "-q")
    (tmp_path / ".pre-commit-config.yaml").write_text("repos: []\n", encoding="utf-8")
    result = run_cli(tmp_path, "init")
    assert result.returncode == 0, result.stderr
    assert (
        "add pmctl's hook under its `repos:`:\n  - repo: local\n    hooks:\n"
        "      - id: pmctl-lint\n" in result.stderr
    )


def test_without_a_git_identity_nothing_is_left_behind(
    tmp_path: Path, isolated_git: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    isolated_git.write_text("[init]\n\tdefaultBranch = main\n", encoding="utf-8")
    monkeypatch.setenv("GIT_AUTHOR_NAME", "")
    monkeypatch.setenv("EMAIL", "")
    with pytest.raises(GitError) as raised:
        initialise(tmp_path, language=Language.EN, force=False, commit=True)
    assert "user.name" in raised.value.hint
    assert list(tmp_path.iterdir()) == []


def test_a_refusing_hook_leaves_the_repository_as_it_was(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q")
    hook = tmp_path / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho 'no commits today' >&2\nexit 1\n", encoding="utf-8")
    hook.chmod(0o755)
    with pytest.raises(GitError) as raised:
        initialise(tmp_path, language=Language.EN, force=False, commit=True)
    assert "hook" in raised.value.hint
    assert sorted(p.name for p in tmp_path.iterdir()) == [".git"]
    assert git(tmp_path, "status", "--porcelain") == ""
    assert (
        subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=tmp_path, capture_output=True, check=False
        ).returncode
        != 0
    )


def test_the_commented_examples_in_the_written_config_are_valid_settings(tmp_path: Path) -> None:
    initialise(tmp_path, language=Language.EN, force=False, commit=False)
    config = tmp_path / "pmctl.toml"
    example = re.compile(r"^# (\[[\w.]+\]|[\w-]+ = .*)$", re.MULTILINE)
    text = config.read_text(encoding="utf-8")
    assert len(example.findall(text)) >= 10  # the notify, alias and downtime examples
    config.write_text(example.sub(r"\1", text), encoding="utf-8")
    settings = read_settings(config)
    assert settings.lint.downtime_minutes == 30
    assert settings.lint.section_aliases["root-causes"] == ["Root cause analysis", "なぜなぜ分析"]
    assert settings.notify.email is not None
    assert settings.notify.email.security == "implicit"
    assert settings.notify.webhook is not None
    assert settings.notify.apprise is not None
    assert settings.import_.map["sev"] == FieldMap(
        field="severity", values={"critical": "SEV1", "major": "SEV2"}
    )
    assert settings.teams == {"search-sre": ["alice", "bob"]}
    assert settings.reading_club.repeat_after_days == 365


def test_init_ignores_the_site_in_a_new_gitignore(tmp_path: Path) -> None:
    initialise(tmp_path, language=Language.EN, force=False, commit=True)
    assert "/_site/" in (tmp_path / ".gitignore").read_text(encoding="utf-8").splitlines()
    (tmp_path / "_site").mkdir()
    (tmp_path / "_site" / "index.html").write_text("<p>built</p>\n", encoding="utf-8")
    assert git(tmp_path, "status", "--porcelain") == ""


def test_init_appends_to_an_existing_gitignore_once(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q")
    (tmp_path / ".gitignore").write_text("*.pyc", encoding="utf-8")  # no final newline
    git(tmp_path, "add", ".gitignore")
    git(tmp_path, "commit", "-qm", "ignore")
    initialise(tmp_path, language=Language.EN, force=False, commit=True)
    assert ".gitignore" in committed_files(tmp_path)
    once = (tmp_path / ".gitignore").read_text(encoding="utf-8")
    assert once.startswith("*.pyc\n")
    assert once.splitlines().count("/_site/") == 1
    result = initialise(tmp_path, language=Language.EN, force=True, commit=False)
    assert tmp_path / ".gitignore" not in result.written
    assert (tmp_path / ".gitignore").read_text(encoding="utf-8") == once


def test_a_gitignore_that_already_ignores_the_site_is_left_alone(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q")
    (tmp_path / ".gitignore").write_text("build/\n_site\n", encoding="utf-8")
    result = initialise(tmp_path, language=Language.EN, force=False, commit=True)
    assert tmp_path / ".gitignore" not in result.written
    assert ".gitignore" not in committed_files(tmp_path)
    assert (tmp_path / ".gitignore").read_text(encoding="utf-8") == "build/\n_site\n"


def test_a_gitignore_that_is_not_utf_8_is_appended_to_as_it_is(tmp_path: Path) -> None:
    """Git reads patterns as bytes: a Shift_JIS comment is no reason to leave the site
    unignored (it was left so, without a word)."""
    git(tmp_path, "init", "-q")
    mine = "# ビルド成果物\nbuild/".encode("shift_jis")
    (tmp_path / ".gitignore").write_bytes(mine)
    result = initialise(tmp_path, language=Language.EN, force=False, commit=True)
    assert result.gitignore_left is None
    assert ".gitignore" in committed_files(tmp_path)
    content = (tmp_path / ".gitignore").read_bytes()
    assert content.startswith(mine + b"\n")
    assert content.splitlines()[-1] == b"/_site/"


def test_a_gitignore_with_windows_line_endings_keeps_them(tmp_path: Path) -> None:
    """The lines added ended in "\\n" alone, in a file of "\\r\\n": mixed line endings."""
    git(tmp_path, "init", "-q")
    mine = b"\xef\xbb\xbf# mine\r\n.env"  # with a byte-order mark, no final line ending
    (tmp_path / ".gitignore").write_bytes(mine)
    initialise(tmp_path, language=Language.EN, force=False, commit=True)
    content = (tmp_path / ".gitignore").read_bytes()
    assert content.startswith(mine + b"\r\n")
    assert content.endswith(b"\r\n/_site/\r\n")
    assert content.count(b"\n") == content.count(b"\r\n") == 4


def test_a_gitignore_that_cannot_be_read_is_named_and_left_alone(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q")
    (tmp_path / ".gitignore").mkdir()
    result = run_cli(tmp_path, "init")
    assert result.returncode == 0, result.stderr
    assert (
        ".gitignore cannot be read (Is a directory) and was left alone"
        in result.stdout + result.stderr
    )
    assert (tmp_path / ".gitignore").is_dir()


def test_a_gitignore_with_uncommitted_changes_is_not_committed(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q")
    (tmp_path / ".gitignore").write_text("*.pyc\n", encoding="utf-8")
    git(tmp_path, "add", ".gitignore")
    git(tmp_path, "commit", "-qm", "ignore")
    (tmp_path / ".gitignore").write_text("*.pyc\nmine/\n", encoding="utf-8")
    result = initialise(tmp_path, language=Language.EN, force=False, commit=True)
    assert result.gitignore_left == "has changes not yet committed"
    assert ".gitignore" not in committed_files(tmp_path)
    assert (tmp_path / ".gitignore").read_text(encoding="utf-8") == "*.pyc\nmine/\n"


def test_init_of_a_directory_not_yet_there_makes_it(tmp_path: Path) -> None:
    """As `git init new-repo`; it stopped with exit 70 (git could not start in it)."""
    result = run_cli(tmp_path, "init", "team/postmortems")
    assert result.returncode == 0, result.stderr
    assert committed_files(tmp_path / "team" / "postmortems")[0] == ".gitignore"


def test_init_of_a_file_or_an_impossible_name_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    for name, message in [
        ("a-file", "a-file is not a directory"),
        ("a-file/repo", "cannot make a-file/repo: Not a directory"),
        ("x" * 300, "File name too long"),
    ]:
        result = run_cli(tmp_path, "init", name)
        assert result.returncode == 2, result.stderr
        assert message in result.stderr
    assert sorted(path.name for path in tmp_path.iterdir()) == ["a-file"]


def test_a_directory_init_made_is_removed_when_it_fails(
    tmp_path: Path, isolated_git: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    isolated_git.write_text("[init]\n\tdefaultBranch = main\n", encoding="utf-8")
    monkeypatch.setenv("GIT_AUTHOR_NAME", "")
    monkeypatch.setenv("EMAIL", "")
    with pytest.raises(GitError):
        initialise(tmp_path / "new" / "repo", language=Language.EN, force=False, commit=True)
    assert list(tmp_path.iterdir()) == []


def test_init_with_git_dir_set_initialises_the_directory_given(tmp_path: Path) -> None:
    # GIT_DIR left in the environment (by a calling hook, or a dotfiles-style alias): pmctl's
    # other git commands ignore it, but GitPython passed it on to `git init`, which
    # initialised that repository instead, and init stopped with exit 70.
    other = tmp_path / "other.git"
    git(tmp_path, "init", "--quiet", "--bare", str(other))
    directory = tmp_path / "pm"
    directory.mkdir()
    result = run_cli(
        directory, "init", env={"GIT_DIR": str(other), "GIT_WORK_TREE": str(directory)}
    )
    assert result.returncode == 0, result.stderr
    assert "pmctl.toml" in committed_files(directory)
    assert git(other, "for-each-ref") == ""


def test_init_that_fails_keeps_a_git_directory_that_was_already_there(
    tmp_path: Path, isolated_git: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An empty `.git` (git cannot open it, so `git init` fills it in) is the user's: a
    # failure afterwards removed it.
    (tmp_path / ".git").mkdir()
    isolated_git.write_text("[init]\n\tdefaultBranch = main\n", encoding="utf-8")
    monkeypatch.setenv("GIT_AUTHOR_NAME", "")
    monkeypatch.setenv("EMAIL", "")
    with pytest.raises(GitError):
        initialise(tmp_path, language=Language.EN, force=False, commit=True)
    assert (tmp_path / ".git").is_dir()


def test_init_says_the_hook_runs_only_once_pre_commit_is_installed(tmp_path: Path) -> None:
    # Init wrote `.pre-commit-config.yaml` and said nothing more: the "pre-commit hook" of
    # its help never ran until someone read getting-started and ran `pre-commit install`.
    result = run_cli(tmp_path, "init")
    assert result.returncode == 0, result.stderr
    assert "`pre-commit install`" in result.stdout + result.stderr
    hook = tmp_path / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\nexec pre-commit hook-impl --hook-type=pre-commit\n")
    again = run_cli(tmp_path, "init", "--force")
    assert again.returncode == 0, again.stderr
    assert "pre-commit install" not in again.stdout + again.stderr


def test_init_under_core_hooks_path_says_where_git_runs_hooks(tmp_path: Path) -> None:
    # With core.hooksPath set, `pre-commit install` refuses ("Cowardly refusing"): the hook
    # must be called from the directory git does run.
    git(tmp_path, "init", "--quiet")
    git(tmp_path, "config", "core.hooksPath", ".githooks")
    result = run_cli(tmp_path, "init")
    assert result.returncode == 0, result.stderr
    said = " ".join((result.stdout + result.stderr).split())
    assert f"git runs its hooks from {tmp_path / '.githooks'} (core.hooksPath)" in said
    assert f"have {tmp_path / '.githooks' / 'pre-commit'} run `pre-commit run`" in said


def test_a_second_project_in_the_repository_is_given_its_own_hook(tmp_path: Path) -> None:
    # `pmctl init team-a`, then `pmctl init team-b`: the existing config ran `pmctl lint`, so
    # init took the hook as there, but its `files:` covers team-a only: team-b's
    # postmortems were never linted before a commit, and init said nothing.
    git(tmp_path, "init", "--quiet")
    initialise(tmp_path / "team-a", language=Language.EN, force=False, commit=True)
    again = initialise(tmp_path / "team-a", language=Language.EN, force=True, commit=True)
    assert again.pre_commit_hook is None
    second = initialise(tmp_path / "team-b", language=Language.EN, force=False, commit=True)
    assert second.pre_commit_hook is not None
    assert "files: ^team\\-b/postmortems/.*\\.md$" in second.pre_commit_hook
