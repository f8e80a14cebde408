"""The numbers for the periodic review of the postmortem process itself (`pmctl stats`).

Pure: postmortems, the transitions read from `git log`, the settings and `today` come in as
arguments. Durations are in seconds; percentiles interpolate linearly between ranks (as
numpy's default does), so the p90 of a handful of values is still meaningful.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pmctl.domain.config import Settings
from pmctl.domain.lifecycle import review_deadline
from pmctl.domain.model import ActionStatus, Postmortem, Status
from pmctl.domain.report import incident_date, is_overdue

LIFECYCLE_TARGETS = (Status.IN_REVIEW, Status.REVIEWED, Status.CLOSED)


@dataclass(frozen=True, slots=True)
class Transition:
    """One status change read from a commit's `Pmctl-Id` / `Pmctl-Transition` trailers."""

    postmortem_id: str
    source: str
    target: str
    at: dt.datetime


@dataclass(frozen=True, slots=True)
class Distribution:
    """How many values there were and their median and 90th percentile (None when none)."""

    count: int
    median: float | None
    p90: float | None


@dataclass(frozen=True, slots=True)
class DeadlineShare:
    """Postmortems reviewed by their severity's deadline.

    `late` counts both those reviewed after it and those still unreviewed past it; `pending`
    ones are unreviewed but not yet due; `unknown` are reviewed with no transition commit in
    the history (e.g. imported), so their review date cannot be known. `share` is
    on_time / (on_time + late).
    """

    on_time: int
    late: int
    pending: int
    unknown: int

    @property
    def share(self) -> float | None:
        decided = self.on_time + self.late
        return self.on_time / decided if decided else None


@dataclass(frozen=True, slots=True)
class ActionStats:
    """Action items by outcome. `completion_rate` is done / (done + open); wontfix is left out."""

    total: int
    done: int
    open: int
    overdue: int
    wontfix: int
    median_open_age_days: float | None

    @property
    def completion_rate(self) -> float | None:
        decided = self.done + self.open
        return self.done / decided if decided else None


@dataclass(frozen=True, slots=True)
class Stats:
    today: dt.date
    postmortems: int
    per_month: dict[str, int]
    per_severity: dict[str, int]
    per_service: dict[str, int]
    time_to_detect: Distribution
    time_to_mitigate: Distribution
    time_to_resolve: Distribution
    time_to_status: dict[str, Distribution]
    review_deadline: DeadlineShare
    actions: ActionStats


