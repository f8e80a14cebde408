"""The action-item report: every matching action item across postmortems, sorted and grouped.

Pure: the service hands in the postmortems (models or their records) and `today`; nothing here
reads a file or a clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from pmctl.domain.enums import ActionStatus, ActionType, GroupBy, Priority
from pmctl.domain.record import ActionLike, PostmortemLike

OPEN_STATUSES = frozenset({ActionStatus.TODO, ActionStatus.IN_PROGRESS})
NO_SERVICE = "(none)"
NO_OWNER = "(unassigned)"
NO_PRIORITY = "(none)"


def incident_date(postmortem: PostmortemLike) -> dt.date:
    """The date of the incident: the day `timestamps.started` gives (in the zone it is
    written in, as review deadlines count it), else the date the id (`YYYY-MM-DD-slug`)
    starts with. (The id alone misdated every postmortem written a day or more after its
    incident with `pmctl new` and no `--started`, its start filled in later: the index,
    stats' months, search's dates and the digest's month went by the day it was written.)"""
    started = postmortem.timestamps.started
    return started.date() if started is not None else dt.date.fromisoformat(postmortem.id[:10])


def is_overdue(item: ActionLike, today: dt.date) -> bool:
    """Open, with a due date before `today`."""
    return item.status in OPEN_STATUSES and item.due is not None and item.due < today


@dataclass(frozen=True, slots=True)
class Row:
    """One action item with what the report needs of its postmortem."""

    postmortem_id: str
    postmortem_title: str
    severity: str
    services: tuple[str, ...]
    path: str
    item: ActionLike
    overdue: bool


def lowered(names: frozenset[str]) -> frozenset[str]:
    """Names of owners and services as filters compare them: in any case, as `search`'s
    `owner:` and `service:` do (`--owner Jennifer` is jennifer's)."""
    return frozenset(name.lower() for name in names)


@dataclass(frozen=True, slots=True, kw_only=True)
class Filters:
    """What to keep; an empty set means "any". By default only open items are kept.

    `since` keeps postmortems whose incident date is on or after it; `due_before` keeps items
    due strictly before it (items without a due date are dropped by it).
    """

    owners: frozenset[str] = frozenset()
    priorities: frozenset[Priority] = frozenset()
    types: frozenset[ActionType] = frozenset()
    services: frozenset[str] = frozenset()
    severities: frozenset[str] = frozenset()
    statuses: frozenset[ActionStatus] = OPEN_STATUSES
    overdue: bool = False
    due_before: dt.date | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "owners", lowered(self.owners))
        object.__setattr__(self, "services", lowered(self.services))

    since: dt.date | None = None

    def keeps_postmortem(self, postmortem: PostmortemLike) -> bool:
        if self.severities and postmortem.severity not in self.severities:
            return False
        if self.services and self.services.isdisjoint(map(str.lower, postmortem.services)):
            return False
        return self.since is None or incident_date(postmortem) >= self.since

    def keeps_item(self, item: ActionLike, *, overdue: bool) -> bool:
        if self.statuses and item.status not in self.statuses:
            return False
        if self.owners and (item.owner or NO_OWNER).lower() not in self.owners:
            return False
        if self.priorities and item.priority not in self.priorities:
            return False
        if self.types and item.type not in self.types:
            return False
        if self.overdue and not overdue:
            return False
        return self.due_before is None or (item.due is not None and item.due < self.due_before)


@dataclass(frozen=True, slots=True)
class Group:
    key: str
    rows: tuple[Row, ...]
    overdue: int


@dataclass(frozen=True, slots=True)
class Totals:
    items: int
    overdue: int
    postmortems: int
    by_priority: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Report:
    """Rows sorted by priority then due date; `groups` is empty unless grouping was asked."""

    today: dt.date
    rows: tuple[Row, ...]
    group_by: GroupBy | None
    groups: tuple[Group, ...]
    totals: Totals


def build(
    postmortems: Iterable[tuple[str, PostmortemLike]],
    *,
    today: dt.date,
    filters: Filters = Filters(),
    group_by: GroupBy | None = None,
) -> Report:
    """The report over `(path, postmortem)` pairs; `path` is only carried through for output."""
    rows: list[Row] = []
    for path, postmortem in postmortems:
        if not postmortem.action_items or not filters.keeps_postmortem(postmortem):
            continue
        services = tuple(postmortem.services)
        for item in postmortem.action_items:
            overdue = is_overdue(item, today)
            if filters.keeps_item(item, overdue=overdue):
                rows.append(
                    Row(
                        postmortem.id,
                        postmortem.title,
                        postmortem.severity,
                        services,
                        path,
                        item,
                        overdue,
                    )
                )
    rows.sort(key=sort_key)
    ordered = tuple(rows)
    groups = _group(ordered, group_by) if group_by is not None else ()
    return Report(today, ordered, group_by, groups, _totals(ordered))


_PRIORITY_RANK = {priority: rank for rank, priority in enumerate(Priority)}


def sort_key(row: Row) -> tuple[int, dt.date, str, int]:
    """Priority (P0 first, none last), due date (none last), postmortem id, action number."""
    item = row.item
    return (
        _PRIORITY_RANK[item.priority] if item.priority else len(_PRIORITY_RANK),
        item.due or dt.date.max,
        row.postmortem_id,
        int(item.id[3:]),
    )


def group_keys(row: Row, group_by: GroupBy) -> tuple[str, ...]:
    """The group(s) a row belongs to: an item of a postmortem about two services is in both."""
    if group_by is GroupBy.OWNER:
        return (row.item.owner or NO_OWNER,)
    if group_by is GroupBy.PRIORITY:
        return (row.item.priority.value if row.item.priority else NO_PRIORITY,)
    if group_by is GroupBy.POSTMORTEM:
        return (row.postmortem_id,)
    return row.services or (NO_SERVICE,)


def _group(rows: Sequence[Row], group_by: GroupBy) -> tuple[Group, ...]:
    # Owners and services are one group in any case, as the filters match them (`Jennifer`
    # and `jennifer` were two groups), shown as first written.
    named = group_by in (GroupBy.OWNER, GroupBy.SERVICE)
    grouped: dict[str, list[Row]] = {}
    shown: dict[str, str] = {}
    for row in rows:
        keys = {(key.lower() if named else key): key for key in group_keys(row, group_by)}
        for folded, key in keys.items():
            shown.setdefault(folded, key)
            grouped.setdefault(folded, []).append(row)
    if group_by is GroupBy.PRIORITY:
        order = sorted(grouped, key=lambda key: (key == NO_PRIORITY, key))
    else:
        # Placeholders such as "(none)" sort after real names.
        order = sorted(grouped, key=lambda key: (key.startswith("("), key))
    return tuple(
        Group(shown[key], tuple(grouped[key]), sum(row.overdue for row in grouped[key]))
        for key in order
    )


def _totals(rows: Sequence[Row]) -> Totals:
    by_priority: dict[str, int] = {}
    for row in rows:
        key = row.item.priority.value if row.item.priority else NO_PRIORITY
        by_priority[key] = by_priority.get(key, 0) + 1
    ordered = dict(sorted(by_priority.items(), key=lambda pair: (pair[0] == NO_PRIORITY, pair[0])))
    return Totals(
        items=len(rows),
        overdue=sum(row.overdue for row in rows),
        postmortems=len({row.postmortem_id for row in rows}),
        by_priority=ordered,
    )
