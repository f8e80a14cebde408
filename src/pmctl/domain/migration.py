"""Upgrading a postmortem's front matter to the current schema version, surgically.

Each step is a text edit from one version to the next (`domain.edit`): only the lines the
new version needs change, and comments, key order, quoting and the body stay as written.
Version 1 -> 2 changes the `schema` line alone: what version 2 adds is optional.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pmctl.domain import edit
from pmctl.domain.commits import Commit
from pmctl.domain.model import SCHEMA_VERSION

STEPS: dict[int, Callable[[str], str]] = {
    1: lambda text: edit.set_value(text, ("schema",), 2),
}
"""Version -> the edit that turns a document of that version into one of the next."""


def upgrade(text: str, version: int) -> str:
    """`text` (a valid document of schema `version`) upgraded to `SCHEMA_VERSION`."""
    while version < SCHEMA_VERSION:
        text = STEPS[version](text)
        version += 1
    return text


@dataclass(frozen=True, slots=True)
class Upgraded:
    """A document `migrate` upgrades (or would): where, its id, its version before."""

    path: str
    id: str
    version: int


@dataclass(frozen=True, slots=True)
class NotMigrated:
    """A document `migrate` leaves alone because it cannot read it: where, and why."""

    location: str
    reason: str
    hint: str | None = None


@dataclass(frozen=True, slots=True)
class MigrateResult:
    upgraded: tuple[Upgraded, ...]
    current: int
    """How many documents were at the current version already."""
    not_migrated: tuple[NotMigrated, ...]
    dry_run: bool
    commit: Commit | None = None
    target: int = SCHEMA_VERSION
