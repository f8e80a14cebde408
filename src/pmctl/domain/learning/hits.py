"""What `pmctl search` finds: hits with their snippets, ranked."""

from __future__ import annotations

from dataclasses import dataclass

from pmctl.domain.learning.query import Query
from pmctl.domain.learning.snippet import Snippet


@dataclass(frozen=True, slots=True)
class Hit:
    """One postmortem that matches, with what the result list shows of it.

    `score` is BM25 (higher is better; 0 when the query had no words); `path` is relative
    to the project root."""

    id: str
    title: str
    path: str
    date: str
    status: str
    severity: str
    services: tuple[str, ...]
    tags: tuple[str, ...]
    score: float
    snippet: Snippet


@dataclass(frozen=True, slots=True)
class SearchResults:
    """The best `hits` of the `total` postmortems that match `query`."""

    query: Query
    total: int
    hits: tuple[Hit, ...]
