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
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pmctl.adapters.lint_cache import Stat, stat_key
from pmctl.adapters.parallel import collector_paused, map_chunks, processes, split, unchanged
from pmctl.domain.lint import Facts, Finding, Severity, check_document_with_facts, levels
from pmctl.domain.lint import check_facts_findings as repository_findings
from pmctl.domain.lint.registry import RULES_BY_ID
from pmctl.domain.lint.related_rules import RULE as SIMILAR_RULE

if TYPE_CHECKING:
    from pmctl.adapters.config_file import Project
    from pmctl.adapters.lint_cache import LintCache
    from pmctl.domain.config import Settings

PARALLEL_FROM = 1500
"""Below this many files to check, forking a second process costs more than it saves."""

CACHE_FROM = 20
"""Fewer files than this are checked directly, without reading or writing the cache."""

Payload = tuple[tuple[tuple[int, int, str, str, str, str], ...], tuple[Any, ...]]
"""One file's result as plain tuples, for the cache and the worker process:
((line, column, rule, severity, message, hint), ...), (id, id_line, related)."""

Checked = tuple[Stat | None, Payload]
"""A freshly checked file: its stat, taken just before it was read, and its payload."""


@dataclass(frozen=True, slots=True)
class LintResult:
    findings: tuple[Finding, ...]
    files_checked: int
    paths: tuple[Path, ...] = ()
    """The files checked, in order (for formats that list clean files too)."""

    @property
    def errors(self) -> int:
        return sum(1 for finding in self.findings if finding.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return len(self.findings) - self.errors

    def failed(self, *, strict: bool = False) -> bool:
        """Whether lint fails: on errors, or with `strict` on any finding."""
        return bool(self.findings) if strict else self.errors > 0


def lint(
    project: Project,
    paths: Sequence[Path] | None = None,
    *,
    today: dt.date,
    use_cache: bool = True,
) -> LintResult:
    """Lint `paths` (files or directories; default: every postmortem of the project).

    Never raises for a bad document: every problem is a finding. With only some paths, the
    repository-wide rules still see the other postmortems by file name.
    """
    with collector_paused():
        return _lint(project, paths, today=today, use_cache=use_cache)


def _lint(
    project: Project, paths: Sequence[Path] | None, *, today: dt.date, use_cache: bool
) -> LintResult:
    settings = project.settings
    files = _files(project, paths)
    # Checking a handful of files (a pre-commit run) is quicker than loading the cache.
    cache = _open_cache(project, today) if use_cache and len(files) >= CACHE_FROM else None
    payloads: dict[Path, Payload] = {}
    misses: list[Path] = []
    if cache is None or not cache.entries:
        misses = list(files)  # nothing to look up: the workers stat as they read
    else:
        # A run with nothing changed is this loop: one stat per file and a dict look-up.
        for path in files:
            try:
                cached = cache.get(str(path), stat_key(os.stat(path)))
            except OSError:
                cached = None
            if cached is None:
                misses.append(path)
            else:
                payloads[path] = cached
    for path, (stat, payload) in zip(misses, _check_many(misses, settings, today), strict=True):
        payloads[path] = payload
        if cache is not None and stat is not None:
            cache.put(str(path), stat, payload)
    if cache is not None:
        if paths is None:
            cache.retain({str(path) for path in files})
        cache.save()

    findings = [finding for path in files for finding in _decode(path, payloads[path][0])]
    others = None if paths is None else _other_ids(project.postmortem_dir, set(files))
    facts = [Facts(path, *payloads[path][1]) for path in files]
    findings.extend(repository_findings(facts, settings, texts=_Texts(), others=others))
    if levels(settings).get(SIMILAR_RULE) is not None:  # off by default: no index then
        findings.extend(_similar_findings(project, facts, every=paths is None))
    order = {path: index for index, path in enumerate(files)}
    findings.sort(key=lambda f: (order[f.path], f.line, f.column, f.rule))
    return LintResult(tuple(findings), len(files), tuple(files))


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
    """(stat, payload) of `paths` in order; in equal shares over the CPUs when there are many."""
    count = processes(len(paths), minimum=PARALLEL_FROM)
    if count == 1:
        return _check_chunk(paths, settings, today)
    return map_chunks(
        lambda chunk: _check_chunk(chunk, settings, today),
        split(paths, [1 / count] * count),
        unchanged,
    )


def _check_chunk(paths: Sequence[Path], settings: Settings, today: dt.date) -> list[Checked]:
    from pmctl.adapters import documents

    payloads: list[Checked] = []
    for path in paths:
        # The stat is of the open file, before reading: if the file changes after that, the
        # cache entry carries the old stat and the next run checks the file again.
        document, stat = documents.read_with_stat(path)
        findings, facts = check_document_with_facts(document, settings, today=today)
        rows = tuple(
            (f.line, f.column, f.rule, f.severity.value, f.message, f.hint) for f in findings
        )
        payloads.append(
            (
                None if stat is None else stat_key(stat),
                (rows, (facts.id, facts.id_line, facts.related)),
            )
        )
    return payloads


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
