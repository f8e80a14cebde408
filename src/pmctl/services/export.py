"""`pmctl export`: every postmortem's metadata, or every action item, as flat records."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
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
from pmctl.services.corpus import load_all, relative_key

if TYPE_CHECKING:
    from pathlib import Path

    from pmctl.domain.project import Project


@dataclass(frozen=True, slots=True)
class Export:
    """The records of one table, its columns in order, and the files left out."""

    columns: tuple[str, ...]
    records: list[Record]
    invalid: tuple[Invalid, ...]


def export(project: Project, table: ExportTable, *, now: dt.datetime) -> Export:
    """The records of `table` for every valid postmortem, in path order."""
    if table is ExportTable.ACTION_ITEMS:
        corpus = load_all(project.postmortem_dir, root=project.root)
        return Export(
            ACTION_COLUMNS, action_records(corpus.models, today=now.date()), corpus.invalid
        )
    from pmctl.services.stats import start_reading_transitions

    transitions = start_reading_transitions(project)  # git reads while the documents are read
    corpus = load_all(project.postmortem_dir, root=project.root)
    paths = [relative_key(path, project.root) for path, _ in corpus.postmortems]
    pairs = [(key, model) for key, (_, model) in zip(paths, corpus.postmortems, strict=True)]
    return Export(
        POSTMORTEM_COLUMNS, postmortem_records(pairs, transitions(), now=now), corpus.invalid
    )


def save(path: Path, text: str) -> None:
    """Write `text` to `path` atomically (a reader never sees half of it)."""
    from pmctl.adapters.files import write_atomic

    write_atomic(path, text.encode("utf-8"))
