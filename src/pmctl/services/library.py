"""The search index of a project, brought up to date with the files before it is used.

`search`, `related`, `trends` and lint's related-link rule all read the index through
`open_library`. Each time, every postmortem file is stat()ed and compared with the stat it
was indexed with (as lint's cache does); only new and changed files are read again, through
the one reader, and validated against the model as every other command validates them. A
file that is not a valid postmortem is remembered, with its first problem, until it changes.

Building the index from nothing reads every file: worker processes read and prepare the
text (the bulk of the work in Python), this process validates and writes to SQLite, in
batches so that memory stays bounded.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pmctl.adapters import documents
from pmctl.adapters.lint_cache import Stat, stat_key
from pmctl.adapters.parallel import collector_paused, map_chunks, processes, split
from pmctl.adapters.search_index import Entry, Problem, SearchIndex, open_index
from pmctl.errors import DocumentError
from pmctl.services.corpus import Invalid, relative_keys

if TYPE_CHECKING:
    from pmctl.adapters.config_file import Project
    from pmctl.domain.sections import SectionNames

BATCH = 2_000
"""Files read and written per round: bounds the prepared text held at once (~30 MB)."""

PARALLEL_FROM = 500
"""Below this many files to read, a worker process costs more than it saves."""

REBUILD_SHARE = 0.25
"""Rebuild the index once its unreachable rows (of changed files) are this share of it."""

Prepared = tuple[Stat | None, "dict[str, Any] | None", "tuple[str, str, str] | None"]
"""A file as a worker read it: its stat, its front matter to validate, its body columns."""


@dataclass(frozen=True, slots=True)
class Library:
    """The up-to-date index, and the files that are not valid postmortems."""

    index: SearchIndex
    invalid: tuple[Invalid, ...]
    root: Path

    def path_of(self, key: str) -> Path:
        return self.root / key


@contextlib.contextmanager
def open_library(project: Project) -> Iterator[Library]:
    """The project's index, updated to the files as they are now; closed on the way out."""
    from pmctl import __version__

    paths = documents.discover(project.postmortem_dir)
    keys = relative_keys(paths, project.root)
    index = open_index(project.root, version=__version__)
    try:
        known = {} if index.is_new else index.known()
        changed: list[tuple[Path, str]] = []
        for path, key in zip(paths, keys, strict=True):
            try:
                stat = stat_key(os.stat(path))
            except OSError:
                continue
            if known.get(key) != stat:
                changed.append((path, key))
        removed = set(known) - set(keys)
        replaced = sum(1 for _, key in changed if key in known) + len(removed)
        if replaced and index.stale_share(replaced) > REBUILD_SHARE:
            index.close()
            index = open_index(project.root, version=__version__, rebuild=True)
            changed, removed = list(zip(paths, keys, strict=True)), set()
        if changed or removed:
            _update(index, project, changed, removed)
        invalid = tuple(Invalid(problem.location, problem.message) for problem in index.problems())
        yield Library(index, invalid, project.root)
    finally:
        index.close()


def _update(
    index: SearchIndex, project: Project, changed: list[tuple[Path, str]], removed: set[str]
) -> None:
    from pmctl.domain.sections import section_names

    names = section_names(project.settings.lint.section_aliases)
    with collector_paused(), index.updating():
        index.remove(sorted(removed))
        for start in range(0, len(changed), BATCH):
            batch = changed[start : start + BATCH]
            index.put(_read_batch([path for path, _ in batch], [key for _, key in batch], names))


def _read_batch(
    paths: Sequence[Path], keys: Sequence[str], names: SectionNames
) -> list[Entry | Problem]:
    """Read and prepare `paths`; worker processes do the reading when there are many."""

    def work(chunk: Sequence[int]) -> list[Prepared]:
        return [_prepare(paths[index], names) for index in chunk]

    def finish(chunk: Sequence[int], prepared: list[Prepared]) -> list[Entry | Problem]:
        return [
            _entry(paths[index], keys[index], item)
            for index, item in zip(chunk, prepared, strict=True)
        ]

    positions = list(range(len(paths)))
    count = processes(len(paths), minimum=PARALLEL_FROM)
    if count == 1:
        return finish(positions, work(positions))
    # This process validates and writes everything, so it reads a smaller share.
    workers = count - 1
    here = 1 / (1 + workers * 3)
    return map_chunks(work, split(positions, [here] + [(1 - here) / workers] * workers), finish)


def _prepare(path: Path, names: SectionNames) -> Prepared:
    from pmctl.domain.learning.indexing import body_columns

    document, stat = documents.read_with_stat(path)
    data = documents.data_to_validate(document)
    columns = None if data is None else body_columns(document.body, document.body_line, names)
    return (None if stat is None else stat_key(stat), data, columns)


def _entry(path: Path, key: str, prepared: Prepared) -> Entry | Problem:
    from pydantic import ValidationError

    from pmctl.domain.learning.indexing import meta_text
    from pmctl.domain.learning.text import index_text
    from pmctl.domain.model import Postmortem
    from pmctl.domain.report import incident_date

    stat, data, columns = prepared
    if stat is None or data is None or columns is None:
        return _problem(path, key, stat)
    try:
        model = Postmortem.model_validate(data)
    except ValidationError:
        return _problem(path, key, stat)
    return Entry(
        key=key,
        stat=stat,
        id=model.id,
        title=model.title,
        status=model.status.value,
        severity=model.severity,
        owner=model.owner,
        language=model.language.value,
        date=incident_date(model).isoformat(),
        services=tuple(model.services),
        tags=tuple(model.tags),
        texts=(index_text(model.title), *columns, meta_text(model)),
    )


def _problem(path: Path, key: str, stat: Stat | None) -> Problem:
    """What is wrong with the file, as the one reader reports it (first problem, its line)."""
    try:
        documents.load(path)
    except DocumentError as error:
        return Problem(key, stat or (-1, -1, -1, -1), error.location or str(path), error.message)
    # Fixed since it was read: the stat that never matches makes the next update read it.
    return Problem(key, (-1, -1, -1, -1), str(path), "changed while it was read")
