"""`pmctl template list/export`: the built-in templates, and copying one to override it."""

from __future__ import annotations

from pathlib import Path

from pmctl.adapters import templates
from pmctl.domain.project import Project


def builtin_names() -> list[str]:
    """The names of the built-in templates (`en/postmortem.md.j2`, ...)."""
    return templates.builtin_names()


def export(project: Project, name: str, *, force: bool) -> Path:
    """Copy built-in template `name` to the project's `.pmctl/templates/`; the new file.

    `NotFoundError` for an unknown name; `UsageError` for an existing override without
    `force`.
    """
    return templates.export(name, project.root, force=force)
