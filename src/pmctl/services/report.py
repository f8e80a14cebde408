"""`pmctl report`: open action items across every postmortem of the project."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pmctl.domain import report as domain
from pmctl.domain.document import Invalid
from pmctl.domain.enums import GroupBy
from pmctl.domain.project import Project
from pmctl.services.corpus import once_per_id, records, relative_key


@dataclass(frozen=True, slots=True)
class ReportResult:
    """The report, plus the files left out because they are not valid postmortems."""

    report: domain.Report
    invalid: tuple[Invalid, ...]


def build_report(
    project: Project,
    *,
    today: dt.date,
    filters: domain.Filters = domain.Filters(),
    group_by: GroupBy | None = None,
) -> ReportResult:
    """Read every postmortem's record (through the one reader) and build the report as of
    `today`; only the items the report lists are kept."""
    invalid: list[Invalid] = []
    read = records(project.postmortem_dir, root=project.root, invalid=invalid)
    entries = (
        (relative_key(path, project.root), postmortem)
        for path, postmortem in once_per_id(read, invalid)
    )
    report = domain.build(entries, today=today, filters=filters, group_by=group_by)
    return ReportResult(report, tuple(invalid))
