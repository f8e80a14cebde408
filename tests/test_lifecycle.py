"""The lifecycle rules as pure functions: moves, guards, approvals, deadlines, messages."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from pmctl.domain import commits, lifecycle, review
from pmctl.domain.config import Settings
from pmctl.domain.lint.findings import Finding, Severity
from pmctl.domain.model import Postmortem, Status

SETTINGS = Settings()


def postmortem(**changes: Any) -> Postmortem:
    data: dict[str, Any] = {
        "schema": 1,
        "id": "2026-11-20-search-outage",
        "title": "Search outage",
        "severity": "SEV2",
        "owner": "alice",
        "authors": ["alice", "bob"],
        "created": "2026-11-21",
        "timestamps": {"started": "2026-11-20T14:51:00+09:00"},
    }
    data.update(changes)
    return Postmortem.model_validate(data)


def finding(rule: str, severity: Severity = Severity.ERROR) -> Finding:
    return Finding(Path("pm.md"), 3, 1, rule, "name", severity, f"{rule} message", "fix it")


def approval(reviewer: str, **extra: Any) -> dict[str, Any]:
    return {"reviewer": reviewer, "date": "2026-11-22", "verdict": "approved", **extra}


def gaps(pm: Postmortem, target: Status, **options: Any) -> list[str]:
    options.setdefault("findings", [])
    checked = lifecycle.plan(pm, target, settings=SETTINGS, **options)
    return [gap.message for gap in checked.gaps]


def test_draft_to_in_review_is_guarded_by_lint_errors_but_not_warnings_or_the_deadline() -> None:
    pm = postmortem()
    found = [finding("PM102"), finding("PM401", Severity.WARNING), finding("PM501")]
    assert gaps(pm, Status.IN_REVIEW, findings=found) == ["PM102 name: PM102 message"]
    assert gaps(pm, Status.IN_REVIEW) == []


@pytest.mark.parametrize(
    ("source", "target", "options", "expected"),
    [
        (Status.IN_REVIEW, Status.DRAFT, {}, ["moving back to draft needs a reason"]),
        (Status.IN_REVIEW, Status.DRAFT, {"reason": "  "}, ["moving back to draft needs a reason"]),
        (Status.IN_REVIEW, Status.DRAFT, {"reason": "numbers"}, []),
        (
            Status.REVIEWED,
            Status.IN_REVIEW,
            {"reason": "x"},
            ["moving back from reviewed to in-review needs --force"],
        ),
        (Status.CLOSED, Status.DRAFT, {"reason": "x", "force": True}, []),
        (Status.CLOSED, Status.DRAFT, {"force": True}, ["moving back to draft needs a reason"]),
        (
            Status.DRAFT,
            Status.CLOSED,
            {},
            ["draft -> closed skips a step; the lifecycle goes one status at a time"],
        ),
        (Status.DRAFT, Status.DRAFT, {}, []),
    ],
)
def test_moves_backwards_and_skips(
    source: Status, target: Status, options: dict[str, Any], expected: list[str]
) -> None:
    assert gaps(postmortem(status=source), target, **options) == expected


def test_reviewed_needs_non_author_approvals_answered_checklist_and_sharing() -> None:
    pm = postmortem(status="in-review", reviews=[approval("Alice")])
    assert gaps(pm, Status.REVIEWED) == [
        "0 of 1 approval by reviewers who are not authors",
        "shared_with is empty: share the postmortem as widely as it helps",
    ]
    partial = postmortem(
        status="in-review",
        shared_with=["sre"],
        reviews=[approval("carol", checklist={"owner": True})],
    )
    assert gaps(partial, Status.REVIEWED)[0].startswith(
        "review checklist not answered: key-data, impact"
    )
    full = {question.id: True for question in review.QUESTIONS}
    ready = postmortem(
        status="in-review", shared_with=["sre"], reviews=[approval("carol", checklist=full)]
    )
    assert gaps(ready, Status.REVIEWED) == []


def test_a_request_for_changes_voids_earlier_approvals() -> None:
    changes = {"reviewer": "dave", "date": "2026-11-22", "verdict": "changes-requested"}
    pm = postmortem(reviews=[approval("carol"), changes, approval("erin"), approval("erin")])
    assert review.approvers(pm) == ["erin"]


def test_closed_needs_every_action_item_finished_or_tracked() -> None:
    items = [
        {"id": "AI-1", "title": "a", "status": "done"},
        {"id": "AI-2", "title": "b", "status": "wontfix"},
        {"id": "AI-3", "title": "c", "status": "todo", "tracker": "BUG-1"},
        {"id": "AI-4", "title": "d", "status": "in-progress"},
    ]
    assert gaps(postmortem(status="reviewed", action_items=items), Status.CLOSED) == [
        "action item AI-4 is in-progress and not tracked elsewhere"
    ]


def test_deadlines_count_business_days_from_the_incident() -> None:
    pm = postmortem()  # started Friday 2026-11-20; SEV2 = 5 business days
    assert lifecycle.review_deadline(pm, SETTINGS) == dt.date(2026, 11, 27)
    sev1 = postmortem(severity="SEV1")  # 3 calendar days
    assert lifecycle.review_deadline(sev1, SETTINGS) == dt.date(2026, 11, 23)
    due = dt.date(2026, 11, 27)
    assert not lifecycle.is_overdue(pm, due, dt.date(2026, 11, 28))  # (a day's grace for zones)
    assert lifecycle.is_overdue(pm, due, dt.date(2026, 11, 29))
    assert not lifecycle.is_overdue(postmortem(status="reviewed"), due, dt.date(2027, 1, 1))
    assert not lifecycle.is_overdue(pm, None, dt.date(2027, 1, 1))
    unset = Settings(review_deadlines={})
    assert lifecycle.review_deadline(pm, unset) is None


def test_next_status() -> None:
    assert [lifecycle.next_status(s) for s in Status] == [
        Status.IN_REVIEW,
        Status.REVIEWED,
        Status.CLOSED,
        None,
    ]


def test_commit_messages_carry_the_trailers_stats_read() -> None:
    assert commits.transition("2026-11-20-x", "in-review", "draft", reason="two\nlines") == (
        "docs(postmortem): move 2026-11-20-x to draft\n\ntwo\nlines\n\n"
        "Pmctl-Id: 2026-11-20-x\nPmctl-Transition: in-review->draft\nPmctl-Reason: two lines\n"
    )
    assert commits.review("2026-11-20-x", "carol", "approved") == (
        "docs(postmortem): approve 2026-11-20-x\n\nReviewed by carol.\n\n"
        "Pmctl-Id: 2026-11-20-x\nPmctl-Review: approved\n"
    )
