"""`pmctl init`: make a directory a postmortem repository and commit the set-up."""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from pmctl.adapters import discovery, templates
from pmctl.adapters.files import outermost_missing
from pmctl.adapters.git import Repository
from pmctl.domain import commits
from pmctl.domain.commits import Commit
from pmctl.domain.config import CONFIG_FILE, default_criteria
from pmctl.domain.model import Language
from pmctl.errors import ConfigError, UsageError, file_system_refusal
from pmctl.services.mutate import write_and_commit

PRE_COMMIT_CONFIG = ".pre-commit-config.yaml"
KEEP_FILE = ".gitkeep"
GITIGNORE = ".gitignore"
SITE_PATTERN = "/_site/"
"""Where `pmctl site build` writes by default: built from the repository, never kept in it."""
_SITE_PATTERNS = frozenset({b"_site", b"_site/", b"/_site", b"/_site/"})


@dataclass(frozen=True, slots=True)
class Initialised:
    root: Path
    written: tuple[Path, ...]
    created_git: bool
    pre_commit_hook: str | None
    """The hook to add under `repos:` of a `.pre-commit-config.yaml` that existed without
    pmctl's (it was left alone); None when init wrote the file or found the hook."""
    gitignore_left: str | None
    """Why `.gitignore` was left alone although it does not ignore the site (changes of the
    user's not yet committed, or it cannot be read); None if it was not."""
    commit: Commit | None
    hook_inactive: Path | None
    """The file git runs as its pre-commit hook, when it does not run pre-commit (nothing
    runs the hook written to `.pre-commit-config.yaml` yet); None when it does."""
    hooks_path: bool
    """Whether `core.hooksPath` chose that file's directory (`pre-commit install` then
    refuses to install)."""
    not_postmortems: tuple[Path, ...] = ()
    """Markdown files already in `postmortems/` without front matter (a README, notes, the
    team's postmortems from before pmctl), which lint will read as postmortems and fail."""


def initialise(directory: Path, *, language: Language, force: bool, commit: bool) -> Initialised:
    """Write pmctl.toml, the postmortem directory, a pre-commit hook and `_site/` in
    `.gitignore` (created, or appended to once); commit exactly those.

    A directory that does not exist is created, as `git init DIR` does; in one that is not in
    a git repository, `git init` runs first. On failure every file written, and a directory or
    repository created by this call, is removed again.
    """
    directory = directory.resolve()
    config = directory / CONFIG_FILE
    # os.path.exists: Path.exists raises on a name too long to be a file's (Python 3.11)
    if os.path.exists(config) and not force:
        raise ConfigError(
            f"{config} already exists", hint="pass --force to overwrite it with the defaults"
        )
    made = _make_directory(directory)
    created_git = False
    try:
        found = Repository.find(directory)  # (one git refuses to work in is refused here)
        if found is None:
            # A `.git` that git cannot open (an empty one, a worktree's link to nowhere) is
            # the user's: `git init` may fill it in, but a failure must not remove it.
            created_git = not os.path.lexists(directory / ".git")
            found = Repository.init(directory)
        repository = found
        if commit:
            repository.ensure_ready_to_commit()
        return _write_and_commit(
            repository, directory, language, commit=commit, created_git=created_git
        )
    except BaseException:
        if made is not None:
            shutil.rmtree(made, ignore_errors=True)
        elif created_git:
            shutil.rmtree(directory / ".git", ignore_errors=True)
        raise


def _make_directory(directory: Path) -> Path | None:
    """Make `directory` if it does not exist, as `git init DIR` does; the topmost directory
    made (to remove on failure), or None. `pmctl init new-repo` stopped with exit 70 (git
    could not start in a directory that was not there); a file is refused."""
    if os.path.isdir(directory):
        return None
    if os.path.lexists(directory):
        raise UsageError(
            f"{directory} is not a directory", hint="give pmctl init a directory, or a new name"
        )
    top = outermost_missing(directory)
    try:
        directory.mkdir(parents=True)
    except OSError as error:
        raise file_system_refusal(error, path=directory) or UsageError(
            f"cannot make {directory}: {error.strerror or error}",
            hint="give pmctl init a directory that exists or that can be made",
        ) from None
    return top


