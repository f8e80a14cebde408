"""`pmctl list`: which postmortems to show, by status, severity, service, owner and date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pmctl.domain.enums import Status
from pmctl.domain.report import incident_date, lowered
from pmctl.domain.status_report import Row


@dataclass(frozen=True, slots=True, kw_only=True)
class ListFilters:
    """What to keep; an empty set means "any". `since` keeps incidents on or after it;
    `overdue` keeps postmortems past their review deadline."""

    statuses: frozenset[Status] = frozenset()
    severities: frozenset[str] = frozenset()
    services: frozenset[str] = frozenset()
    owners: frozenset[str] = frozenset()
    since: dt.date | None = None
    overdue: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "owners", lowered(self.owners))
        object.__setattr__(self, "services", lowered(self.services))

    def admits(self, row: Row) -> bool:
        postmortem = row.postmortem
        return (
            (not self.statuses or postmortem.status in self.statuses)
            and (not self.severities or postmortem.severity in self.severities)
            and (
                not self.services
                or not self.services.isdisjoint(map(str.lower, postmortem.services))
            )
            and (not self.owners or postmortem.owner.lower() in self.owners)
            and (self.since is None or incident_date(postmortem) >= self.since)
            and (not self.overdue or row.overdue)
        )
