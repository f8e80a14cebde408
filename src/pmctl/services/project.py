"""Opening the project a command runs in."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from pmctl.adapters.config_file import find_root, load_project
from pmctl.domain.project import Project


def open_project(start: Path) -> Project:
    """The project containing `start` (its `pmctl.toml` found by walking up);
    `ConfigError` if there is none or it is invalid."""
    return load_project(start)


def open_project_of(paths: Sequence[Path], cwd: Path) -> Project:
    """The project holding the files a command was given, found from the first of them; the
    one containing `cwd` when they are given in none (or none are given).

    pre-commit runs its hooks at the top of the git repository, with paths from there: in a
    repository whose pmctl.toml is in a subdirectory (`pmctl init docs/incidents`), every
    commit of a postmortem failed with "no pmctl.toml found"."""
    if paths and find_root(paths[0]) is not None:
        return load_project(paths[0])
    return load_project(cwd)
