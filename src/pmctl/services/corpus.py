"""Reading every postmortem of a project, fast, through the one reader, one at a time.

`report`, `stats`, `index` and `list` read thousands of files; they all come here, and a
document is valid or invalid for them exactly as for a command that `documents.load`s one
file: each file is read by `documents.read_with_stat` and its front matter
(`documents.data_to_validate`) validated against the model; a file that does not pass is
read again by `documents.load` for its first problem and the line of it.

`records` hands out each valid postmortem's record (`domain.record`: what those four commands
need of it, made from the validated model) and `models` the models themselves, for the
commands that need every field (`export`); both hand out each one as soon as it is made and
keep none. `load_all` keeps every model, for the commands that need them all at once.

What makes 10,000 files fast (budgets and figures in bench/README.md, measured by
bench/bench_report.py):
- reading, parsing and validating, the bulk of the work, is spread over the CPUs
  (`adapters.parallel`); the processes send back records, or parsed front matter for the
  models, as plain data;
- the cyclic garbage collector is paused meanwhile (the objects hold no cycles);
- given the project root, an unchanged file is not read again: its record comes from the
  record cache (~17 µs to rebuild, against ~65 µs for pydantic to validate its front matter
  again, timeit on realistic documents), its front matter from the model cache (`adapters.cache`, each entry
  a `marshal` dump, loaded only when its turn comes).
"""

from __future__ import annotations

import marshal
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from pmctl import __version__
from pmctl.adapters import discovery, documents
from pmctl.adapters.cache import Stat, stat_key
from pmctl.adapters.parallel import collector_paused, ordered, processes, split
from pmctl.domain import record
from pmctl.domain.document import Invalid
from pmctl.domain.record import PostmortemRecord
from pmctl.domain.visible_text import bytes_shown
from pmctl.errors import DocumentError

if TYPE_CHECKING:
    from pmctl.adapters.cache import Cache
    from pmctl.domain.model import Postmortem

T = TypeVar("T")
Identified = TypeVar("Identified", "Postmortem", PostmortemRecord)

PARALLEL_FROM = 1_000
"""Below this many files a child process costs more than it saves."""

CACHE = "model-cache"
RECORD_CACHE = "record-cache"


@dataclass(frozen=True, slots=True)
class Corpus:
    """Valid postmortems as `(path, model)` in path order, and the files that are not."""

    postmortems: tuple[tuple[Path, Postmortem], ...]
    invalid: tuple[Invalid, ...]

    @property
    def models(self) -> list[Postmortem]:
        return [model for _, model in self.postmortems]


Read = tuple[Stat | None, Any]
"""A file as a worker read it: its stat, taken before reading, and plain data for the pipe
from a worker process (None: the file is not a valid postmortem, or has a problem of its
own such as malformed YAML)."""


def relative_key(path: Path, root: Path) -> str:
    """`path` relative to `root`, `/`-separated: `relative_to().as_posix()`, 30x faster."""
    prefix = str(root) + os.sep
    text = str(path)
    if text.startswith(prefix):
        return text[len(prefix) :].replace(os.sep, "/")
    return path.relative_to(root).as_posix()


def records(
    directory: Path, *, root: Path | None = None, invalid: list[Invalid]
) -> Iterator[tuple[Path, PostmortemRecord]]:
    """The record of every valid postmortem under `directory`, one at a time in path order;
    none is kept once it is handed out. Each file that is not a valid postmortem is appended
    to `invalid` when its turn comes, so the list is complete once the iterator is.

    With `root` (the project root), records are cached between runs: an unchanged file is
    not read, parsed or validated again.
    """
    return _valid(directory, root, _RECORDS, invalid)


def models(
    directory: Path, *, root: Path | None = None, invalid: list[Invalid]
) -> Iterator[tuple[Path, Postmortem]]:
    """Every valid postmortem's model under `directory`, one at a time in path order, read
    as `load_all` reads them; none is kept once it is handed out (10,000 realistic models
    at once are ~230 MB). Each file that is not a valid postmortem is appended to `invalid`
    when its turn comes, so the list is complete once the iterator is."""
    return _valid(directory, root, _MODELS, invalid)


