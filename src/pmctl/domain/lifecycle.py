"""The lifecycle of a postmortem (docs/lifecycle.md): statuses, transitions, guards, deadlines.

draft -> in-review -> reviewed -> closed, one step at a time. in-review -> draft needs a
reason; any other move backwards needs `force` and a reason. Each guard returns every gap
at once, so `pmctl status` can say exactly what is missing for the next status.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from pmctl.domain import review, zones
from pmctl.domain.config import Settings
from pmctl.domain.lint import review_rules
from pmctl.domain.lint.findings import Finding, Severity
from pmctl.domain.lint.registry import RULES_BY_ID
from pmctl.domain.model import Postmortem, Status, Verdict
from pmctl.domain.record import PostmortemLike, PostmortemRecord
from pmctl.domain.wording import plural
from pmctl.errors import TransitionRefused

ORDER: tuple[Status, ...] = tuple(Status)


@dataclass(frozen=True, slots=True)
class Gap:
    """One thing missing for a transition: what, how to fix it, and where (may be empty)."""

    message: str
    hint: str = ""
    location: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Plan:
    """A checked transition. `gaps` empty means it may go ahead."""

    source: Status
    target: Status
    gaps: tuple[Gap, ...]

    @property
    def allowed(self) -> bool:
        return not self.gaps


def next_status(status: Status) -> Status | None:
    """The status after `status`, or None for closed."""
    return ORDER[status.rank + 1] if status.rank + 1 < len(ORDER) else None


def plan(
    postmortem: Postmortem,
    target: Status,
    *,
    settings: Settings,
    findings: Sequence[Finding],
    reason: str | None = None,
    force: bool = False,
) -> Plan:
    """Check the move of `postmortem` to `target`.

    `findings` are lint's findings at the in-review level (used by draft -> in-review).
    A move to the current status has no gaps and changes nothing.
    """
    source = postmortem.status
    gaps: list[Gap] = []
    has_reason = bool(reason and reason.strip())
    if target.rank < source.rank:
        one_back = source is Status.IN_REVIEW and target is Status.DRAFT
        if not (one_back or force):
            gaps.append(
                Gap(
                    f"moving back from {source} to {target} needs --force",
                    "pass --force --reason '...'; the reason is recorded in the commit",
                )
            )
        if not has_reason:
            gaps.append(Gap(f"moving back to {target} needs a reason", "pass --reason '...'"))
    elif target.rank > source.rank + 1:
        gaps.append(
            Gap(
                f"{source} -> {target} skips a step; the lifecycle goes one status at a time",
                f"move to {next_status(source)} first",
            )
        )
    elif target.rank == source.rank + 1:
        gaps.extend(guard(postmortem, target, settings=settings, findings=findings))
    return Plan(source=source, target=target, gaps=tuple(gaps))


def guard(
    postmortem: Postmortem, target: Status, *, settings: Settings, findings: Sequence[Finding]
) -> list[Gap]:
    """What is missing for `postmortem` to enter `target` (its guard, docs/lifecycle.md)."""
    if target is Status.IN_REVIEW:
        # Being past the review deadline must not block the move to in-review that cures it.
        return [
            Gap(f"{f.rule} {f.name}: {f.message}", f.hint, f"{f.path}:{f.line}")
            for f in findings
            if f.severity is Severity.ERROR and not RULES_BY_ID[f.rule].depends_on_date
        ]
    if target is Status.REVIEWED:
        return _reviewed_gaps(postmortem, settings)
    if target is Status.CLOSED:
        return [
            Gap(
                f"action item {item.id} is {item.status} and not tracked elsewhere",
                f"finish it (`pmctl action set {postmortem.id} {item.id} --status done`), "
                "mark it wontfix, or set its tracker",
            )
            for item in postmortem.action_items
            if item.status.is_open and not item.tracker
        ]
    return []


def _reviewed_gaps(postmortem: Postmortem, settings: Settings) -> list[Gap]:
    gaps = []
    needed = settings.required_approvals
    have = review.approvers(postmortem)
    if len(have) < needed:
        gaps.append(
            Gap(
                f"{len(have)} of {plural(needed, 'approval')} by reviewers who are not authors",
                f"a reviewer runs `pmctl review {postmortem.id} --approve`",
            )
        )
    elif needed:
        missing = review.unanswered(postmortem)
        if missing:
            gaps.append(
                Gap(
                    f"review checklist not answered: {', '.join(missing)}",
                    f"approve again with `pmctl review {postmortem.id} --approve`",
                )
            )
    if not postmortem.shared_with:
        gaps.append(
            Gap(
                "shared_with is empty: share the postmortem as widely as it helps",
                "list the teams or mailing lists it was shared with under `shared_with:`",
            )
        )
    return gaps


def refusal(postmortem: Postmortem, target: Status, gaps: Sequence[Gap]) -> TransitionRefused:
    """The error for a failed guard: every gap on its own line, the first one's hint."""
    lines = [f"{postmortem.id}: {postmortem.status} -> {target} refused:"]
    lines.extend(f"  - {gap.location + ': ' if gap.location else ''}{gap.message}" for gap in gaps)
    hint = gaps[0].hint if gaps else ""
    return TransitionRefused("\n".join(lines), hint=hint)


