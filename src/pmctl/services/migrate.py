"""`pmctl migrate`: upgrade every postmortem to the current schema version in one commit.

Each document is edited surgically (`domain.migration`), re-read and validated by the one
reader before anything is written; then all of them are written and committed together, or,
on any failure (a hook's refusal, Ctrl-C), every file is put back as it was.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from pmctl.adapters import discovery, documents
from pmctl.adapters.documents import BOM
from pmctl.domain import commits
from pmctl.domain.commits import Commit
from pmctl.domain.migration import MigrateResult, NotMigrated, Upgraded, upgrade
from pmctl.domain.model import SCHEMA_VERSION
from pmctl.domain.wording import plural
from pmctl.errors import DocumentError, GitError
from pmctl.services.mutate import exclusive, write_and_commit

if TYPE_CHECKING:
    from pmctl.domain.project import Project


def migrate(project: Project, *, dry_run: bool = False) -> MigrateResult:
    """Upgrade every postmortem older than `SCHEMA_VERSION`; commit them in one commit.

    A document that cannot be read or is not valid is left alone and listed (lint says
    what is wrong with it). `GitError` before anything is written when git is not ready to
    commit or a document to upgrade has edits of the user's own.
    """
    upgraded: list[Upgraded] = []
    not_migrated: list[NotMigrated] = []
    writes: dict[Path, tuple[bytes, bytes]] = {}
    current = 0
    for path in discovery.discover(project.postmortem_dir):
        relative = path.relative_to(project.root).as_posix()
        raw = path.read_bytes()
        try:
            document, postmortem = documents.validated(documents.parse_bytes(path, raw))
        except DocumentError as error:
            not_migrated.append(NotMigrated(error.location or relative, error.message, error.hint))
            continue
        version = postmortem.schema_version
        if version == SCHEMA_VERSION:
            current += 1
            continue
        try:
            text = upgrade(document.text, version)
            documents.load_text(path, text)
        except DocumentError as error:
            not_migrated.append(NotMigrated(relative, error.message))
            continue
        if document.crlf:
            text = text.replace("\n", "\r\n")
        writes[path] = (raw, (BOM if document.bom else b"") + text.encode("utf-8"))
        upgraded.append(Upgraded(relative, postmortem.id, version))
    result = MigrateResult(tuple(upgraded), current, tuple(not_migrated), dry_run)
    if dry_run or not writes:
        return result
    versions = sorted({item.version for item in upgraded})
    message = commits.migrated(len(upgraded), versions[0], SCHEMA_VERSION)
    return replace(result, commit=_write_and_commit(project, writes, message))


def _write_and_commit(
    project: Project, writes: dict[Path, tuple[bytes, bytes]], message: str
) -> Commit:
    """Write the new bytes of every file and commit them in one commit, holding the
    repository's lock; on any failure, every file gets its old bytes back. Refused before
    writing when git is not ready or a file has the user's edits."""
    from pmctl.adapters.git import Repository

    with exclusive(project, purpose="pmctl migrate"):
        repository = Repository.open(project.root)
        repository.ensure_ready_to_commit()
        relative = {path: path.resolve().relative_to(repository.root).as_posix() for path in writes}
        edited = sorted(set(relative.values()) & repository.snapshot().changed)
        if edited:
            raise GitError(
                f"{plural(len(edited), 'postmortem')} to migrate "
                f"{'has' if len(edited) == 1 else 'have'} changes that are not committed: "
                + ", ".join(edited[:5])
                + (" ..." if len(edited) > 5 else ""),
                hint="commit or discard them first (`git status`), then run `pmctl migrate` again",
            )
        changed = [path for path, (old, _) in writes.items() if path.read_bytes() != old]
        if changed:
            raise GitError(
                f"{changed[0]} changed while migrating; nothing was migrated",
                hint="run `pmctl migrate` again",
            )
        # Not flushed file by file: one fsync per postmortem would take seconds.
        return write_and_commit(
            repository, {path: new for path, (_, new) in writes.items()}, message, durable=False
        )
