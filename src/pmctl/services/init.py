"""`pmctl init`: make a directory a postmortem repository and commit the set-up."""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from pmctl.adapters import documents, templates
from pmctl.adapters.git import Repository
from pmctl.domain import commits
from pmctl.domain.commits import Commit
from pmctl.domain.config import CONFIG_FILE, DEFAULT_CRITERIA
from pmctl.domain.model import Language
from pmctl.errors import ConfigError, GitError
from pmctl.services.mutate import write_and_commit

PRE_COMMIT_CONFIG = ".pre-commit-config.yaml"
KEEP_FILE = ".gitkeep"


@dataclass(frozen=True, slots=True)
class Initialised:
    root: Path
    written: tuple[Path, ...]
    created_git: bool
    pre_commit_skipped: bool
    commit: Commit | None


def initialise(directory: Path, *, language: Language, force: bool, commit: bool) -> Initialised:
    """Write pmctl.toml, the postmortem directory and a pre-commit hook; commit exactly those.

    In a directory that is not in a git repository, `git init` runs first. On failure every
    file written, and a repository created by this call, is removed again.
    """
    directory = directory.resolve()
    config = directory / CONFIG_FILE
    if config.exists() and not force:
        raise ConfigError(
            f"{config} already exists", hint="pass --force to overwrite it with the defaults"
        )
    created_git = False
    try:
        repository = Repository.open(directory)
    except GitError:
        repository = Repository.init(directory)
        created_git = True
    try:
        if commit:
            repository.ensure_ready_to_commit()
        return _write_and_commit(
            repository, directory, language, commit=commit, created_git=created_git
        )
    except BaseException:
        if created_git:
            shutil.rmtree(directory / ".git", ignore_errors=True)
        raise


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
            {"language": language.value, "criteria": DEFAULT_CRITERIA},
            root=None,
        ),
        keep: "",
    }
    pre_commit_skipped = pre_commit.exists()
    if not pre_commit_skipped:
        files[pre_commit] = templates.render(
            "init/pre-commit-config.yaml.j2", {"hook_files": hook_files}, root=None
        )
    for path in files:  # a `postmortems` or `pmctl.toml` that links elsewhere is refused
        documents.inside(repository.root, path)
    made_dir = not postmortems.exists()
    data = {path: text.encode("utf-8") for path, text in files.items()}
    try:
        postmortems.mkdir(parents=True, exist_ok=True)
        if commit:
            made: Commit | None = write_and_commit(repository, data, commits.init_repository())
        else:
            made = None
            for path, content in data.items():
                path.write_bytes(content)
    except BaseException:
        if made_dir:
            shutil.rmtree(postmortems, ignore_errors=True)
        raise
    return Initialised(directory, tuple(files), created_git, pre_commit_skipped, made)
