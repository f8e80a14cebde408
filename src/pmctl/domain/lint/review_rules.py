"""PM501-PM504: "no unreviewed postmortem" — deadlines, approvals, closing with open items."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from pmctl.domain.lint.context import Context, Hit
from pmctl.domain.lint.registry import (
    APPROVAL_MISSING,
    CLOSED_OPEN_ACTIONS,
    NOT_SHARED,
    REVIEW_OVERDUE,
)
from pmctl.domain.model import Postmortem, Status
from pmctl.domain.review import approvers
from pmctl.domain.wording import plural
from pmctl.domain.zones import missed


def review_deadline(postmortem: Postmortem, deadline: tuple[int, bool]) -> dt.date:
    """The day by which the postmortem must be reviewed, counted from the incident's start
    (for an imported postmortem, from the later of that and the day of its import).

    `deadline` is `(n, business_days)` from `Settings.deadline_days`; business days skip
    Saturdays and Sundays.
    """
    started = postmortem.timestamps.started
    day = started.date() if started is not None else postmortem.created
    if postmortem.origin is not None:
        # Imported: the process pmctl enforces begins with the import, not the incident.
        day = max(day, postmortem.origin.imported)
    return days_after(day, deadline)


def days_after(day: dt.date, deadline: tuple[int, bool]) -> dt.date:
    """The day `deadline` (`(n, business_days)`) after `day`; `date.max` when that is
    past the year 9999 (an incident typed as starting on 9999-12-31 has no deadline to
    miss, and a date cannot go further)."""
    count, business = deadline
    try:
        return add_business_days(day, count) if business else day + dt.timedelta(days=count)
    except OverflowError:
        return dt.date.max


@lru_cache(maxsize=4096)  # stats asks for 10,000 postmortems, over far fewer dates
def add_business_days(day: dt.date, count: int) -> dt.date:
    """The `count`-th Monday-to-Friday day after `day` (`day` itself if `count` is 0).

    In constant time: after the first business day every 5 more are exactly a week on.
    """
    if count <= 0:
        return day
    day += dt.timedelta(days=7 - day.weekday() if day.weekday() >= 4 else 1)  # (Fri-Sun: Monday)
    weeks, rest = divmod(count - 1, 5)
    day += dt.timedelta(weeks=weeks)
    for _ in range(rest):
        day += dt.timedelta(days=3 if day.weekday() == 4 else 1)
    return day


def check(ctx: Context) -> list[Hit]:
    postmortem = ctx.postmortem
    if postmortem is None:
        return []
    hits: list[Hit] = []
    status = ctx.status
    deadline = ctx.settings.deadline_days(postmortem.severity)
    # A guard asking "as though in-review" is the way out of an overdue draft: not a reason
    # to refuse it.
    if deadline is not None and ctx.rank < Status.REVIEWED.rank and not ctx.as_status:
        due = review_deadline(postmortem, deadline)
        if missed(due, ctx.today):
            count, business = deadline
            unit = "business days" if business else "days"
            hits.append(
                Hit(
                    REVIEW_OVERDUE,
                    ctx.line_of("status"),
                    f"not reviewed by {due.isoformat()} ({count} {unit} after the incident "
                    f"for {postmortem.severity}); still {status}",
                    "finish the draft, `pmctl status <id> in-review`, and hold the review",
                )
            )
    if ctx.rank >= Status.REVIEWED.rank:
        needed = ctx.settings.required_approvals
        # Counted as the transition guard counts them: a request for changes voids the
        # approvals before it.
        approved = approvers(postmortem)
        if len(approved) < needed:
            hits.append(
                Hit(
                    APPROVAL_MISSING,
                    ctx.line_of("reviews"),
                    f"{status} with {plural(len(approved), 'standing approval')} by non-authors; "
                    f"{needed} required",
                    "ask a reviewer who is not an author to `pmctl review <id> --approve`",
                )
            )
        if not postmortem.shared_with:
            hits.append(
                Hit(
                    NOT_SHARED,
                    ctx.line_of("shared_with"),
                    f"{status} but not shared with anyone",
                    "list the teams or mailing lists it was sent to in `shared_with:`",
                )
            )
    if status is Status.CLOSED:
        for index, item in enumerate(postmortem.action_items):
            if item.status.is_open and not item.tracker:
                hits.append(
                    Hit(
                        CLOSED_OPEN_ACTIONS,
                        ctx.line_of("action_items", index),
                        f"closed, but {item.id} is {item.status} and not tracked elsewhere",
                        "finish it, mark it wontfix, or set `tracker:` to the issue that follows it",
                    )
                )
    return hits
