"""`pmctl lint`: every finding in every postmortem (or in the given paths), with a cache.

The per-file rules run on files whose stat changed since the last run (or on all of them the
first time), in two processes when there are many; the repository-wide rules then run on
the cached and fresh `Facts` of all files together. A file's findings never depend on
other files, so caching them per file is exact.

Files are handled as lists in discovery order and keyed by their path strings: hashing
10,000 `Path` objects a few times cost a third of a run served from the cache.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from pmctl.adapters.cache import Stat, stat_key
from pmctl.adapters.parallel import can_isolate, collector_paused, ordered, processes, split
from pmctl.domain.lint import (
    Facts,
    Finding,
    Severity,
    check_document_with_facts,
    check_unread,
    levels,
    repository_findings,
    repository_hits,
)
from pmctl.domain.lint.findings import LintResult
from pmctl.domain.lint.registry import RELATED_SUGGESTED, RULES_BY_ID

if TYPE_CHECKING:
    from pmctl.adapters.cache import Cache
    from pmctl.adapters.discovery import Survey
    from pmctl.domain.config import Settings
    from pmctl.domain.document import ParsedDocument
    from pmctl.domain.lint.context import Hit
    from pmctl.domain.project import Project

PARALLEL_FROM = 1500
"""Below this many files to check, forking a second process costs more than it saves."""

CACHE_FROM = 20
"""Fewer files than this are checked directly, without reading or writing the cache."""

CACHE = "lint-cache"

Row = tuple[int, int, str, str, str, str]
"""A finding as plain data: (line, column, rule, severity, message, hint)."""

FileResult = tuple[tuple[Row, ...], tuple[str | None, int, tuple[tuple[str, int], ...]]]
"""One file's findings and `Facts` (id, id_line, related) as plain data, for the cache and
the worker process."""

Checked = tuple[Stat | None, FileResult]
"""A freshly checked file: its stat, taken just before it was read, and its result."""


def lint(
    project: Project,
    paths: Sequence[Path] | None = None,
    *,
    today: dt.date,
    use_cache: bool = True,
    hook: bool = False,
) -> LintResult:
    """Lint `paths` (files or directories; default: every postmortem of the project).

    Never raises for a bad document: every problem is a finding. With only some paths, the
    repository-wide rules still see the other postmortems by file name. With `hook` (a git
    hook's gate on a commit), errors that only the passing of time creates — a review
    deadline — are warnings: they fail CI and reports, never the commit of the work.
    """
    with collector_paused():
        result = _lint(project, paths, today=today, use_cache=use_cache)
    if not hook:
        return result
    return replace(result, findings=tuple(_as_commit_gate(f) for f in result.findings))


def _as_commit_gate(finding: Finding) -> Finding:
    if finding.severity is Severity.ERROR and RULES_BY_ID[finding.rule].depends_on_date:
        return replace(finding, severity=Severity.WARNING)
    return finding


def _lint(
    project: Project, paths: Sequence[Path] | None, *, today: dt.date, use_cache: bool
) -> LintResult:
    """Each file's findings (from the cache, or checked now), then the repository-wide
    rules over all of them, then the files lint does not read."""
    surveys = _surveys(project, paths)
    files = _files(paths, surveys)
    keys = [str(path) for path in files]
    results = _per_file(project, files, keys, whole=paths is None, today=today, cache=use_cache)
    findings = [
        finding
        for path, (rows, _) in zip(files, results, strict=True)
        for finding in _decode(path, rows)
    ]
    facts = [Facts(path, *fact) for path, (_, fact) in zip(files, results, strict=True)]
    others = None if paths is None else _other_ids(project.postmortem_dir, keys, facts)
    hits = repository_hits(facts, others=others)
    if (
        levels(project.settings).get(RELATED_SUGGESTED.id) is not None
    ):  # off by default: no index then
        for path, similar in _similar_hits(project, facts, every=paths is None).items():
            hits.setdefault(path, []).extend(similar)
    findings.extend(repository_findings(hits, project.settings, {p: _text(p) for p in hits}))
    strays = [stray for found in surveys.values() for stray in found.strays]
    links = [link for found in surveys.values() for link in found.links_out]
    not_utf8 = [path for found in surveys.values() for path in found.not_utf8]
    not_files = [path for found in surveys.values() for path in found.not_files]
    findings.extend(check_unread(strays, links, not_utf8, not_files, project.settings))
    unread = [*strays, *(link for link, _ in links), *not_utf8, *not_files]
    order = {key: index for index, key in enumerate([*keys, *map(str, unread)])}
    findings.sort(key=lambda f: (order[str(f.path)], f.line, f.column, f.rule))
    return LintResult(tuple(findings), len(files), tuple(files))


def _per_file(
    project: Project,
    files: list[Path],
    keys: list[str],
    *,
    whole: bool,
    today: dt.date,
    cache: bool,
) -> list[FileResult]:
    """The result of every file, in order: cached where its stat is unchanged, else checked
    (and cached). `whole`: `files` are all the project's, so the cache forgets the rest."""
    # Checking a handful of files (a pre-commit run) is quicker than loading the cache.
    store = _open_cache(project, today) if cache and len(files) >= CACHE_FROM else None
    results = _cached(store, keys)
    misses = [index for index, result in enumerate(results) if result is None]
    checked = _check_many([files[index] for index in misses], project.settings, today)
    for index, (stat, result) in zip(misses, checked, strict=True):
        results[index] = result
        if store is not None and stat is not None:
            store.put(keys[index], stat, result)
    if store is not None:
        if whole:
            store.retain(set(keys))
        store.save()
    return [result for result in results if result is not None]  # (all of them, now)


def _cached(store: Cache[FileResult] | None, keys: list[str]) -> list[FileResult | None]:
    """The result `store` holds for each file whose stat is unchanged, else None."""
    found: list[FileResult | None] = [None] * len(keys)
    if store is None or not store.entries:
        return found  # nothing to look up: the workers stat as they read
    # A run with nothing changed is this loop: one stat per file and a dict look-up.
    for index, key in enumerate(keys):
        try:
            found[index] = store.get(key, stat_key(os.stat(key)))
        except OSError:
            continue
    return found


def _surveys(project: Project, paths: Sequence[Path] | None) -> dict[Path, Survey]:
    """One walk of each directory lint reads (the postmortem directory, or the directories
    among `paths`, resolved): its postmortems, and what it holds that lint does not read
    (files that are not `.md`; `.md` links leading out of the postmortem directory)."""
    from pmctl.adapters import discovery

    directories = (
        [project.postmortem_dir]
        if paths is None
        # os.path.isdir: a path that cannot be a directory (too long a name) is a file to
        # report as unreadable, where Path.is_dir raises on Python 3.11.
        else [given.resolve() for given in paths if os.path.isdir(given)]
    )
    return {d: discovery.survey(d, within=_boundary(project, d)) for d in directories}


def _boundary(project: Project, directory: Path) -> Path:
    """Where links may lead from `directory`: the postmortem directory, or `directory`
    itself when it is outside it."""
    home = project.postmortem_dir.resolve()
    return home if directory.resolve().is_relative_to(home) else directory


def _similar_hits(project: Project, facts: list[Facts], *, every: bool) -> dict[Path, list[Hit]]:
    """PM704: what the search index finds very like the checked drafts and in-review
    postmortems, and they do not link."""
    from pmctl.domain.learning.related import reason_text
    from pmctl.domain.lint import Similar, similar_hits
    from pmctl.services.related import suggestions

    found = suggestions(
        project,
        min_score=project.settings.lint.related_min_score,
        only=None if every else {fact.id for fact in facts if fact.id is not None},
    )
    similar = [
        Similar(
            suggestion.postmortem_id,
            suggestion.related.profile.id,
            suggestion.related.score,
            tuple(reason_text(reason) for reason in suggestion.related.reasons),
        )
        for suggestion in found
    ]
    return similar_hits(facts, similar)


def _other_ids(directory: Path, checked: list[str], facts: list[Facts]) -> dict[str, Path]:
    """The postmortems not being checked that the repository rules ask about — those whose
    ids (file names) the checked files use or link to — by id.

    Walks names only: a pre-commit run checks one file in a repository of thousands.
    """
    ids = {fact.id for fact in facts} | {name for fact in facts for name, _ in fact.related}
    wanted = {f"{id_}.md" for id_ in ids if id_ is not None and not id_.startswith(".")}
    skip = set(checked)
    found: dict[str, Path] = {}
    for current, subdirectories, names in os.walk(directory):
        subdirectories[:] = [name for name in subdirectories if not name.startswith(".")]
        # One set intersection per directory instead of three tests per name: a third of
        # the walk through 10,000 names.
        for name in wanted.intersection(names):
            path = os.path.join(current, name)
            if path not in skip and name[:-3] not in found:
                found[name[:-3]] = Path(path)
    return found


def _files(paths: Sequence[Path] | None, surveys: dict[Path, Survey]) -> list[Path]:
    """The files to check: every postmortem surveyed, or `paths` with each directory
    among them replaced by its postmortems, in order, each file once."""
    if paths is None:
        return next(iter(surveys.values())).postmortems
    found: dict[Path, None] = {}
    for given in paths:
        # Resolved like the project root, so that a file given by a relative or symlinked
        # path is recognised as the same file as the one discovered.
        path = given.resolve()
        found.update(dict.fromkeys(surveys[path].postmortems if path in surveys else [path]))
    return list(found)


def _text(path: Path) -> str:
    """A file's text for its disable comments; only files with repository-wide findings
    are read again for it."""
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _open_cache(project: Project, today: dt.date) -> Cache[FileResult]:
    import hashlib

    from pmctl import __version__
    from pmctl.adapters.cache import open_cache

    settings = hashlib.sha256(project.settings.model_dump_json().encode()).hexdigest()
    return open_cache(project.root, CACHE, (__version__, settings, today.isoformat()))


def _check_many(paths: list[Path], settings: Settings, today: dt.date) -> list[Checked]:
    """(stat, result) of `paths` in order; in equal shares over the CPUs when there are many.

    The files are read in child processes, never in this one: a crash of the YAML engine
    (native code) on a file then ends a child, and the file becomes a PM014 finding instead
    of the end of `pmctl lint` (measured: one fork adds ~3 ms to a pre-commit run).
    """
    count = processes(len(paths), minimum=PARALLEL_FROM)
    if not paths or not can_isolate():
        return _check_chunk(paths, settings, today)
    return list(
        ordered(
            lambda chunk: _check_chunk(chunk, settings, today),
            split(paths, [1 / count] * count),
            rescue=lambda path: _check_crashed(path, settings, today),
            isolate=True,
        )
    )


def _check_chunk(paths: Sequence[Path], settings: Settings, today: dt.date) -> list[Checked]:
    from pmctl.adapters import documents

    checked: list[Checked] = []
    for path in paths:
        # The stat is of the open file, before reading: if the file changes after that, the
        # cache entry carries the old stat and the next run checks the file again.
        document, stat = documents.read_with_stat(path)
        checked.append(_checked(document, stat, settings, today))
    return checked


def _check_crashed(path: Path, settings: Settings, today: dt.date) -> Checked:
    """A file the YAML engine crashed on: read with the fallback engine, and PM014 on it."""
    from dataclasses import replace

    from pmctl.adapters import documents, yaml_engine
    from pmctl.domain.document import Problem

    with yaml_engine.fallback():
        document, stat = documents.read_with_stat(path)
    crash = Problem(
        "engine-crash",
        "the YAML engine (yaml-rs) crashed on this front matter; it was read with the "
        "fallback engine (PyYAML) instead",
        f"other commands may die on this file: run them with {yaml_engine.ENGINE_VARIABLE}="
        f"{yaml_engine.PYYAML}, and report the file to the pmctl maintainers",
        max(document.front_matter_line, 1),
    )
    document = replace(document, problems=(crash, *document.problems))
    return _checked(document, stat, settings, today)


def _checked(
    document: ParsedDocument, stat: os.stat_result | None, settings: Settings, today: dt.date
) -> Checked:
    findings, facts = check_document_with_facts(document, settings, today=today)
    rows = tuple((f.line, f.column, f.rule, f.severity.value, f.message, f.hint) for f in findings)
    return (
        None if stat is None else stat_key(stat),
        (rows, (facts.id, facts.id_line, facts.related)),
    )


def _decode(path: Path, rows: tuple[Row, ...]) -> Iterator[Finding]:
    for line, column, rule, severity, message, hint in rows:
        yield Finding(
            path, line, column, rule, RULES_BY_ID[rule].name, Severity(severity), message, hint
        )
