"""The numbers for the periodic review of the postmortem process itself (`pmctl stats`).

Pure: postmortems (models or their records), the transitions read from `git log`, the settings and `today` come in as
arguments. Durations are in seconds; percentiles interpolate linearly between ranks (as
numpy's default does), so the p90 of a handful of values is still meaningful.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from pmctl.domain.config import Settings
from pmctl.domain.enums import ActionStatus, Status, Verdict
from pmctl.domain.lifecycle import review_deadline
from pmctl.domain.record import PostmortemLike
from pmctl.domain.report import incident_date, is_overdue
from pmctl.domain.zones import missed, on_incident_calendar

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
    maximum: float | None = None


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
class ProcessRow:
    """The cost of the process for one group (a quarter, a service, a team): how long its
    postmortems took from the incident to closed, how many review rounds they needed, and
    how many action items they produced and closed (done or wontfix)."""

    key: str
    postmortems: int
    closed: int
    incident_to_closed: Distribution
    """Seconds, over the postmortems closed with a transition commit in the history."""
    review_rounds: Distribution
    """Over the postmortems that were ever in review."""
    actions: int
    actions_closed: int

    @property
    def actions_per_postmortem(self) -> float | None:
        return self.actions / self.postmortems if self.postmortems else None

    @property
    def actions_closed_share(self) -> float | None:
        return self.actions_closed / self.actions if self.actions else None


@dataclass(frozen=True, slots=True)
class ProcessFeedback:
    """Is writing postmortems too much toil? The process per quarter, service and team."""

    by_quarter: tuple[ProcessRow, ...]
    by_service: tuple[ProcessRow, ...]
    by_team: tuple[ProcessRow, ...]
    """Empty unless `[teams]` in pmctl.toml says who is in which team (by owner)."""


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
    process: ProcessFeedback


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
    return Distribution(
        len(values), percentile(values, 0.5), percentile(values, 0.9), max(values, default=None)
    )


def since_start(started: dt.datetime | None, moment: dt.datetime | None) -> float | None:
    """Seconds from `started` to `moment`: None when either is unknown, or when `moment` is
    before the start, which is no duration but timestamps out of order (lint's PM301):
    stats, export and drill leave it out rather than count it as negative."""
    if moment is None or started is None or moment < started:
        return None
    return (moment - started).total_seconds()


def time_to(
    started: dt.datetime | None, moment: dt.datetime | None, minutes: float | None
) -> float | None:
    """Seconds from the incident's start to `moment` (`since_start`); when either is
    unknown, the `minutes` the postmortem states instead (`durations.*_minutes`: an imported
    one that only said how long). Stats and export count them alike."""
    if started is not None and moment is not None:
        return since_start(started, moment)
    return None if minutes is None else minutes * 60.0


def incident_start(postmortem: PostmortemLike) -> dt.datetime:
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
    postmortems: Iterable[PostmortemLike],
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
    # A service's name in lower case -> as first written: `API` and `api` are one service,
    # as `report --service` and `search service:` take them.
    service_names: dict[str, str] = {}
    detect: list[float] = []
    mitigate: list[float] = []
    resolve: list[float] = []
    starts: list[tuple[str, dt.datetime]] = []
    deadlines: list[_Deadline] = []
    actions = _ActionTally(today)
    process = _ProcessTally(settings.teams)
    for postmortem in postmortems:
        count += 1
        months[incident_date(postmortem).isoformat()[:7]] += 1
        severities[postmortem.severity] += 1
        for service, name in {written.lower(): written for written in postmortem.services}.items():
            services[service] += 1
            service_names.setdefault(service, name)
        times = postmortem.timestamps
        durations = postmortem.durations
        for moment, minutes, bucket in (
            (times.detected, durations.detect_minutes, detect),
            (times.mitigated, durations.mitigate_minutes, mitigate),
            (times.resolved, durations.resolve_minutes, resolve),
        ):
            seconds = time_to(times.started, moment, minutes)
            if seconds is not None:
                bucket.append(seconds)
        start = incident_start(postmortem)
        starts.append((postmortem.id, start))
        deadline = review_deadline(postmortem, settings)
        if deadline is not None:
            reviewed = postmortem.status.rank >= Status.REVIEWED.rank
            deadlines.append(_Deadline(postmortem.id, deadline, reviewed, times.started))
        actions.add(postmortem)
        process.add(postmortem, start, service_names)

    transitions = list(transitions)
    arrivals = first_arrivals(transitions)
    to_status: dict[str, list[float]] = {status.value: [] for status in LIFECYCLE_TARGETS}
    for postmortem_id, start in starts:
        for status, moment in arrivals.get(postmortem_id, {}).items():
            seconds = since_start(start, moment)
            if status in to_status and seconds is not None:
                to_status[status].append(seconds)
    return Stats(
        today=today,
        postmortems=count,
        per_month=dict(sorted(months.items())),
        per_severity=_by_scale(severities, settings.severities),
        per_service={
            service_names[service]: count
            for service, count in sorted(services.items(), key=lambda pair: (-pair[1], pair[0]))
        },
        time_to_detect=distribution(detect),
        time_to_mitigate=distribution(mitigate),
        time_to_resolve=distribution(resolve),
        time_to_status={status: distribution(values) for status, values in to_status.items()},
        review_deadline=_deadlines(deadlines, arrivals, today),
        actions=actions.stats(),
        process=process.feedback(arrivals, review_entries(transitions)),
    )


def _by_scale(counts: Counter[str], scale: Sequence[str]) -> dict[str, int]:
    """Counts in the order of the configured severity scale; unknown severities after it."""
    rank = {severity: index for index, severity in enumerate(scale)}
    return dict(sorted(counts.items(), key=lambda pair: (rank.get(pair[0], len(rank)), pair[0])))


@dataclass(frozen=True, slots=True)
class _Deadline:
    """What the review-deadline share needs of one postmortem."""

    id: str
    deadline: dt.date
    reviewed: bool
    """Its status is reviewed or later."""
    started: dt.datetime | None
    """`timestamps.started`, whose zone is the calendar of the deadline."""


def _deadlines(
    deadlines: Iterable[_Deadline],
    arrivals: dict[str, dict[str, dt.datetime]],
    today: dt.date,
) -> DeadlineShare:
    on_time = late = pending = unknown = 0
    for entry in deadlines:
        reviewed_at = arrivals.get(entry.id, {}).get(Status.REVIEWED.value)
        if reviewed_at is not None:
            if on_incident_calendar(reviewed_at, entry.started) <= entry.deadline:
                on_time += 1
            else:
                late += 1
        elif entry.reviewed:
            unknown += 1
        elif missed(entry.deadline, today):
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

    def add(self, postmortem: PostmortemLike) -> None:
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


def quarter(day: dt.date) -> str:
    """`2026-Q4`."""
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def review_entries(transitions: Iterable[Transition]) -> dict[str, int]:
    """Postmortem id -> how many times it was sent to review (`-> in-review` commits)."""
    counts: Counter[str] = Counter(
        t.postmortem_id for t in transitions if t.target == Status.IN_REVIEW.value
    )
    return dict(counts)


def review_rounds(postmortem: PostmortemLike, entries: int) -> int | None:
    """How many review rounds a postmortem needed: the times it was sent to review, from
    `git log`; without such commits (an imported history), its recorded reviews, where each
    request for changes ends a round and an approval the last. None: never in review."""
    if entries:
        return entries
    requested = sum(
        1 for review in postmortem.reviews if review.verdict is Verdict.CHANGES_REQUESTED
    )
    approved = any(review.verdict is Verdict.APPROVED for review in postmortem.reviews)
    rounds = requested + (1 if approved else 0)
    if rounds == 0 and postmortem.status.rank >= Status.IN_REVIEW.rank:
        return 1
    return rounds or None


def time_in_status(transitions: Iterable[Transition], *, until: dt.datetime) -> dict[str, float]:
    """Status -> seconds spent in it, from one postmortem's transitions; the status it is in
    now counts until `until`, except closed, which has no end."""
    ordered = sorted(transitions, key=lambda transition: transition.at)
    spent: dict[str, float] = {}
    for current, following in zip(ordered, [*ordered[1:], None], strict=True):
        if following is None and current.target == Status.CLOSED.value:
            break
        end = following.at if following is not None else until
        spent[current.target] = spent.get(current.target, 0.0) + max(
            0.0, (end - current.at).total_seconds()
        )
    return spent


@dataclass(frozen=True, slots=True)
class _Process:
    """What the process rows need of one postmortem (all `_ProcessTally` keeps of it)."""

    id: str
    start: dt.datetime
    closed: bool
    recorded_rounds: int | None
    """`review_rounds` from its recorded reviews, for a history without review commits."""
    actions: int
    actions_closed: int


class _ProcessTally:
    """The process rows per quarter (of the incident), per service and per owner's team,
    gathered as postmortems go by."""

    def __init__(self, teams: Mapping[str, Sequence[str]]) -> None:
        self.team_of = {person.lower(): team for team, people in teams.items() for person in people}
        self.groups: dict[str, dict[str, list[_Process]]] = {
            "quarter": {},
            "service": {},
            "team": {},
        }

    def add(
        self, postmortem: PostmortemLike, start: dt.datetime, service_names: Mapping[str, str]
    ) -> None:
        """`service_names`: each service's name in lower case -> the one its rows show."""
        items = postmortem.action_items
        kept = _Process(
            postmortem.id,
            start,
            postmortem.status is Status.CLOSED,
            review_rounds(postmortem, 0),
            len(items),
            sum(1 for item in items if not item.status.is_open),
        )
        self.groups["quarter"].setdefault(quarter(incident_date(postmortem)), []).append(kept)
        for service in {service_names[name.lower()] for name in postmortem.services}:
            self.groups["service"].setdefault(service, []).append(kept)
        team = self.team_of.get(postmortem.owner.lower())
        if team is not None:
            self.groups["team"].setdefault(team, []).append(kept)

    def feedback(
        self, arrivals: Mapping[str, Mapping[str, dt.datetime]], entries: Mapping[str, int]
    ) -> ProcessFeedback:
        def rows(kind: str) -> tuple[ProcessRow, ...]:
            return tuple(
                _process_row(key, members, arrivals, entries)
                for key, members in sorted(self.groups[kind].items())
            )

        return ProcessFeedback(rows("quarter"), rows("service"), rows("team"))


def _process_row(
    key: str,
    members: Sequence[_Process],
    arrivals: Mapping[str, Mapping[str, dt.datetime]],
    entries: Mapping[str, int],
) -> ProcessRow:
    to_closed: list[float] = []
    rounds: list[float] = []
    for member in members:
        to_close = since_start(member.start, arrivals.get(member.id, {}).get(Status.CLOSED.value))
        if to_close is not None:
            to_closed.append(to_close)
        needed = entries.get(member.id) or member.recorded_rounds
        if needed is not None:
            rounds.append(float(needed))
    return ProcessRow(
        key=key,
        postmortems=len(members),
        closed=sum(member.closed for member in members),
        incident_to_closed=distribution(to_closed),
        review_rounds=distribution(rounds),
        actions=sum(member.actions for member in members),
        actions_closed=sum(member.actions_closed for member in members),
    )
