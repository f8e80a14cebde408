"""Recurring causes: the postmortems that share a service and a cause, over time.

A cause is one of the library's tags (`cascading-failure`, `connection-pool`, ...). A
postmortem has the cause when it is tagged with it, or when its root causes or trigger
name it in so many words (`cascading failures` for `cascading-failure`): teams do not tag
every postmortem. A cluster is one service and one cause ("search, cascading-failure"),
or one cause across several services; it recurs when it has at least `minimum`
postmortems in the window, so that "the third cascading failure of the search service this
year" is seen.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from pmctl.domain.learning.labels import label_key, spellings
from pmctl.domain.learning.query import make_term
from pmctl.domain.learning.text import words
from pmctl.domain.model import Language


@dataclass(frozen=True, slots=True)
class Case:
    """A postmortem as the clustering sees it. `named` are the causes its text names."""

    id: str
    title: str
    date: dt.date
    services: tuple[str, ...]
    tags: tuple[str, ...]
    named: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Member:
    id: str
    title: str
    date: dt.date
    tagged: bool
    """Tagged with the cause (else found by its text)."""


@dataclass(frozen=True, slots=True)
class Cluster:
    """Postmortems sharing a cause, for one `service` (None: across `services`)."""

    cause: str
    service: str | None
    services: tuple[str, ...]
    members: tuple[Member, ...]
    """Oldest first."""
    recent: int
    """How many are in the window."""
    per_year: dict[int, int]

    def latest(self, *, until: dt.date) -> Member:
        """The latest member on or before `until`: the `recent`-th of the window (members
        after it, dated after an earlier `--today` or in the future, are not in it)."""
        return next(member for member in reversed(self.members) if member.date <= until)


@dataclass(frozen=True, slots=True)
class Trends:
    since: dt.date
    until: dt.date
    minimum: int
    clusters: tuple[Cluster, ...]
    language: Language = Language.EN
    """The language of its words (`default_language`)."""


def causes_of(cases: Iterable[Case]) -> list[str]:
    """Every tag of the library, lower case, as the causes to look for: one spelling of
    each (`labels.spellings`)."""
    return sorted(spellings(tag for case in cases for tag in case.tags).values())


def recurring(
    cases: Sequence[Case],
    *,
    since: dt.date,
    until: dt.date,
    minimum: int = 2,
    language: Language = Language.EN,
) -> Trends:
    """The clusters with at least `minimum` postmortems between `since` and `until`, most
    recent postmortems first, then most postmortems in all."""
    # Keyed by `label_key`, shown as `spellings` says: `Cascading Failure` and
    # `cascading-failures` are one cause, `Search` and `search` one service.
    cause_names = spellings(cause for case in cases for cause in (*case.tags, *case.named))
    service_names = spellings(service for case in cases for service in case.services)
    by_key: dict[tuple[str, str | None], list[tuple[Case, bool]]] = {}
    for case in cases:
        tags = {label_key(tag) for tag in case.tags}
        for cause in tags | {label_key(named) for named in case.named}:
            tagged = cause in tags
            by_key.setdefault((cause, None), []).append((case, tagged))
            for name in {label_key(service) for service in case.services}:
                by_key.setdefault((cause, name), []).append((case, tagged))
    clusters: list[Cluster] = []
    for (cause, service), found in by_key.items():
        members = sorted(
            (Member(case.id, case.title, case.date, tagged) for case, tagged in found),
            key=lambda member: (member.date, member.id),
        )
        recent = sum(1 for member in members if since <= member.date <= until)
        services = sorted({service_names[label_key(s)] for case, _ in found for s in case.services})
        if recent < minimum:
            continue
        if service is None and len(services) < 2:
            continue  # the same as its one service's cluster
        clusters.append(
            Cluster(
                cause_names[cause],
                None if service is None else service_names[service],
                tuple(services),
                tuple(members),
                recent,
                _per_year(members),
            )
        )
    clusters.sort(key=lambda c: (-c.recent, -len(c.members), c.cause, c.service or ""))
    return Trends(since, until, minimum, tuple(clusters), language)


def _per_year(members: Iterable[Member]) -> dict[int, int]:
    counts: dict[int, int] = {}
    for member in members:
        counts[member.date.year] = counts.get(member.date.year, 0) + 1
    return dict(sorted(counts.items()))


def ordinal(number: int) -> str:
    """`1st`, `2nd`, `3rd`, `11th`, `22nd`..."""
    if 10 <= number % 100 <= 20:
        return f"{number}th"
    return f"{number}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(number % 10, 'th') }"


def headline(
    cluster: Cluster, *, since: dt.date, until: dt.date, language: Language = Language.EN
) -> str:
    """`2 cascading-failure postmortems of search from 2025-11-23 to 2026-11-23: the
    latest, 2026-10-01-x, is the 2nd`, in English or Japanese."""
    latest = cluster.latest(until=until).id
    if language is Language.JA:
        where = cluster.service or f"{len(cluster.services)} サービス"
        return (
            f"{since.isoformat()} から {until.isoformat()} までの {where} の {cluster.cause} は "
            f"{cluster.recent} 件。最新の {latest} は {cluster.recent} 件目"
        )
    where = cluster.service or f"{len(cluster.services)} services"
    return (
        f"{cluster.recent} {cluster.cause} postmortem{'s' if cluster.recent != 1 else ''} "
        f"of {where} from {since.isoformat()} to {until.isoformat()}: the latest, "
        f"{latest}, is the {ordinal(cluster.recent)}"
    )


def named_causes(matches: Mapping[str, Iterable[str]]) -> dict[str, frozenset[str]]:
    """Postmortem id -> the causes its text names, from cause -> ids whose text names it."""
    found: dict[str, set[str]] = {}
    for cause, ids in matches.items():
        for postmortem_id in ids:
            found.setdefault(postmortem_id, set()).add(cause)
    return {postmortem_id: frozenset(causes) for postmortem_id, causes in found.items()}


def cause_expression(cause: str, column: str) -> str | None:
    """FTS5: the words of `cause` (a tag such as `cascading-failure`) close together in
    `column`, each matching its other forms; None if the tag has no words."""
    terms = [term for word in words(cause) if (term := make_term(word)) is not None]
    if not terms:
        return None
    if len(terms) == 1:
        return f"{{{column}}} : {terms[0].expression()}"
    return f"{{{column}}} : NEAR({' '.join(term.expression() for term in terms)}, 3)"