def _write_and_commit(
    repository: Repository, directory: Path, language: Language, *, commit: bool, created_git: bool
) -> Initialised:
    postmortems = directory / "postmortems"
    keep = postmortems / KEEP_FILE
    pre_commit = repository.root / PRE_COMMIT_CONFIG
    hook_files = re.escape((postmortems.relative_to(repository.root)).as_posix() + "/") + r".*\.md$"
    files = {
        directory / CONFIG_FILE: templates.render(
            "init/pmctl.toml.j2",
            {"language": language.value, "criteria": default_criteria(language)},
            root=None,
        ),
        keep: "",
    }
    hook_config = templates.render(
        "init/pre-commit-config.yaml.j2", {"hook_files": hook_files}, root=None
    )
    pre_commit_hook = None
    if not pre_commit.exists():
        files[pre_commit] = hook_config
    elif not _runs_pmctl(pre_commit, hook_files):  # what to paste under its `repos:`
        pre_commit_hook = hook_config[hook_config.index("  - repo:") :].rstrip("\n")
    gitignore = directory / GITIGNORE
    try:
        ignored = _ignoring_site(gitignore)
        gitignore_left = None
    except OSError as error:
        ignored, gitignore_left = None, f"cannot be read ({error.strerror})"
    if ignored is not None and commit and gitignore.exists() and repository.has_changes(gitignore):
        ignored, gitignore_left = None, "has changes not yet committed"
    data = {path: text.encode("utf-8") for path, text in files.items()}
    if ignored is not None:
        data[gitignore] = ignored
    for path in data:  # a `postmortems` or `pmctl.toml` that links elsewhere is refused
        discovery.inside(repository.root, path)
    made_dir = not postmortems.exists()
    not_postmortems = () if made_dir else _without_front_matter(postmortems)
    if commit:  # `init --force` again: files committed as they would be written are left out
        identical = [path for path, content in data.items() if _holds(path, content)]
        for path in repository.committed_as_is(identical):
            del data[path]
    try:
        postmortems.mkdir(parents=True, exist_ok=True)
        if commit:
            made: Commit | None = (
                write_and_commit(repository, data, commits.init_repository()) if data else None
            )
        else:
            made = None
            for path, content in data.items():
                path.write_bytes(content)
    except BaseException:
        if made_dir:
            shutil.rmtree(postmortems, ignore_errors=True)
        raise
    hook, hooks_path = repository.hook_file("pre-commit")
    return Initialised(
        directory,
        tuple(data),
        created_git,
        pre_commit_hook,
        gitignore_left,
        made,
        None if _runs_pre_commit(hook) else hook,
        hooks_path,
        not_postmortems,
    )


def _without_front_matter(postmortems: Path) -> tuple[Path, ...]:
    """The Markdown files under `postmortems` that do not open with a front matter line."""
    found = []
    for path in discovery.discover(postmortems):
        try:
            with path.open("rb") as file:
                start = file.read(8)
        except OSError:
            continue  # (lint names it)
        if not start.removeprefix(b"\xef\xbb\xbf").startswith(b"---"):
            found.append(path)
    return tuple(found)


def _runs_pre_commit(hook: Path) -> bool:
    """Whether git's pre-commit hook `hook` runs pre-commit (`pre-commit install` wrote it,
    or a hook manager calls it)."""
    try:
        return b"pre-commit" in hook.read_bytes()
    except OSError:
        return False


def _runs_pmctl(pre_commit: Path, hook_files: str) -> bool:
    """Whether a pre-commit configuration already runs pmctl's hook on this project's
    postmortems (`init` wrote it). In a repository with two projects (`pmctl init team-a`,
    `pmctl init team-b`), the hook written for the first one never ran on the second's
    postmortems, and init said nothing."""
    try:
        text = pre_commit.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return "pmctl lint" in text and hook_files in text


def _holds(path: Path, content: bytes) -> bool:
    try:
        return path.read_bytes() == content
    except OSError:
        return False


def _ignoring_site(gitignore: Path) -> bytes | None:
    """The content of `gitignore` with the site's output ignored; None if it already is.
    In bytes: git reads patterns as bytes, and the lines added are ASCII, so a file in
    Latin-1 or Shift_JIS is appended to as safely as one in UTF-8. `OSError` if it exists
    but cannot be read (a directory, no permission)."""
    try:
        content = gitignore.read_bytes()
    except FileNotFoundError:
        content = b""
    if any(line.strip() in _SITE_PATTERNS for line in content.splitlines()):
        return None
    # The file's own line ending: lines added with "\n" to a file of "\r\n" (a Windows
    # team's) left it with mixed endings, which editors and `git diff` then show.
    newline = b"\r\n" if b"\r\n" in content else b"\n"
    if content and not content.endswith(b"\n"):
        content += newline
    added = f"# the site `pmctl site build` makes from this repository\n{SITE_PATTERN}\n"
    return content + added.encode().replace(b"\n", newline)