def _valid(
    directory: Path, root: Path | None, kind: _Kind[T], invalid: list[Invalid]
) -> Iterator[tuple[Path, T]]:
    """`records` or `models`: nothing is read before the first one is taken."""
    paths = _postmortem_paths(directory, invalid)
    with collector_paused():
        outcomes = _outcomes(paths, root, kind)
        for path, outcome in zip(paths, outcomes, strict=True):
            if isinstance(outcome, Invalid):
                invalid.append(outcome)
            else:
                yield path, outcome


def once_per_id(
    pairs: Iterable[tuple[Path, Identified]], invalid: list[Invalid]
) -> Iterator[tuple[Path, Identified]]:
    """`pairs` without the second and later files of one id, each appended to `invalid`: a
    postmortem copied to start another, its id not yet changed (lint's PM701), was counted
    twice by `stats` and exported twice, each copy with the whole history of the id."""
    first: dict[str, Path] = {}
    for path, postmortem in pairs:
        if first.setdefault(postmortem.id, path) is not path:
            invalid.append(
                Invalid(
                    str(path),
                    f"its id {postmortem.id} is also the id of {first[postmortem.id]} "
                    "(lint's PM701)",
                )
            )
            continue
        yield path, postmortem


def load_all(directory: Path, *, root: Path | None = None) -> Corpus:
    """Every postmortem's model under `directory` (as `discovery.discover` finds them).

    With `root` (the project root), parsed front matter is cached between runs: an
    unchanged file is not read or parsed again.
    """
    unnamed: list[Invalid] = []
    paths = _postmortem_paths(directory, unnamed)
    with collector_paused():
        corpus = load_paths(paths, root=root)
    return Corpus(corpus.postmortems, (*unnamed, *corpus.invalid)) if unnamed else corpus


def _postmortem_paths(directory: Path, invalid: list[Invalid]) -> list[Path]:
    """The postmortem files under `directory` (`discovery.discover`); each `*.md` file left
    out for a name that is not UTF-8 is appended to `invalid`, so that `list`, `report` and
    `export` say so as for any file they cannot read (they left it out without a word; only
    lint named it)."""
    found = discovery.survey(directory)
    invalid.extend(
        Invalid(
            bytes_shown(str(path)),
            "not read: its name is not valid UTF-8, so it cannot be `<id>.md`",
        )
        for path in found.not_utf8
    )
    return found.postmortems


def load_paths(paths: Sequence[Path], *, root: Path | None = None) -> Corpus:
    """The postmortems of the files `paths`, in that order, read as `load_all` reads them:
    for a caller that knows which files changed (`pmctl site build`)."""
    valid: list[tuple[Path, Postmortem]] = []
    invalid: list[Invalid] = []
    outcomes = _outcomes(paths, root, _MODELS)
    for path, outcome in zip(paths, outcomes, strict=True):
        if isinstance(outcome, Invalid):
            invalid.append(outcome)
        else:
            valid.append((path, outcome))
    return Corpus(tuple(valid), tuple(invalid))


@dataclass(frozen=True, slots=True)
class _Kind(Generic[T]):
    """What is read of each file and cached: models (from front matter) or records."""

    cache: str
    header: tuple[Any, ...]
    read: Callable[[Sequence[Path]], Iterator[Read]]
    """In a worker: each file's stat and plain data (also what the cache keeps of it)."""
    made: Callable[[Path, Any], T | Invalid]
    """Here: the value from that plain data, just read or taken from the cache."""
    cost_here: float
    """What `made` costs as a share of what `read` costs. With n worker processes, this
    process reads the share p of the files while they read theirs, so that all finish
    together when p (1 + cost_here) = (1 - p) / n; it `made`s their values afterwards."""


