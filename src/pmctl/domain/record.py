"""A postmortem's record: what `report`, `stats`, `index` and `list` read of it, typed.

A record is made from a validated `Postmortem` in two steps: `to_plain` takes what the
commands need of the model as plain data that `marshal` stores (strings, numbers, tuples),
and `from_plain` makes the typed record of that, without pydantic: ~17 µs for a realistic
document, where validating its front matter again costs ~65 µs (timeit, same run; the record
cache of `services/corpus.py`).

The commands' domain code reads a record and a model alike (`PostmortemLike`, `ActionLike`):
the record's fields have the model's names and types, nested the same way, so that `report`
built from records and `pmctl actions` built from models are the same code.

No pydantic here: a command that finds every record cached never imports it.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, NamedTuple, TypeAlias

from pmctl.domain.enums import ActionStatus, ActionType, Priority, Status, Verdict

if TYPE_CHECKING:
    from pmctl.domain.model import ActionItem, Postmortem

FORMAT = 1
"""The layout of `to_plain`; a cache keeps it in its header, so a change drops old records."""


class ActionRecord(NamedTuple):
    """An action item, as the model has it."""

    id: str
    title: str
    type: ActionType | None
    owner: str | None
    priority: Priority | None
    status: ActionStatus
    due: dt.date | None
    tracker: str | None


class TimesRecord(NamedTuple):
    """`timestamps`: when the incident started, was detected, mitigated and resolved."""

    started: dt.datetime | None
    detected: dt.datetime | None
    mitigated: dt.datetime | None
    resolved: dt.datetime | None


class DurationsRecord(NamedTuple):
    """`durations`: minutes to detect, mitigate and resolve (an imported postmortem)."""

    detect_minutes: float | None
    mitigate_minutes: float | None
    resolve_minutes: float | None


class ReviewRecord(NamedTuple):
    """A review, of which the commands need only the verdict."""

    verdict: Verdict


class PostmortemRecord(NamedTuple):
    """What the commands that read every postmortem need of one."""

    id: str
    title: str
    status: Status
    severity: str
    owner: str
    created: dt.date
    services: tuple[str, ...]
    timestamps: TimesRecord
    durations: DurationsRecord
    reviews: tuple[ReviewRecord, ...]
    action_items: tuple[ActionRecord, ...]
    review_from: dt.date
    """The day its review deadline is counted from (see `lifecycle.review_deadline`)."""


PostmortemLike: TypeAlias = "Postmortem | PostmortemRecord"
"""What the commands' domain code reads: a model, or the record made from one."""
ActionLike: TypeAlias = "ActionItem | ActionRecord"


def to_plain(postmortem: Postmortem, *, review_from: dt.date) -> tuple[Any, ...]:
    """The record of a validated postmortem as plain data for `marshal` (enums by value,
    dates by ordinal, times in ISO 8601, which keeps their UTC offset); `review_from` is
    computed by the caller, with the lint rule that defines it. Made straight from the model:
    a `PostmortemRecord` on the way cost ~12 µs more."""
    times = postmortem.timestamps
    durations = postmortem.durations
    return (
        postmortem.id,
        postmortem.title,
        postmortem.status.value,
        postmortem.severity,
        postmortem.owner,
        postmortem.created.toordinal(),
        tuple(postmortem.services),
        tuple(
            None if moment is None else moment.isoformat()
            for moment in (times.started, times.detected, times.mitigated, times.resolved)
        ),
        (durations.detect_minutes, durations.mitigate_minutes, durations.resolve_minutes),
        tuple(review.verdict.value for review in postmortem.reviews),
        tuple(
            (
                item.id,
                item.title,
                None if item.type is None else item.type.value,
                item.owner,
                None if item.priority is None else item.priority.value,
                item.status.value,
                None if item.due is None else item.due.toordinal(),
                item.tracker,
            )
            for item in postmortem.action_items
        ),
        review_from.toordinal(),
    )


# Enum members by value: a dict lookup costs 50 ns where `Enum(value)` costs ~400 ns, and a
# record of nine action items looks up 30 of them.
_STATUS = {member.value: member for member in Status}
_ACTION_STATUS = {member.value: member for member in ActionStatus}
_TYPE = {member.value: member for member in ActionType}
_PRIORITY = {member.value: member for member in Priority}
_VERDICT = {member.value: member for member in Verdict}
_date = dt.date.fromordinal
_time = dt.datetime.fromisoformat


def from_plain(data: tuple[Any, ...]) -> PostmortemRecord:
    """The record of the postmortem `to_plain` was given."""
    (
        id_,
        title,
        status,
        severity,
        owner,
        created,
        services,
        times,
        durations,
        verdicts,
        items,
        review_from,
    ) = data
    return PostmortemRecord(
        id_,
        title,
        _STATUS[status],
        severity,
        owner,
        _date(created),
        services,
        TimesRecord(*(None if moment is None else _time(moment) for moment in times)),
        DurationsRecord(*durations),
        tuple(ReviewRecord(_VERDICT[verdict]) for verdict in verdicts),
        tuple(
            ActionRecord(
                item_id,
                item_title,
                None if kind is None else _TYPE[kind],
                item_owner,
                None if priority is None else _PRIORITY[priority],
                _ACTION_STATUS[item_status],
                None if due is None else _date(due),
                tracker,
            )
            for item_id, item_title, kind, item_owner, priority, item_status, due, tracker in items
        ),
        _date(review_from),
    )
