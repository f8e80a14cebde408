"""The series behind the statistics page's charts, from the same code as `pmctl stats`.

Each month's numbers are `metrics.compute` over that month's postmortems (by incident
date), so a chart's point and `pmctl stats --since` over the same month agree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from pmctl.domain.config import Settings
from pmctl.domain.metrics import Stats, Transition, compute
from pmctl.domain.model import Postmortem, Status
from pmctl.domain.report import incident_date
from pmctl.domain.site.charts import Series, bar_chart, line_chart

MONTHS = 24
"""The charts show the last this-many months up to the newest incident (not after today)."""


@dataclass(frozen=True, slots=True)
class SiteStatistics:
    """The overall numbers and the charts' months (oldest first) with each month's numbers."""

    overall: Stats
    months: tuple[str, ...]
    per_month: tuple[Stats, ...]


def site_statistics(
    postmortems: Sequence[Postmortem],
    transitions: Sequence[Transition],
    *,
    settings: Settings,
    today: dt.date,
) -> SiteStatistics:
    overall = compute(postmortems, transitions, settings=settings, today=today)
    by_month: dict[str, list[Postmortem]] = {}
    for postmortem in postmortems:
        by_month.setdefault(incident_date(postmortem).isoformat()[:7], []).append(postmortem)
    # A postmortem dated after today (a typo in the year: PM303) gets no month of its own:
    # the charts' last months were otherwise the empty ones up to it.
    this_month = today.isoformat()[:7]
    months = _month_range(sorted(month for month in by_month if month <= this_month))[-MONTHS:]
    per_month = tuple(
        compute(by_month.get(month, []), transitions, settings=settings, today=today)
        for month in months
    )
    return SiteStatistics(overall, tuple(months), per_month)


def charts(statistics: SiteStatistics, words: Mapping[str, str]) -> dict[str, str]:
    """The statistics page's SVG charts by name."""
    months = statistics.months
    month_stats = statistics.per_month
    severities = list(statistics.overall.per_severity)
    per_month = [
        Series(severity, tuple(float(s.per_severity.get(severity, 0)) for s in month_stats))
        for severity in severities
    ]

    def minutes(seconds: float | None) -> float | None:
        return None if seconds is None else round(seconds / 60, 1)

    def days(seconds: float | None) -> float | None:
        return None if seconds is None else round(seconds / 86400, 1)

    times = [
        Series(words["median_ttd"], tuple(minutes(s.time_to_detect.median) for s in month_stats)),
        Series(words["median_ttr"], tuple(minutes(s.time_to_resolve.median) for s in month_stats)),
    ]
    reviewed = Status.REVIEWED.value
    review = [
        Series(
            words["review_days"],
            tuple(days(s.time_to_status[reviewed].median) for s in month_stats),
        ),
    ]
    share = [
        Series(
            words["on_time_share"],
            tuple(
                None if s.review_deadline.share is None else round(s.review_deadline.share * 100)
                for s in month_stats
            ),
        )
    ]
    actions = [
        Series(words["done"], tuple(float(s.actions.done) for s in month_stats)),
        Series(words["open"], tuple(float(s.actions.open) for s in month_stats)),
        Series(words["wontfix"], tuple(float(s.actions.wontfix) for s in month_stats)),
    ]
    return {
        "per_month": bar_chart(words["chart_per_month"], months, per_month),
        "times": line_chart(words["chart_times"], months, times),
        "review": line_chart(words["chart_review"], months, review),
        "review_share": bar_chart(words["chart_review_share"], months, share, unit="%"),
        "actions": bar_chart(words["chart_actions"], months, actions),
    }


def _month_range(months: Sequence[str]) -> list[str]:
    """Every month from the first to the last of `months`, gaps included."""
    if not months:
        return []
    year, month = int(months[0][:4]), int(months[0][5:7])
    last = months[-1]
    result = []
    while (current := f"{year:04d}-{month:02d}") <= last:
        result.append(current)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return result
