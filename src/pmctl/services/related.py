"""`pmctl related ID`: the postmortems most like one, with the reasons for each rank; and
the suggestions of lint's related-link rule (PM704)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from pmctl.adapters import discovery, documents
from pmctl.domain.document import Invalid
from pmctl.domain.learning import related as ranking
from pmctl.domain.learning.indexing import CAUSE, SUMMARY, section_text
from pmctl.domain.learning.labels import label_key
from pmctl.domain.learning.related import Profile, Related, RelatedResult
from pmctl.domain.learning.text import terms
from pmctl.errors import DocumentError, NotFoundError
from pmctl.services.library import Library, read_library

if TYPE_CHECKING:
    from pmctl.adapters.search_index import Row
    from pmctl.domain.project import Project
    from pmctl.domain.sections import SectionNames

COLUMNS = ("summary", "cause")
"""The index columns compared: summary, root causes and trigger."""

TEXT_CANDIDATES = 40
"""How many of the best text matches (BM25) are read to measure their text similarity
(the rest count as 0)."""

DISTINCT_TERMS = 60
"""At most this many of the target's most frequent terms are weighed for the text query."""


@dataclass(frozen=True, slots=True)
class RelatedOutcome:
    result: RelatedResult
    invalid: tuple[Invalid, ...]


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A postmortem that should probably name `related` in its `related:` list."""

    postmortem_id: str
    related: Related


def related(project: Project, postmortem_id: str, *, limit: int = 5) -> RelatedOutcome:
    """The `limit` postmortems most like `postmortem_id` (or the file it names, as
    `discovery.id_of_argument` reads it); `NotFoundError` if there is none."""
    postmortem_id = discovery.id_of_argument(project.postmortem_dir, postmortem_id)

    def read(library: Library) -> RelatedOutcome:
        ranker = _Ranker(library, _names(project))
        row = library.index.row_of(postmortem_id)
        if row is None:
            _refuse_file_of(project, postmortem_id)
            raise NotFoundError(
                f"no valid postmortem with id {postmortem_id!r}",
                hint="`pmctl search` or `pmctl status --list` shows the ids",
            )
        ranked = tuple(ranker.rank(row, limit=limit))
        language = project.settings.default_language
        return RelatedOutcome(RelatedResult(_profile(row), ranked, language), library.invalid)

    return read_library(project, read)


def _refuse_file_of(project: Project, postmortem_id: str) -> None:
    """Say why the file of `postmortem_id` is no valid postmortem, as `show` says it (at its
    `file:line`, or that no file has the id, with the closest one): it was "no valid
    postmortem with id ...; `pmctl search` shows the ids" for a file with a merge conflict
    or a link leading out of the repository. Returns if the file is valid after all."""
    from pmctl.adapters.discovery import find_by_id
    from pmctl.adapters.documents import load

    load(find_by_id(project.postmortem_dir, postmortem_id))


def suggestions(
    project: Project, *, min_score: float, only: Collection[str] | None = None
) -> list[Suggestion]:
    """For each draft or in-review postmortem (of `only`, when given), the postmortems at
    least `min_score` alike that it does not link and that do not link it."""

    def read(library: Library) -> list[Suggestion]:
        ranker = _Ranker(library, _names(project))
        found: list[Suggestion] = []
        for row in ranker.rows:
            if row.status not in ("draft", "in-review") or (
                only is not None and row.id not in only
            ):
                continue
            for candidate in ranker.rank(row, limit=3):
                if candidate.score >= min_score and not candidate.linked:
                    found.append(Suggestion(row.id, candidate))
        return found

    return read_library(project, read)


def _names(project: Project) -> SectionNames:
    from pmctl.domain.sections import section_names

    return section_names(project.settings.lint.section_aliases)


def _profile(row: Row) -> Profile:
    return Profile(row.id, row.title, row.date, row.status, row.services, row.tags)


class _Ranker:
    """Ranks the library against one postmortem after another (the rows and the label
    weights are read once)."""

    def __init__(self, library: Library, names: SectionNames) -> None:
        self._library = library
        self._names = names

    @cached_property
    def rows(self) -> list[Row]:
        return self._library.index.rows()

    @cached_property
    def _weights(self) -> dict[str, float]:
        return ranking.label_weights(_profile(row) for row in self.rows)

    @cached_property
    def _by_label(self) -> dict[str, list[Row]]:
        """`service:x` / `tag:y` -> the rows that have it."""
        found: dict[str, list[Row]] = {}
        for row in self.rows:
            for label in _labels(row):
                found.setdefault(label, []).append(row)
        return found

    @cached_property
    def _by_rowid(self) -> dict[int, Row]:
        return {row.rowid: row for row in self.rows}

    def rank(self, target: Row, *, limit: int) -> list[Related]:
        read: dict[int, _Read | None] = {}

        def read_row(row: Row) -> _Read | None:
            if row.rowid not in read:
                read[row.rowid] = self._read(row)
            return read[row.rowid]

        mine = read_row(target)
        telling = self._telling(mine.terms) if mine is not None else []
        similarity: dict[int, float] = {}
        for rowid in self._text_candidates(target, telling):
            theirs = read_row(self._by_rowid[rowid])
            if theirs is not None:
                similarity[rowid] = ranking.text_similarity(telling, theirs.term_set)
        # Only a postmortem with a label in common or a similar text can score above 0.
        candidates = {row.rowid: row for label in _labels(target) for row in self._by_label[label]}
        candidates.update((rowid, self._by_rowid[rowid]) for rowid in similarity)
        candidates.pop(target.rowid, None)
        me = _profile(target)
        scored: list[tuple[float, Row, tuple[ranking.Reason, ...]]] = []
        for row in sorted(candidates.values(), key=lambda row: row.id):
            points, reasons = ranking.score(
                me, _profile(row), similarity.get(row.rowid, 0.0), self._weights
            )
            if points > 0:
                scored.append((points, row, reasons))
        scored.sort(key=lambda item: item[1].date, reverse=True)  # ties: the newest first
        scored.sort(key=lambda item: item[0], reverse=True)
        links = set(mine.related) if mine is not None else set()
        best: list[Related] = []
        for points, row, reasons in scored[:limit]:
            theirs = read_row(row)
            shared = theirs.term_set if theirs is not None else frozenset()
            words = [item.word for item in telling if item.term in shared]
            linked = row.id in links or (theirs is not None and target.id in theirs.related)
            best.append(Related(_profile(row), points, ranking.with_words(reasons, words), linked))
        return best

    def _read(self, row: Row) -> _Read | None:
        """The postmortem's `related` ids and the terms of its summary and cause, as the
        file says now; None if it cannot be read as a postmortem."""
        from pmctl.domain.lint.body import parse_body

        try:
            document, model = documents.load(self._library.path_of(row.key))
        except DocumentError:
            return None
        body = parse_body(document.body, document.body_line, self._names)
        found = terms(section_text(body, SUMMARY + CAUSE))
        return _Read(tuple(model.related), found, frozenset(term for term, _ in found))

    def _telling(self, found: list[tuple[str, str]]) -> list[ranking.Telling]:
        index = self._library.index
        counted: dict[str, int] = {}
        for term, _ in found:
            counted[term] = counted.get(term, 0) + 1
        frequent = sorted(counted, key=lambda term: -counted[term])[:DISTINCT_TERMS]
        frequency = {term: index.count(ranking.text_query([term], COLUMNS)) for term in frequent}
        kept = [(term, word) for term, word in found if term in frequency]
        return ranking.telling_terms(kept, frequency, max(index.live(), 1))

    def _text_candidates(self, target: Row, telling: list[ranking.Telling]) -> list[int]:
        """Row ids of the postmortems that best match the target's telling terms."""
        if not telling:
            return []
        scores = self._library.index.scores(
            ranking.text_query([item.term for item in telling], COLUMNS), limit=TEXT_CANDIDATES
        )
        return [rowid for rowid in scores if rowid != target.rowid and rowid in self._by_rowid]


@dataclass(frozen=True, slots=True)
class _Read:
    """What ranking reads of a postmortem's file."""

    related: tuple[str, ...]
    terms: list[tuple[str, str]]
    term_set: frozenset[str]


def _labels(row: Row) -> set[str]:
    return {f"service:{label_key(value)}" for value in row.services} | {
        f"tag:{label_key(value)}" for value in row.tags
    }