def _outcomes(paths: Sequence[Path], root: Path | None, kind: _Kind[T]) -> Iterator[T | Invalid]:
    """What each of `paths` is, in order: from the cache where the file is unchanged (given
    `root`), else read now; the cache is updated at the end."""
    cache = None if root is None else _open_cache(root, kind)
    keys = [] if root is None else [relative_key(path, root) for path in paths]
    cached: list[bytes | None] = [None] * len(paths)
    if cache is not None and cache.entries:  # (a cold run has nothing to look up)
        for index, key in enumerate(keys):
            try:
                cached[index] = cache.get(key, stat_key(os.stat(paths[index])))
            except OSError:
                continue
    misses = [index for index, blob in enumerate(cached) if blob is None]
    fresh = _read_all([paths[index] for index in misses], kind)
    for index, blob in enumerate(cached):
        if blob is not None:
            yield kind.made(paths[index], marshal.loads(blob))
            continue
        stat, data = next(fresh)
        outcome = kind.made(paths[index], data)
        if cache is not None and stat is not None and data is not None:
            cache.put(keys[index], stat, marshal.dumps(data))
        yield outcome
    if cache is not None:
        cache.retain(set(keys))
        cache.save()


def _open_cache(root: Path, kind: _Kind[T]) -> Cache[bytes]:
    from pmctl.adapters.cache import open_cache

    return open_cache(root, kind.cache, kind.header)


def _read_all(paths: Sequence[Path], kind: _Kind[T]) -> Iterator[Read]:
    """`kind.read` of `paths`, in order; spread over the CPUs when there are many."""
    count = processes(len(paths), minimum=PARALLEL_FROM)
    if count == 1:
        return kind.read(paths)
    workers = count - 1
    here = 1 / (1 + workers * (1 + kind.cost_here))
    shares = [here] + [(1 - here) / workers] * workers

    def crashed(path: Path) -> Read:
        """A file the YAML engine crashed on in a worker, read with the fallback engine
        (this process's own share is read here: a crash there ends the command; lint
        reports it)."""
        from pmctl.adapters import yaml_engine

        with yaml_engine.fallback():
            return next(kind.read([path]))

    return ordered(kind.read, split(paths, shares), rescue=crashed)


def _front_matter(paths: Sequence[Path]) -> Iterator[Read]:
    for path in paths:
        document, stat = documents.read_with_stat(path)
        yield None if stat is None else stat_key(stat), documents.data_to_validate(document)


def _plain_records(paths: Sequence[Path]) -> Iterator[Read]:
    for stat, data in _front_matter(paths):
        model = None if data is None else _model(data)
        yield stat, None if model is None else _plain_record(model)


def _plain_record(model: Postmortem) -> tuple[Any, ...]:
    from pmctl.domain.lifecycle import review_from

    return record.to_plain(model, review_from=review_from(model))


def _model(data: dict[str, Any]) -> Postmortem | None:
    """The model of valid front matter, else None."""
    from pydantic import ValidationError

    from pmctl.domain.model import Postmortem

    try:
        return Postmortem.model_validate(data)
    except ValidationError:
        return None


def _validated(path: Path, data: dict[str, Any] | None) -> Postmortem | Invalid:
    model = None if data is None else _model(data)
    return _read_again(path) if model is None else model


def _from_plain(path: Path, data: tuple[Any, ...] | None) -> PostmortemRecord | Invalid:
    if data is not None:
        try:
            return record.from_plain(data)
        except (TypeError, ValueError, KeyError):  # not a record's data: read the file again
            pass
    again = _read_again(path)
    return again if isinstance(again, Invalid) else record.from_plain(_plain_record(again))


def _read_again(path: Path) -> Postmortem | Invalid:
    """The one reader again, for the first problem and its line (or, if the file was fixed
    meanwhile, the postmortem)."""
    try:
        return documents.load(path)[1]
    except DocumentError as error:
        return Invalid(error.location or str(path), error.message)


# Validating front matter costs about 0.3 of reading and parsing the file (0.19 s against
# 0.62 s for 10,000); front matter is cached even when it is not valid (it is validated
# again, and fails again).
_MODELS: _Kind[Postmortem] = _Kind(CACHE, (__version__,), _front_matter, _validated, cost_here=0.3)
# Unpacking and rebuilding a record and packing it for the cache cost ~35 µs against ~315 µs
# to read, parse, validate and make it (210 + 65 + 39); only valid postmortems have a record.
_RECORDS: _Kind[PostmortemRecord] = _Kind(
    RECORD_CACHE, (__version__, record.FORMAT), _plain_records, _from_plain, cost_here=0.11
)
