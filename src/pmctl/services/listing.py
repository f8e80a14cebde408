"""`pmctl list` (and `pmctl status --list`): every postmortem with its standing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from pmctl.domain import lifecycle
from pmctl.domain.document import Invalid
from pmctl.domain.listing import ListFilters
from pmctl.domain.project import Project
from pmctl.domain.status_report import Listing, Row
from pmctl.services.corpus import records


def list_postmortems(
    project: Project, *, today: dt.date, filters: ListFilters | None = None
) -> Listing:
    """The postmortems `filters` admit, with their status and review deadline, in path
    order; and the files that are not valid postmortems."""
    invalid: list[Invalid] = []
    rows = tuple(each_row(project, today=today, filters=filters, invalid=invalid))
    return Listing(rows=rows, invalid=tuple(invalid))


def each_row(
    project: Project, *, today: dt.date, filters: ListFilters | None = None, invalid: list[Invalid]
) -> Iterator[Row]:
    """`list_postmortems`'s rows one at a time, for output that need not hold them all
    (`list --format json`); each file that is not a valid postmortem is appended to
    `invalid` when its turn comes, so the list is complete once the iterator is."""
    settings = project.settings
    chosen = filters or ListFilters()
    for path, postmortem in records(project.postmortem_dir, root=project.root, invalid=invalid):
        deadline = lifecycle.review_deadline(postmortem, settings)
        overdue = lifecycle.is_overdue(postmortem, deadline, today)
        row = Row(path=path, postmortem=postmortem, deadline=deadline, overdue=overdue)
        if chosen.admits(row):
            yield row


def postmortem_ids(project: Project) -> list[str]:
    """The ids of the project's postmortems, from their file names alone (for completion)."""
    from pmctl.adapters import discovery

    return [path.stem for path in discovery.discover(project.postmortem_dir)]
