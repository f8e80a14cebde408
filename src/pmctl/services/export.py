"""`pmctl export`: every postmortem's metadata, or every action item, as flat records.

The records are made one at a time as they are written, from one postmortem's model at a
time (`corpus.models`): at 10,000 realistic postmortems, holding every model, then every
record, then the whole text took ~455 MB for the action items (docs/export.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from itertools import chain, islice
from typing import TYPE_CHECKING

from pmctl.domain.document import Invalid
from pmctl.domain.enums import ExportTable
from pmctl.domain.learning.export import (
    ACTION_COLUMNS,
    POSTMORTEM_COLUMNS,
    Record,
    action_records,
    postmortem_records,
)
from pmctl.errors import UsageError, file_system_refusal
from pmctl.services.corpus import models, once_per_id, relative_key

if TYPE_CHECKING:
    from pathlib import Path

    from pmctl.domain.project import Project


class Export:
    """The records of one table, its columns in order, and the files left out.

    `records` is an iterator: each record is made when it is taken, and nothing is read
    before the first is. `invalid` grows as the files are reached, so it is complete, and
    `count` is the number of records taken, once `records` is exhausted."""

    __slots__ = ("columns", "count", "invalid", "records")

    def __init__(
        self, columns: tuple[str, ...], records: Iterable[Record], invalid: list[Invalid]
    ) -> None:
        self.columns = columns
        self.invalid = invalid
        self.count = 0
        self.records: Iterator[Record] = self._counted(records)

    def _counted(self, records: Iterable[Record]) -> Iterator[Record]:
        for record in records:
            self.count += 1
            yield record


def export(project: Project, table: ExportTable, *, now: dt.datetime) -> Export:
    """The records of `table` for every valid postmortem, in path order, made as they are
    taken."""
    invalid: list[Invalid] = []
    if table is ExportTable.ACTION_ITEMS:
        read = once_per_id(
            models(project.postmortem_dir, root=project.root, invalid=invalid), invalid
        )
        return Export(
            ACTION_COLUMNS, action_records((model for _, model in read), today=now.date()), invalid
        )
    return Export(POSTMORTEM_COLUMNS, _postmortem_records(project, now, invalid), invalid)


def _postmortem_records(
    project: Project, now: dt.datetime, invalid: list[Invalid]
) -> Iterator[Record]:
    from pmctl.services.stats import start_reading_transitions

    transitions = start_reading_transitions(project)
    root = project.root
    pairs = (
        (relative_key(path, root), model)
        for path, model in once_per_id(
            models(project.postmortem_dir, root=root, invalid=invalid), invalid
        )
    )
    # The first model is taken before `git log` is waited for: the documents are then being
    # read (in worker processes from 1,000 files) while it runs, as when they were all read
    # first.
    first = list(islice(pairs, 1))
    yield from postmortem_records(chain(first, pairs), transitions(), now=now)


def check_out(project: Project, path: Path) -> None:
    """`UsageError` if `--out` would overwrite what the repository is made of: a file in
    `.git` (`--out .git/config` left a repository git could no longer open), `pmctl.toml`
    (every command then failed on its first line) or anything in the postmortem directory.
    A file elsewhere, in or out of the repository, is the user's to choose."""
    import os
    from pathlib import Path

    from pmctl.adapters.config_file import in_git_dir
    from pmctl.domain.config import CONFIG_FILE

    root = project.root.resolve()
    target = Path(os.path.realpath(path))  # (a link is judged by where it leads)
    if not target.is_relative_to(root):
        return
    if in_git_dir(root, target):
        what = "lies in git's own directory, .git"
    elif target == root / CONFIG_FILE:
        what = f"is the repository's configuration, {CONFIG_FILE}"
    elif target.is_relative_to(project.postmortem_dir.resolve()):
        what = f"lies in the postmortem directory, {project.settings.postmortem_dir}"
    else:
        return
    raise UsageError(
        f"--out {path} {what}: an export is not written there; nothing was written",
        hint="write the export to a file of its own, e.g. --out postmortems.csv",
    )


def save(path: Path, lines: Iterable[str]) -> None:
    """Write `lines` to `path` atomically as they come (a reader never sees half of it;
    a failure meanwhile leaves no file); into a device or a pipe as it is."""
    from pmctl.adapters.files import write_lines_out

    try:
        write_lines_out(path, lines)
    except OSError as error:  # where the user asked it to go: no directory (a usage error), no room
        raise file_system_refusal(error, path=path) or UsageError(
            f"cannot write {path}: {error.strerror or error}; nothing was written",
            hint="give --out a file in a directory that exists and that you may write to",
        ) from None
