"""`pmctl list` (and `pmctl status --list`): every postmortem with its standing."""

from __future__ import annotations

import datetime as dt

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
    settings = project.settings
    chosen = filters or ListFilters()
    invalid: list[Invalid] = []
    rows = []
    for path, postmortem in records(project.postmortem_dir, root=project.root, invalid=invalid):
        deadline = lifecycle.review_deadline(postmortem, settings)
        overdue = lifecycle.is_overdue(postmortem, deadline, today)
        row = Row(path=path, postmortem=postmortem, deadline=deadline, overdue=overdue)
        if chosen.admits(row):
            rows.append(row)
    return Listing(rows=tuple(rows), invalid=tuple(invalid))


def postmortem_ids(project: Project) -> list[str]:
    """The ids of the project's postmortems, from their file names alone (for completion)."""
    from pmctl.adapters import documents

    return [path.stem for path in documents.discover(project.postmortem_dir)]
