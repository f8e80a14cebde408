"""Lint on adopted postmortems: timelines as tables, headings with a parenthetical, and
what a document imported at a status is not asked for (records that predate pmctl)."""

from __future__ import annotations

import datetime as dt

import pytest

from pmctl.domain.lint.adoption import PREDATING_RULES
from pmctl.domain.model import Status
from tests.sample_postmortems import GOOD, findings, line_of, rules

TABLE_TIMELINE = """\
## Timeline

| Time (UTC) | Event |
|---|---|
| 2026-11-20 10:00 | Configuration push. |
| 10:40 | Rollback done. |
| 10:05 | Latency alert pages the on-call. |
| 11:00 | Latency normal. |

## Action Items
"""

ORIGIN = """\
origin:
  source: git@example.com:ops/postmortems.git
  path: 2026/checkout.md
  commit: 0123abcd
  imported: 2026-11-22
  status: {status}
"""

LEGACY = (
    GOOD.replace("status: in-review\n", "status: closed\n")
    .replace("    type: prevent\n    owner: bob\n    priority: P1\n    status: todo\n", "")
    .replace("    tracker: OPS-1\n", "")
    .replace("criteria: [user-visible-downtime]\n", "criteria: []\n")
    .replace("| prevent | bob | P1 |  | OPS-1 | todo |", "|  |  |  |  |  | todo |")
    .split("## Trigger")[0]
    + "## Timeline\n\n- 10:00 Push.\n\n## Action Items\n"
    + GOOD.split("## Action Items\n")[1]
    .split("## Supporting")[0]
    .replace("| prevent | bob | P1 |  | OPS-1 | todo |", "|  |  |  |  |  | todo |")
)
"""GOOD as a closed legacy document: fewer sections, an action item with no owner, type,
priority or tracker, no criteria, no reviews and shared with nobody."""


def imported(text: str, status: str) -> str:
    return text.replace("shared_with: []\n", "shared_with: []\n" + ORIGIN.format(status=status))


def test_the_timeline_order_rule_reads_a_timeline_table() -> None:
    text = GOOD.split("## Timeline")[0] + TABLE_TIMELINE + GOOD.split("## Action Items\n")[1]
    (finding,) = findings(text)
    assert (finding.rule, finding.line) == ("PM302", line_of(text, "| 10:05 |"))
    assert finding.message == "timeline entry 10:05 comes after 10:40"


def test_a_timeline_under_dated_sub_headings_is_read_to_its_end() -> None:
    text = GOOD.replace("2026-11-20 (all times UTC)\n\n", "### 2026-11-20\n\n").replace(
        "- 11:00 Latency normal.", "\n### 2026-11-21\n\n- 09:00 Latency normal.\n- 08:00 x"
    )
    (finding,) = findings(text)
    assert (finding.rule, finding.line) == ("PM302", line_of(text, "- 08:00 x"))


def test_a_heading_with_a_trailing_parenthetical_opens_its_section() -> None:
    text = GOOD.replace("## Timeline", "## Timeline (all times UTC)").replace(
        "## Impact", "## Impact（概算）:"
    )
    assert findings(text) == []
    assert rules(text.replace("- 10:40 Rollback", "- 09:40 Rollback")) == ["PM302"]


def test_a_legacy_document_without_an_origin_fails_on_records_that_predate_pmctl() -> None:
    assert set(rules(LEGACY)) >= {"PM101", "PM201", "PM202", "PM203", "PM502", "PM503", "PM504"}


def test_imported_closed_it_is_asked_only_about_its_content() -> None:
    assert rules(imported(LEGACY, "closed")) == []
    text = imported(LEGACY, "closed").replace("10:00 Push.", "10:00 A careless push.")
    assert rules(text) == ["PM402"]


@pytest.mark.parametrize("status", ["draft", "in-review", "reviewed"])
def test_imported_at_an_earlier_status_the_later_records_are_asked_for(status: str) -> None:
    found = set(rules(imported(LEGACY, status)))
    assert found & {rule.id for rule in PREDATING_RULES}
    assert "PM502" in found  # closed now, but imported before any review


def test_moved_on_with_pmctl_every_rule_applies_again() -> None:
    text = imported(LEGACY, "closed")
    assert rules(text, as_status=Status.CLOSED) == []
    draft = imported(LEGACY.replace("status: closed\n", "status: draft\n"), "draft")
    assert "PM101" in rules(draft, as_status=Status.IN_REVIEW)


def test_the_review_deadline_of_an_imported_draft_counts_from_the_import() -> None:
    draft = imported(GOOD.replace("status: in-review\n", "status: draft\n"), "draft")
    draft = draft.replace("imported: 2026-11-22", "imported: 2026-12-01")
    today = dt.date(2026, 12, 4)  # SEV2: 5 business days from the import (Tuesday 12-01)
    assert "PM501" not in rules(draft, today=today)
    assert "PM501" in rules(draft, today=dt.date(2026, 12, 10))  # (due 12-08, a day of grace)
    # Imported before the incident's own deadline passed: that deadline holds (11-27).
    assert "PM501" in rules(
        draft.replace("imported: 2026-12-01", "imported: 2026-11-01"), today=today
    )
