"""Opening the project a command runs in."""

from __future__ import annotations

from pathlib import Path

from pmctl.adapters.config_file import load_project
from pmctl.domain.project import Project


def open_project(start: Path) -> Project:
    """The project containing `start` (its `pmctl.toml` found by walking up);
    `ConfigError` if there is none or it is invalid."""
    return load_project(start)
