"""The search index of a project, brought up to date with the files before it is used.

`search`, `related`, `trends` and lint's related-link rule all read the index through
`read_library`. Each time, every postmortem file is stat()ed; if the paths and stats are
those the index last agreed with (one digest of them all), nothing else is done. Otherwise
each is compared with the stat it was indexed with (as lint's cache does); only new and
changed files are read again, through the one reader, and validated against the model as
every other command validates them. A file that is not a valid postmortem is remembered,
with its first problem, until it changes.

Building the index from nothing reads every file: a worker process per core, forked once,
reads, validates and prepares the text of one batch of files after another while this
process writes the batches before them to SQLite (FTS5), so that reading and writing
overlap on every core and memory stays bounded.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from pmctl.adapters import discovery, documents
from pmctl.adapters.cache import Stat, stat_key
from pmctl.adapters.parallel import collector_paused, pipelined, processes
from pmctl.adapters.search_index import (
    UNKNOWN,
    Entry,
    Problem,
    SearchIndex,
    is_unusable,
    open_index,
    refusal,
    survey_digest,
)
from pmctl.domain.document import Invalid
from pmctl.errors import DocumentError

if TYPE_CHECKING:
    from pmctl.domain.project import Project
    from pmctl.domain.sections import SectionNames

BATCH = 500
"""Files in a batch: bounds the prepared text held at once (a batch per worker and the one
being written, ~5 MB each), and the first batch is all this process waits for before it
starts writing. Against batches of 1,000 (once a fork each): 0.5-1.5 s less of a first
search of 10,000 in three pairs of runs, and 69 MB peak instead of 94."""

LAST_BATCH = 50
"""Files in the smallest batch, those at the end (`cut_in_batches`)."""

PARALLEL_FROM = 500
"""Below this many files to read, a worker process costs more than it saves."""

REBUILD_SHARE = 0.25
"""Rebuild the index once its unreachable rows (of changed files) are this share of it."""

T = TypeVar("T")

Plain = tuple[Any, ...]
"""An `Entry` or a `Problem` as a tuple of its fields after a marker (0: entry, 1: problem),
to come back from the worker process through `marshal`."""


@dataclass(frozen=True, slots=True)
class Library:
    """The up-to-date index, and the files that are not valid postmortems."""

    index: SearchIndex
    invalid: tuple[Invalid, ...]
    root: Path

    def path_of(self, key: str) -> Path:
        return self.root / key


def read_library(project: Project, read: Callable[[Library], T]) -> T:
    """What `read` finds in the project's up-to-date library. An index that turns out to be
    damaged (a segment overwritten, the file cut short: SQLite reads it only as it goes),
    that cannot be written to take the changed files (a read-only git dir) or that another
    process keeps locked is a cache like any other: a new one is built, and `read` runs
    again on it (it was exit 70)."""
    try:
        return _read_once(project, read, rebuild=False)
    except Exception as error:
        if not is_unusable(error):
            raise
    return _read_once(project, read, rebuild=True)


def _read_once(project: Project, read: Callable[[Library], T], *, rebuild: bool) -> T:
    try:
        with open_library(project, rebuild=rebuild) as library:
            return read(library)
    except Exception as error:
        refused = refusal(error, project.root)
        if refused is None:
            raise
        raise refused from None


@contextlib.contextmanager
def open_library(project: Project, *, rebuild: bool = False) -> Iterator[Library]:
    """The project's index, updated to the files as they are now (a new one, `rebuild`);
    closed on the way out. Read it through `read_library`, which survives a damaged one."""
    from pmctl import __version__

    files = discovery.postmortem_files(project.postmortem_dir, project.root)
    index = open_index(project.root, version=__version__, rebuild=rebuild)
    try:
        if not index.is_new:
            index = _bring_up_to_date(index, project, files)
        if index.is_new:
            # A new index reads every file and stats it there, not here first (60 ms for
            # 10,000 before the workers start): a file gone meanwhile is reported unreadable.
            with index.updating():
                _update(index, project, [key for key, _ in files], set())
                stored = dict(index.stored)
                index.agree(
                    survey_digest((key, stored[key]) for key, _ in files) if index.settled else None
                )
        invalid = tuple(Invalid(problem.location, problem.message) for problem in index.problems())
    except BaseException:
        index.discard()  # a new index half built (or Ctrl-C) is never put in place
        raise
    try:
        yield Library(index, invalid, project.root)
    finally:
        index.close()


def _bring_up_to_date(
    index: SearchIndex, project: Project, files: list[tuple[str, os.DirEntry[str]]]
) -> SearchIndex:
    """The existing `index` updated to `files`: left as it is if they are as they were when
    it last agreed with them all; else the files whose stat differs are read again. A new,
    empty index instead once a quarter of this one would be unreachable rows."""
    from pmctl import __version__

    stats: list[tuple[str, Stat]] = []
    for key, entry in files:
        try:
            stats.append((key, stat_key(entry.stat())))
        except OSError:  # gone since it was listed
            continue
    digest = survey_digest(stats)
    # One digest of every path and stat against the one kept: 10,000 unchanged files
    # without reading the index's 10,000 rows into Python (60-70 ms).
    if index.agrees_with(digest):
        return index
    changed, removed, replaced = _changes(index, stats)
    if replaced and index.stale_share(replaced) > REBUILD_SHARE:
        index.close()
        return open_index(project.root, version=__version__, rebuild=True)
    with index.updating():
        _update(index, project, changed, removed)
        # Kept unless some file is to be read again next time (written in the last two
        # seconds, or indexed with no stat): its stat could then stay as it is.
        index.agree(digest if index.settled else None)
    return index


def _changes(index: SearchIndex, stats: list[tuple[str, Stat]]) -> tuple[list[str], set[str], int]:
    """The keys of the files new or changed since they were indexed, the keys of those
    indexed that are gone, and how many rows of the index that makes unreachable."""
    known = index.known()
    changed = [key for key, stat in stats if known.get(key) != stat]
    removed = set(known).difference(key for key, _ in stats)
    return changed, removed, sum(1 for key in changed if key in known) + len(removed)


def _update(index: SearchIndex, project: Project, changed: list[str], removed: set[str]) -> None:
    """Remove `removed`, read and put `changed` (keys; inside `index.updating`): in batches,
    each read, validated and prepared by a worker process while this one writes the batch
    before it."""
    from pmctl.domain.sections import section_names

    if not changed and not removed:
        return
    names = section_names(project.settings.lint.section_aliases)
    root = str(project.root)

    def prepare(batch: Sequence[str]) -> list[Plain]:
        return [_plain(_prepare(Path(f"{root}/{key}"), key, names)) for key in batch]

    with collector_paused():
        index.remove(sorted(removed))
        workers = processes(len(changed), minimum=PARALLEL_FROM)
        batches = cut_in_batches(changed, workers)
        if workers == 1:
            for batch in batches:
                index.put([_prepare(Path(f"{root}/{key}"), key, names) for key in batch])
            return
        # Preparing a file costs about three times what writing it to FTS5 costs (CPU by
        # phase, bench/bench_search.py): with one worker this process waited for it most of
        # the time and one of two cores idled; a worker per core prepares the next batches
        # meanwhile (a first search of 3.7 floors instead of 6.1 in bench_search.py).
        with contextlib.closing(pipelined(prepare, batches, workers=workers)) as prepared:
            for plain in prepared:
                index.put([_unplain(item) for item in plain])


def cut_in_batches(keys: Sequence[str], workers: int) -> list[Sequence[str]]:
    """`keys` cut in order into batches of `BATCH`, smaller and smaller towards the end.

    The last batch each worker makes is all this process writes after the workers are
    done, while a core idles, and the workers finish apart by up to a batch. Once fewer than
    `2 * workers * BATCH` files are left, each batch is a `2 * workers`-th of what is left,
    down to `LAST_BATCH`: both waits shrink to a few dozen files. (In one process, without
    workers, the smaller batches only mean a few more calls into SQLite.)"""
    batches: list[Sequence[str]] = []
    first = 0
    while first < len(keys):
        left = len(keys) - first
        size = left if left <= LAST_BATCH else max(LAST_BATCH, min(BATCH, left // (2 * workers)))
        batches.append(keys[first : first + size])
        first += size
    return batches


_FIELDS = {
    0: tuple(field.name for field in fields(Entry)),
    1: tuple(field.name for field in fields(Problem)),
}


def _plain(found: Entry | Problem) -> Plain:
    kind = 0 if isinstance(found, Entry) else 1
    return (kind, *(getattr(found, name) for name in _FIELDS[kind]))


def _unplain(plain: Plain) -> Entry | Problem:
    return Entry(*plain[1:]) if plain[0] == 0 else Problem(*plain[1:])


def _prepare(path: Path, key: str, names: SectionNames) -> Entry | Problem:
    """The file read with the one reader, validated, its text ready for the index."""
    from pydantic import ValidationError

    from pmctl.domain.learning.indexing import body_columns, meta_text
    from pmctl.domain.learning.text import index_text
    from pmctl.domain.model import Postmortem
    from pmctl.domain.report import incident_date

    document, stat = documents.read_with_stat(path)
    data = documents.data_to_validate(document)
    if stat is None or data is None:
        return _problem(path, key, None if stat is None else stat_key(stat))
    try:
        model = Postmortem.model_validate(data)
    except ValidationError:
        return _problem(path, key, stat_key(stat))
    return Entry(
        key=key,
        stat=stat_key(stat),
        id=model.id,
        title=model.title,
        status=model.status.value,
        severity=model.severity,
        owner=model.owner,
        language=model.language.value,
        date=incident_date(model).isoformat(),
        services=tuple(model.services),
        tags=tuple(model.tags),
        texts=(
            index_text(model.title),
            *body_columns(document.body, document.body_line, names),
            meta_text(model),
        ),
    )


def _problem(path: Path, key: str, stat: Stat | None) -> Problem:
    """What is wrong with the file, as the one reader reports it (first problem, its line)."""
    try:
        documents.load(path)
    except DocumentError as error:
        return Problem(key, stat or UNKNOWN, error.location or str(path), error.message)
    # Fixed since it was read: the stat that never matches makes the next update read it.
    return Problem(key, UNKNOWN, str(path), "changed while it was read")