def plan_review(
    postmortem: Postmortem,
    verdict: Verdict,
    reviewer: str,
    *,
    settings: Settings,
    note: str | None,
    also_known_as: tuple[str, ...] = (),
) -> Status:
    """The status a review leaves `postmortem` in; `TransitionRefused` if it may not be made.

    Only a postmortem in review is reviewed. An author (owner or in `authors`) cannot approve
    it, whether named as the reviewer or by one of `also_known_as` (the e-mail address git
    records, and its local part). A request for changes sends it back to draft: the
    in-review -> draft move, checked like any other, with the review's note as its reason.
    """
    if postmortem.status is not Status.IN_REVIEW:
        again = postmortem.status.rank > Status.IN_REVIEW.rank
        raise TransitionRefused(
            f"{postmortem.id} is {postmortem.status}; only a postmortem in review is reviewed",
            hint=(
                f"to review it again, move it back first: `pmctl status {postmortem.id} "
                "in-review --force --reason '...'`"
                if again
                else f"move it first: `pmctl status {postmortem.id} in-review`"
            ),
        )
    if verdict is Verdict.APPROVED:
        author = review.author_among((reviewer, *also_known_as), postmortem)
        if author is not None:
            known = (
                "" if author.strip().casefold() == reviewer.strip().casefold() else f" ({author})"
            )
            raise TransitionRefused(
                f"{reviewer}{known} is an author of {postmortem.id} and cannot approve it",
                hint="ask someone who did not write it to review it (or pass --reviewer)",
            )
        standing = {name.strip().casefold() for name in review.approvers(postmortem)}
        if reviewer.strip().casefold() in standing:
            raise TransitionRefused(
                f"{reviewer} has already approved {postmortem.id}, and an approval counts once "
                f"({len(standing)} of {settings.required_approvals} it needs)",
                hint=(
                    f"it has the approvals it needs: `pmctl status {postmortem.id} reviewed` "
                    "completes the review"
                    if len(standing) >= settings.required_approvals
                    else f"another reviewer approves it (`pmctl review {postmortem.id} --approve`)"
                )
                + "; notes of a meeting go in with --minutes",
            )
        return Status.IN_REVIEW
    back = plan(postmortem, Status.DRAFT, settings=settings, findings=(), reason=note)
    if not back.allowed:
        raise refusal(postmortem, Status.DRAFT, back.gaps)
    return Status.DRAFT


def review_deadline(postmortem: PostmortemLike, settings: Settings) -> dt.date | None:
    """The last day to review the postmortem (as lint's PM501 counts it); None if unset."""
    spec = settings.deadline_days(postmortem.severity)
    if spec is None:
        return None
    if isinstance(postmortem, PostmortemRecord):
        # The record keeps the day lint's rule counts from (`review_from`), which
        # tests/test_record.py checks against the rule's.
        return review_rules.days_after(postmortem.review_from, spec)
    return review_rules.review_deadline(postmortem, spec)


def review_from(postmortem: Postmortem) -> dt.date:
    """The day the review deadline is counted from: lint's deadline with no days to add."""
    return review_rules.review_deadline(postmortem, (0, False))


def is_overdue(postmortem: PostmortemLike, deadline: dt.date | None, today: dt.date) -> bool:
    """Not yet reviewed, and its review `deadline` (from `review_deadline`) missed `today`
    (`zones.missed`)."""
    return (
        deadline is not None
        and postmortem.status.rank < Status.REVIEWED.rank
        and zones.missed(deadline, today)
    )
