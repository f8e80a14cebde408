"""`pmctl lint`: every finding in every postmortem (or in the given paths), with a cache.

The per-file rules run on files whose stat changed since the last run (or on all of them the
first time), in two processes when there are many; the repository-wide rules then run on
the cached and fresh `Facts` of all files together. A file's findings never depend on
other files, so caching them per file is exact.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pmctl.adapters.lint_cache import Stat, stat_key
from pmctl.adapters.parallel import (
    can_isolate,
    collector_paused,
    map_chunks,
    processes,
    split,
    unchanged,
)
from pmctl.domain.lint import (
    Facts,
    Finding,
    Severity,
    check_document_with_facts,
    check_strays,
    levels,
)
from pmctl.domain.lint import check_facts_findings as repository_findings
from pmctl.domain.lint.findings import LintResult
from pmctl.domain.lint.registry import RULES_BY_ID
from pmctl.domain.lint.related_rules import RULE as SIMILAR_RULE

if TYPE_CHECKING:
    from pmctl.adapters.lint_cache import LintCache
    from pmctl.domain.config import Settings
    from pmctl.domain.document import ParsedDocument
    from pmctl.domain.project import Project

PARALLEL_FROM = 1500
"""Below this many files to check, forking a second process costs more than it saves."""

CACHE_FROM = 20
"""Fewer files than this are checked directly, without reading or writing the cache."""

Payload = tuple[tuple[tuple[int, int, str, str, str, str], ...], tuple[Any, ...]]
"""One file's result as plain tuples, for the cache and the worker process:
((line, column, rule, severity, message, hint), ...), (id, id_line, related)."""

Checked = tuple[Stat | None, Payload]
"""A freshly checked file: its stat, taken just before it was read, and its payload."""


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
    files = _files(project, paths)
    payloads = _per_file(project, files, whole=paths is None, today=today, use_cache=use_cache)
    findings = [finding for path in files for finding in _decode(path, payloads[path][0])]
    others = None if paths is None else _other_ids(project.postmortem_dir, set(files))
    facts = [Facts(path, *payloads[path][1]) for path in files]
    findings.extend(repository_findings(facts, project.settings, texts=_Texts(), others=others))
    if levels(project.settings).get(SIMILAR_RULE) is not None:  # off by default: no index then
        findings.extend(_similar_findings(project, facts, every=paths is None))
    strays = _strays(project, paths)
    findings.extend(check_strays(strays, project.settings))
    order = {path: index for index, path in enumerate([*files, *strays])}
    findings.sort(key=lambda f: (order[f.path], f.line, f.column, f.rule))
    return LintResult(tuple(findings), len(files), tuple(files))


def _per_file(
    project: Project, files: list[Path], *, whole: bool, today: dt.date, use_cache: bool
) -> dict[Path, Payload]:
    """The per-file result of every file: cached where its stat is unchanged, else checked
    (and cached). `whole`: `files` are all the project's, so the cache forgets the rest."""
    # Checking a handful of files (a pre-commit run) is quicker than loading the cache.
    cache = _open_cache(project, today) if use_cache and len(files) >= CACHE_FROM else None
    payloads = _cached(cache, files)
    misses = [path for path in files if path not in payloads]
    checked = _check_many(misses, project.settings, today)
    for path, (stat, payload) in zip(misses, checked, strict=True):
        payloads[path] = payload
        if cache is not None and stat is not None:
            cache.put(str(path), stat, payload)
    if cache is not None:
        if whole:
            cache.retain({str(path) for path in files})
        cache.save()
    return payloads


def _cached(cache: LintCache | None, files: list[Path]) -> dict[Path, Payload]:
    """The payloads `cache` holds for files whose stat is unchanged."""
    if cache is None or not cache.entries:
        return {}  # nothing to look up: the workers stat as they read
    found: dict[Path, Payload] = {}
    # A run with nothing changed is this loop: one stat per file and a dict look-up.
    for path in files:
        try:
            cached = cache.get(str(path), stat_key(os.stat(path)))
        except OSError:
            continue
        if cached is not None:
            found[path] = cached
    return found