def percentile(values: Sequence[float], fraction: float) -> float | None:
    """The `fraction` quantile of `values` with linear interpolation; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def distribution(values: Sequence[float]) -> Distribution:
    return Distribution(len(values), percentile(values, 0.5), percentile(values, 0.9))


def incident_start(postmortem: Postmortem) -> dt.datetime:
    """`timestamps.started`, else midnight UTC of the incident date."""
    started = postmortem.timestamps.started
    if started is not None:
        return started
    return dt.datetime.combine(incident_date(postmortem), dt.time(), tzinfo=dt.UTC)


def first_arrivals(transitions: Iterable[Transition]) -> dict[str, dict[str, dt.datetime]]:
    """Postmortem id -> status -> when it first entered that status."""
    arrivals: dict[str, dict[str, dt.datetime]] = {}
    for transition in transitions:
        seen = arrivals.setdefault(transition.postmortem_id, {})
        earlier = seen.get(transition.target)
        if earlier is None or transition.at < earlier:
            seen[transition.target] = transition.at
    return arrivals


def compute(
    postmortems: Iterable[Postmortem],
    transitions: Iterable[Transition],
    *,
    settings: Settings,
    today: dt.date,
) -> Stats:
    """All the numbers over `postmortems`; transitions of other ids are ignored.

    Each postmortem is looked at once and only a few values of it are kept, so the caller
    can hand them over one at a time; `transitions` are read after the last one (a `git log`
    can run meanwhile).
    """
    count = 0
    months: Counter[str] = Counter()
    severities: Counter[str] = Counter()
    services: Counter[str] = Counter()
    detect: list[float] = []
    mitigate: list[float] = []
    resolve: list[float] = []
    starts: list[tuple[str, dt.datetime]] = []
    deadlines: list[tuple[str, dt.date, bool]] = []
    actions = _ActionTally(today)
    for postmortem in postmortems:
        count += 1
        months[incident_date(postmortem).isoformat()[:7]] += 1
        severities[postmortem.severity] += 1
        services.update(postmortem.services)
        times = postmortem.timestamps
        if times.started is not None:
            for moment, bucket in (
                (times.detected, detect),
                (times.mitigated, mitigate),
                (times.resolved, resolve),
            ):
                if moment is not None:
                    bucket.append((moment - times.started).total_seconds())
        starts.append((postmortem.id, incident_start(postmortem)))
        deadline = review_deadline(postmortem, settings)
        if deadline is not None:
            reviewed = postmortem.status.rank >= Status.REVIEWED.rank
            deadlines.append((postmortem.id, deadline, reviewed))
        actions.add(postmortem)

    arrivals = first_arrivals(transitions)
    to_status: dict[str, list[float]] = {status.value: [] for status in LIFECYCLE_TARGETS}
    for postmortem_id, start in starts:
        for status, moment in arrivals.get(postmortem_id, {}).items():
            if status in to_status:
                to_status[status].append((moment - start).total_seconds())
    return Stats(
        today=today,
        postmortems=count,
        per_month=dict(sorted(months.items())),
        per_severity=_by_scale(severities, settings.severities),
        per_service=dict(sorted(services.items(), key=lambda pair: (-pair[1], pair[0]))),
        time_to_detect=distribution(detect),
        time_to_mitigate=distribution(mitigate),
        time_to_resolve=distribution(resolve),
        time_to_status={status: distribution(values) for status, values in to_status.items()},
        review_deadline=_deadlines(deadlines, arrivals, today),
        actions=actions.stats(),
    )


def _by_scale(counts: Counter[str], scale: Sequence[str]) -> dict[str, int]:
    """Counts in the order of the configured severity scale; unknown severities after it."""
    rank = {severity: index for index, severity in enumerate(scale)}
    return dict(sorted(counts.items(), key=lambda pair: (rank.get(pair[0], len(rank)), pair[0])))


def _deadlines(
    deadlines: Iterable[tuple[str, dt.date, bool]],
    arrivals: dict[str, dict[str, dt.datetime]],
    today: dt.date,
) -> DeadlineShare:
    """From each postmortem's (id, review deadline, whether its status is reviewed or later)."""
    on_time = late = pending = unknown = 0
    for postmortem_id, deadline, reviewed in deadlines:
        reviewed_at = arrivals.get(postmortem_id, {}).get(Status.REVIEWED.value)
        if reviewed_at is not None:
            if reviewed_at.date() <= deadline:
                on_time += 1
            else:
                late += 1
        elif reviewed:
            unknown += 1
        elif today > deadline:
            late += 1
        else:
            pending += 1
    return DeadlineShare(on_time, late, pending, unknown)


class _ActionTally:
    """Action items counted by outcome as postmortems go by."""

    def __init__(self, today: dt.date) -> None:
        self.today = today
        self.counts: Counter[ActionStatus] = Counter()
        self.overdue = 0
        self.ages: list[float] = []

    def add(self, postmortem: Postmortem) -> None:
        for item in postmortem.action_items:
            self.counts[item.status] += 1
            if item.status.is_open:
                self.ages.append(float((self.today - postmortem.created).days))
                self.overdue += is_overdue(item, self.today)

    def stats(self) -> ActionStats:
        counts = self.counts
        return ActionStats(
            total=sum(counts.values()),
            done=counts[ActionStatus.DONE],
            open=counts[ActionStatus.TODO] + counts[ActionStatus.IN_PROGRESS],
            overdue=self.overdue,
            wontfix=counts[ActionStatus.WONTFIX],
            median_open_age_days=percentile(self.ages, 0.5),
        )
