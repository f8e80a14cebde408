"""`pmctl search`: full text and metadata filters over every postmortem, ranked by BM25."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from pmctl.adapters import documents
from pmctl.domain.document import Invalid
from pmctl.domain.learning import snippet
from pmctl.domain.learning.hits import Hit, SearchResults
from pmctl.domain.learning.indexing import readable
from pmctl.domain.learning.query import Filters, Query, QueryError, parse
from pmctl.errors import UsageError
from pmctl.services.library import Library, read_library

if TYPE_CHECKING:
    from pathlib import Path

    from pmctl.adapters.search_index import Row
    from pmctl.domain.project import Project

SYNTAX_HINT = (
    'words must all match; "a phrase", NOT word, a OR b; filters: service: tag: severity: '
    "status: owner: since: until: date:2025-01..2025-06"
)


@dataclass(frozen=True, slots=True)
class SearchOutcome:
    """The results, and the files left out because they are not valid postmortems."""

    results: SearchResults
    invalid: tuple[Invalid, ...]


def parse_query(text: str) -> Query:
    """The query `text` means; `UsageError` naming what is wrong with it."""
    try:
        query = parse(text)
    except QueryError as error:
        raise UsageError(str(error), hint=SYNTAX_HINT) from None
    if not query.clauses and query.filters == Filters():
        raise UsageError("nothing to search for", hint=SYNTAX_HINT)
    return query


def search(project: Project, text: str, *, limit: int = 10, offset: int = 0) -> SearchOutcome:
    """The `limit` best matches of the query `text` from `offset` (see `learning.query`)."""
    query = parse_query(text)

    def read(library: Library) -> SearchOutcome:
        total, found = library.index.search(
            query.match_expression(),
            query.filters,
            limit=limit,
            offset=offset,
            excluded=query.exclusion_expression(),
        )
        hits = tuple(
            _hit(row, score, snippet.make(_body(library.path_of(row.key)), query.terms))
            for row, score in found
        )
        return SearchOutcome(SearchResults(query, total, hits), library.invalid)

    return read_library(project, read)


def _body(path: Path) -> str:
    """The body of the file as it is now, without generated parts; its front matter is not
    parsed (loading the YAML parser and parsing ten hits' was 2 % of a later search)."""
    return readable(documents.read_text_and_body(path)[1])


def _hit(row: Row, score: float, found: snippet.Snippet) -> Hit:
    return Hit(
        id=row.id,
        title=row.title,
        path=row.key,
        date=row.date,
        status=row.status,
        severity=row.severity,
        services=row.services,
        tags=row.tags,
        score=score,
        snippet=found,
    )