def _strays(project: Project, paths: Sequence[Path] | None) -> list[Path]:
    """Files lint does not read, under the directories it lints (none for single files)."""
    from pmctl.adapters import documents

    if paths is None:
        return documents.discover_strays(project.postmortem_dir)
    return [
        stray
        for given in paths
        if given.is_dir()
        for stray in documents.discover_strays(given.resolve())
    ]


def _similar_findings(project: Project, facts: list[Facts], *, every: bool) -> list[Finding]:
    """PM704: what the search index finds very like the checked drafts and in-review
    postmortems, and they do not link."""
    from pmctl.domain.learning.related import reason_text
    from pmctl.domain.lint import Similar, check_similar_findings
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
    return check_similar_findings(facts, similar, project.settings, texts=_Texts())


def _other_ids(directory: Path, checked: set[Path]) -> Mapping[str, Path]:
    """Ids (file names) of the postmortems not being checked, for the repository rules.

    Walks names only and makes a Path only for an id that is asked for: a pre-commit run
    checks one file in a repository of thousands.
    """
    skip = {str(path) for path in checked}
    found: dict[str, str] = {}
    for current, subdirectories, names in os.walk(directory):
        subdirectories[:] = [name for name in subdirectories if not name.startswith(".")]
        for name in names:
            if name.endswith(".md") and not name.startswith("."):
                path = os.path.join(current, name)
                if path not in skip:
                    found.setdefault(name[:-3], path)
    return _PathsByName(found)


class _PathsByName(Mapping[str, Path]):
    def __init__(self, paths: dict[str, str]) -> None:
        self._paths = paths

    def __getitem__(self, key: str) -> Path:
        return Path(self._paths[key])

    def __contains__(self, key: object) -> bool:
        return key in self._paths

    def __iter__(self) -> Iterator[str]:
        return iter(self._paths)

    def __len__(self) -> int:
        return len(self._paths)


def _files(project: Project, paths: Sequence[Path] | None) -> list[Path]:
    from pmctl.adapters import documents

    if paths is None:
        return documents.discover(project.postmortem_dir)
    found: dict[Path, None] = {}
    for given in paths:
        # Resolved like the project root, so that a file given by a relative or symlinked
        # path is recognised as the same file as the one discovered.
        path = given.resolve()
        for file in documents.discover(path) if path.is_dir() else [path]:
            found[file] = None
    return list(found)


def _open_cache(project: Project, today: dt.date) -> LintCache:
    from pmctl import __version__
    from pmctl.adapters.lint_cache import open_cache

    return open_cache(
        project.root,
        version=__version__,
        settings_json=project.settings.model_dump_json(),
        day=today.isoformat(),
    )


def _check_many(paths: list[Path], settings: Settings, today: dt.date) -> list[Checked]:
    """(stat, payload) of `paths` in order; in equal shares over the CPUs when there are many.

    The files are read in child processes, never in this one: a crash of the YAML engine
    (native code) on a file then ends a child, and the file becomes a PM014 finding instead
    of the end of `pmctl lint` (measured: one fork adds ~3 ms to a pre-commit run).
    """
    count = processes(len(paths), minimum=PARALLEL_FROM)
    if not paths or not can_isolate():
        return _check_chunk(paths, settings, today)
    return map_chunks(
        lambda chunk: _check_chunk(chunk, settings, today),
        split(paths, [1 / count] * count),
        unchanged,
        rescue=lambda path: _check_crashed(path, settings, today),
        isolate=True,
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


def _decode(path: Path, rows: tuple[tuple[int, int, str, str, str, str], ...]) -> Iterator[Finding]:
    for line, column, rule, severity, message, hint in rows:
        yield Finding(
            path, line, column, rule, RULES_BY_ID[rule].name, Severity(severity), message, hint
        )


class _Texts(Mapping[Path, str]):
    """File texts read on demand: only files with repository-wide findings need theirs
    (for their `pmctl-disable-file` comments)."""

    def __getitem__(self, path: Path) -> str:
        try:
            return path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            raise KeyError(path) from None

    def __iter__(self) -> Iterator[Path]:
        return iter(())

    def __len__(self) -> int:
        return 0
