"""Reading every postmortem of a project, fast, through the one reader, one at a time.

`report`, `stats`, `index` and `list` read thousands of files; they all come here, and a
document is valid or invalid for them exactly as for a command that `documents.load`s one
file: each file is read by `documents.read_with_stat` and its front matter
(`documents.data_to_validate`) validated against the model; a file that does not pass is
read again by `documents.load` for its first problem and the line of it.

`postmortems` hands out each model as soon as it is validated and keeps none: a command that
keeps only what it needs (the report's open items, the statistics' sums) holds a few MB for
10,000 postmortems, where all their models and parsed front matter held 400 MB.

What makes 10,000 files fast (budgets and figures in bench/README.md, measured by
bench/bench_report.py):
- reading and parsing, the bulk of the work, is spread over the CPUs (`adapters.parallel`);
  the processes send back the parsed front matter as plain data, and this process, which
  validates all of it, reads a smaller share;
- the cyclic garbage collector is paused meanwhile (the objects hold no cycles);
- given the project root, the front matter of an unchanged file is taken from the model
  cache (`adapters.cache`, each entry a `marshal` dump, loaded only when its turn comes)
  instead of being read and parsed again.
"""

from __future__ import annotations

import marshal
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pmctl.adapters import documents
from pmctl.adapters.cache import Stat, stat_key
from pmctl.adapters.parallel import collector_paused, ordered, processes, split
from pmctl.domain.document import Invalid
from pmctl.errors import DocumentError

if TYPE_CHECKING:
    from pmctl.adapters.cache import Cache
    from pmctl.domain.model import Postmortem

PARALLEL_FROM = 1_000
"""Below this many files a child process costs more than it saves."""

CACHE = "model-cache"


@dataclass(frozen=True, slots=True)
class Corpus:
    """Valid postmortems as `(path, model)` in path order, and the files that are not."""

    postmortems: tuple[tuple[Path, Postmortem], ...]
    invalid: tuple[Invalid, ...]

    @property
    def models(self) -> list[Postmortem]:
        return [model for _, model in self.postmortems]


Read = tuple[Stat | None, "dict[str, Any] | None"]
"""A file as read: its stat, taken before reading, and its front matter to validate (None:
the file has a problem of its own, such as malformed YAML). Plain data, for the pipe from a
worker process."""

VALIDATING_COST = 0.3
"""Validating a document's front matter costs about 0.3 of reading and parsing the file
(0.19 s against 0.62 s for 10,000 here). With n worker processes, this process reads the
share p and validates it while they read theirs, so that all finish together when
p (1 + 0.3) = (1 - p) / n; it validates their documents afterwards."""


def relative_key(path: Path, root: Path) -> str:
    """`path` relative to `root`, `/`-separated: `relative_to().as_posix()`, 30x faster."""
    prefix = str(root) + os.sep
    text = str(path)
    if text.startswith(prefix):
        return text[len(prefix) :].replace(os.sep, "/")
    return path.relative_to(root).as_posix()


def load_all(directory: Path, *, root: Path | None = None) -> Corpus:
    """Every postmortem under `directory` (as `documents.discover` finds them), all kept.

    With `root` (the project root), parsed front matter is cached between runs: an
    unchanged file is not read or parsed again.
    """
    invalid: list[Invalid] = []
    valid = tuple(postmortems(directory, root=root, invalid=invalid))
    return Corpus(valid, tuple(invalid))


def load_paths(paths: Sequence[Path], *, root: Path | None = None) -> Corpus:
    """The postmortems of the files `paths`, in that order, read as `load_all` reads them:
    for a caller that knows which files changed (`pmctl site build`)."""
    valid: list[tuple[Path, Postmortem]] = []
    invalid: list[Invalid] = []
    for path, outcome in zip(paths, _outcomes(paths, root), strict=True):
        if isinstance(outcome, Invalid):
            invalid.append(outcome)
        else:
            valid.append((path, outcome))
    return Corpus(tuple(valid), tuple(invalid))


def postmortems(
    directory: Path, *, root: Path | None = None, invalid: list[Invalid]
) -> Iterator[tuple[Path, Postmortem]]:
    """Every valid postmortem under `directory`, one at a time in path order; no model is
    kept once it is handed out. Each file that is not a valid postmortem is appended to
    `invalid` when its turn comes, so the list is complete once the iterator is.

    With `root` (the project root), parsed front matter is cached between runs: an
    unchanged file is not read or parsed again.
    """
    paths = documents.discover(directory)
    with collector_paused():
        for path, outcome in zip(paths, _outcomes(paths, root), strict=True):
            if isinstance(outcome, Invalid):
                invalid.append(outcome)
            else:
                yield path, outcome


def _outcomes(paths: Sequence[Path], root: Path | None) -> Iterator[Postmortem | Invalid]:
    """What each of `paths` is, in order: from the model cache where the file is unchanged
    (given `root`), else read now; the cache is updated at the end."""
    cache = None if root is None else _open_cache(root)
    keys = [] if root is None else [relative_key(path, root) for path in paths]
    cached: list[bytes | None] = [None] * len(paths)
    if cache is not None and cache.entries:  # (a cold run has nothing to look up)
        for index, key in enumerate(keys):
            try:
                cached[index] = cache.get(key, stat_key(os.stat(paths[index])))
            except OSError:
                continue
    misses = [index for index, blob in enumerate(cached) if blob is None]
    fresh = _read_all([paths[index] for index in misses])
    for index, blob in enumerate(cached):
        if blob is not None:
            yield _validated(paths[index], marshal.loads(blob))
            continue
        stat, data = next(fresh)
        if cache is not None and stat is not None and data is not None:
            cache.put(keys[index], stat, marshal.dumps(data))
        yield _validated(paths[index], data)
    if cache is not None:
        cache.retain(set(keys))
        cache.save()


def _open_cache(root: Path) -> Cache[bytes]:
    from pmctl import __version__
    from pmctl.adapters.cache import open_cache

    return open_cache(root, CACHE, (__version__,))


def _read_all(paths: Sequence[Path]) -> Iterator[Read]:
    """`_read` of `paths`, in order; spread over the CPUs when there are many."""
    count = processes(len(paths), minimum=PARALLEL_FROM)
    if count == 1:
        return _read(paths)
    workers = count - 1
    here = 1 / (1 + workers * (1 + VALIDATING_COST))
    shares = [here] + [(1 - here) / workers] * workers
    return ordered(_read, split(paths, shares), rescue=_read_crashed)


def _read(paths: Sequence[Path]) -> Iterator[Read]:
    for path in paths:
        document, stat = documents.read_with_stat(path)
        yield None if stat is None else stat_key(stat), documents.data_to_validate(document)


def _read_crashed(path: Path) -> Read:
    """A file the YAML engine crashed on in a worker, read with the fallback engine (this
    process's own share is read here: a crash there ends the command; lint reports it)."""
    from pmctl.adapters import yaml_engine

    with yaml_engine.fallback():
        return next(_read([path]))


def _validated(path: Path, data: dict[str, Any] | None) -> Postmortem | Invalid:
    from pydantic import ValidationError

    from pmctl.domain.model import Postmortem

    if data is not None:
        try:
            return Postmortem.model_validate(data)
        except ValidationError:
            pass
    return _read_again(path)


def _read_again(path: Path) -> Postmortem | Invalid:
    """The one reader again, for the first problem and its line (or, if the file was fixed
    meanwhile, the postmortem)."""
    try:
        return documents.load(path)[1]
    except DocumentError as error:
        return Invalid(error.location or str(path), error.message)
