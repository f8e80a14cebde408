"""`pmctl trends`: recurring causes — postmortems sharing a service and a cause over time.

Read from the search index (`services.library`): the causes are the library's tags, and a
postmortem that is not tagged with one still counts when its root causes or trigger name it
(an FTS5 query per tag on the cause column).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pmctl.domain.document import Invalid
from pmctl.domain.learning.recurring import (
    Case,
    Trends,
    cause_expression,
    causes_of,
    named_causes,
    recurring,
)
from pmctl.domain.years import year_before
from pmctl.services.library import Library, read_library

if TYPE_CHECKING:
    from pmctl.domain.project import Project


@dataclass(frozen=True, slots=True)
class TrendsOutcome:
    trends: Trends
    invalid: tuple[Invalid, ...]


def trends(
    project: Project, *, today: dt.date, since: dt.date | None = None, minimum: int = 2
) -> TrendsOutcome:
    """Clusters with at least `minimum` postmortems from `since` (default: a year before
    `today`) to `today`."""
    start = since or year_before(today)

    def read(library: Library) -> TrendsOutcome:
        rows = library.index.rows()
        cases = [
            Case(row.id, row.title, dt.date.fromisoformat(row.date), row.services, row.tags)
            for row in rows
        ]
        ids = {row.rowid: row.id for row in rows}
        matches: dict[str, list[str]] = {}
        for cause in causes_of(cases):
            expression = cause_expression(cause, "cause")
            if expression is not None:
                found = library.index.matching(expression)
                matches[cause] = [ids[rowid] for rowid in found if rowid in ids]
        named = named_causes(matches)
        cases = [
            Case(
                case.id,
                case.title,
                case.date,
                case.services,
                case.tags,
                named.get(case.id, frozenset()),
            )
            for case in cases
        ]
        return TrendsOutcome(
            recurring(
                cases,
                since=start,
                until=today,
                minimum=minimum,
                language=project.settings.default_language,
            ),
            library.invalid,
        )

    return read_library(project, read)
