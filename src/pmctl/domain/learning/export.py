"""The rows of `pmctl export`: one per postmortem, and one per action item.

The shape is documented column by column in docs/export.md and versioned: every row
carries `export_version`; columns may be added within a version, never renamed, removed or
given another meaning. Values are plain: strings, numbers (durations in seconds), booleans,
None when unknown, and lists of strings (which CSV writes joined with `;`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from pmctl.domain.metrics import (
    Transition,
    first_arrivals,
    incident_start,
    review_entries,
    review_rounds,
    since_start,
    time_in_status,
    time_to,
)
from pmctl.domain.model import ActionStatus, Postmortem, Status, Verdict
from pmctl.domain.report import incident_date, is_overdue

EXPORT_VERSION = 1

POSTMORTEM_COLUMNS = (
    "export_version",
    "id",
    "title",
    "status",
    "severity",
    "incident",
    "language",
    "owner",
    "authors",
    "incident_date",
    "created",
    "started",
    "detected",
    "mitigated",
    "resolved",
    "time_to_detect_seconds",
    "time_to_mitigate_seconds",
    "time_to_resolve_seconds",
    "user_visible_minutes",
    "data_loss",
    "billing",
    "affected_users",
    "affected_queries",
    "revenue_impact",
    "criteria",
    "services",
    "tags",
    "related",
    "shared_with",
    "action_items",
    "action_items_open",
    "action_items_done",
    "action_items_wontfix",
    "reviews",
    "approvals",
    "review_rounds",
    "seconds_in_draft",
    "seconds_in_in_review",
    "seconds_in_reviewed",
    "incident_to_in_review_seconds",
    "incident_to_reviewed_seconds",
    "incident_to_closed_seconds",
    "path",
)

ACTION_COLUMNS = (
    "export_version",
    "postmortem_id",
    "action_id",
    "title",
    "type",
    "owner",
    "priority",
    "status",
    "due",
    "overdue",
    "tracker",
    "postmortem_status",
    "severity",
    "services",
    "incident_date",
)

Record = dict[str, Any]


def postmortem_records(
    postmortems: Iterable[tuple[str, Postmortem]],
    transitions: Iterable[Transition],
    *,
    now: dt.datetime,
) -> Iterator[Record]:
    """One record per (path, postmortem), with `POSTMORTEM_COLUMNS` as keys, in order, each
    made when it is asked for (the postmortems are taken one at a time).

    The time in each status comes from the transition commits; the status a postmortem is
    in now counts until `now`. A postmortem without transition commits (added by hand, or
    imported) has None there."""
    transitions = list(transitions)
    arrivals = first_arrivals(transitions)
    entries = review_entries(transitions)
    by_id: dict[str, list[Transition]] = {}
    for transition in transitions:
        by_id.setdefault(transition.postmortem_id, []).append(transition)
    for path, postmortem in postmortems:
        yield _postmortem(path, postmortem, arrivals.get(postmortem.id, {}), entries, by_id, now)


def _postmortem(
    path: str,
    postmortem: Postmortem,
    arrived: Mapping[str, dt.datetime],
    entries: Mapping[str, int],
    by_id: Mapping[str, list[Transition]],
    now: dt.datetime,
) -> Record:
    times = postmortem.timestamps
    stated = postmortem.durations
    impact = postmortem.impact
    start = incident_start(postmortem)
    history = by_id.get(postmortem.id)
    spent = time_in_status(history, until=now) if history else None
    items = postmortem.action_items

    def arrival(status: Status) -> float | None:
        moment = arrived.get(status.value)
        return since_start(start, moment)

    def in_status(status: Status) -> float | None:
        return None if spent is None else spent.get(status.value)

    values: Record = {
        "export_version": EXPORT_VERSION,
        "id": postmortem.id,
        "title": postmortem.title,
        "status": postmortem.status.value,
        "severity": postmortem.severity,
        "incident": postmortem.incident,
        "language": postmortem.language.value,
        "owner": postmortem.owner,
        "authors": list(postmortem.authors),
        "incident_date": incident_date(postmortem).isoformat(),
        "created": postmortem.created.isoformat(),
        "started": _iso(times.started),
        "detected": _iso(times.detected),
        "mitigated": _iso(times.mitigated),
        "resolved": _iso(times.resolved),
        "time_to_detect_seconds": time_to(times.started, times.detected, stated.detect_minutes),
        "time_to_mitigate_seconds": time_to(
            times.started, times.mitigated, stated.mitigate_minutes
        ),
        "time_to_resolve_seconds": time_to(times.started, times.resolved, stated.resolve_minutes),
        "user_visible_minutes": impact.user_visible_minutes,
        "data_loss": impact.data_loss,
        "billing": impact.billing,
        "affected_users": impact.affected_users,
        "affected_queries": impact.affected_queries,
        "revenue_impact": impact.revenue_impact,
        "criteria": list(postmortem.criteria),
        "services": list(postmortem.services),
        "tags": list(postmortem.tags),
        "related": list(postmortem.related),
        "shared_with": list(postmortem.shared_with),
        "action_items": len(items),
        "action_items_open": sum(1 for item in items if item.status.is_open),
        "action_items_done": sum(1 for item in items if item.status is ActionStatus.DONE),
        "action_items_wontfix": sum(1 for item in items if item.status is ActionStatus.WONTFIX),
        "reviews": len(postmortem.reviews),
        "approvals": sum(1 for r in postmortem.reviews if r.verdict is Verdict.APPROVED),
        "review_rounds": review_rounds(postmortem, entries.get(postmortem.id, 0)),
        "seconds_in_draft": in_status(Status.DRAFT),
        "seconds_in_in_review": in_status(Status.IN_REVIEW),
        "seconds_in_reviewed": in_status(Status.REVIEWED),
        "incident_to_in_review_seconds": arrival(Status.IN_REVIEW),
        "incident_to_reviewed_seconds": arrival(Status.REVIEWED),
        "incident_to_closed_seconds": arrival(Status.CLOSED),
        "path": path,
    }
    return {column: _known(values[column]) for column in POSTMORTEM_COLUMNS}


def action_records(postmortems: Iterable[Postmortem], *, today: dt.date) -> Iterator[Record]:
    """One record per action item of every postmortem, with `ACTION_COLUMNS` as keys, each
    made when it is asked for (the postmortems are taken one at a time)."""
    for postmortem in postmortems:
        for item in postmortem.action_items:
            values: Record = {
                "export_version": EXPORT_VERSION,
                "postmortem_id": postmortem.id,
                "action_id": item.id,
                "title": item.title,
                "type": item.type.value if item.type else None,
                "owner": item.owner,
                "priority": item.priority.value if item.priority else None,
                "status": item.status.value,
                "due": item.due.isoformat() if item.due else None,
                "overdue": is_overdue(item, today),
                "tracker": item.tracker,
                "postmortem_status": postmortem.status.value,
                "severity": postmortem.severity,
                "services": list(postmortem.services),
                "incident_date": incident_date(postmortem).isoformat(),
            }
            yield {column: _known(values[column]) for column in ACTION_COLUMNS}


def _known(value: Any) -> Any:
    """`value`, or None for text that says nothing (`incident: ""`, an owner of blanks):
    unknown, as every other unknown value is."""
    return None if isinstance(value, str) and not value.strip() else value


def _iso(moment: dt.datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()
