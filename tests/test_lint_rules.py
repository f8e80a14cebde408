"""Each lint rule fires on a document that breaks it, at the right line, and not on GOOD."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from pmctl.domain.config import LintSettings, RuleLevel, Settings
from pmctl.domain.lint import RULES, Severity
from pmctl.domain.model import Status
from tests.conftest import run_process
from tests.sample_postmortems import GOOD, findings, line_of, rules

TIMELINE = """2026-11-20 (all times UTC)

- 10:00 Configuration push.
- 10:05 Latency alert pages the on-call.
- 10:40 Rollback done.
- 11:00 Latency normal."""


def test_the_complete_document_is_clean() -> None:
    assert findings(GOOD) == []


def test_every_rule_has_a_unique_id_and_kebab_case_name() -> None:
    ids = [rule.id for rule in RULES]
    names = [rule.name for rule in RULES]
    assert len(set(ids)) == len(ids)
    assert len(set(names)) == len(names)
    assert all(name == name.lower() and " " not in name for name in names)


# --- schema -----------------------------------------------------------------------------


def test_schema_errors_point_at_the_offending_key() -> None:
    text = GOOD.replace("    priority: P1\n", "    priority: P9\n").replace(
        "severity: SEV2\n", "severity: SEV2\nseverity_typo: 1\n"
    )
    found = {finding.rule: finding for finding in findings(text)}
    assert found["PM020"].line == line_of(text, "priority: P9")
    assert "action_items.0.priority" in found["PM020"].message
    assert found["PM021"].line == line_of(text, "severity_typo")
    assert "did you mean `severity`" in found["PM021"].hint


def test_a_missing_required_key_is_reported_with_its_name() -> None:
    (finding,) = findings(GOOD.replace("owner: alice\n", ""))
    assert finding.rule == "PM022"
    assert "`owner`" in finding.message


def test_a_date_that_does_not_exist_gets_its_own_finding() -> None:
    text = GOOD.replace("created: 2026-11-20", "created: 2026-02-30")
    (finding,) = findings(text)
    assert (finding.rule, finding.name) == ("PM023", "date-nonexistent")
    assert finding.line == line_of(text, "created:")
    assert "'2026-02-30' is not a real date" in finding.message


@pytest.mark.parametrize(
    ("written", "wrong", "hint"),
    [
        ("status: in-review", "status: In-Review", "did you mean 'in-review'?"),
        ("    priority: P1", "    priority: p1", "did you mean 'P1'?"),
        ("    type: prevent", "    type: Prevention", "did you mean 'prevent'?"),
        ("owner: alice", "owner: [alice]", "write one value here, not a list"),
        ("services: [checkout]", "services: checkout", "write a list: `[a, b]`"),
        ("created: 2026-11-20", "created: 20/11/2026", "write the date as YYYY-MM-DD"),
        ("created: 2026-11-20", "created: 2026-11-20 09:00", "write the date alone, YYYY-MM-DD"),
        ("started: 2026-11-20T10:00:00Z", "started: 2026-11-20 10:00", "add the time zone: Z"),
        ("started: 2026-11-20T10:00:00Z", "started: 10:00", "write the date, time and time zone"),
        ("status: in-review", "status: banana", "see `pmctl schema` for the allowed values"),
    ],
)
def test_a_wrong_value_gets_a_hint_of_how_to_write_it(written: str, wrong: str, hint: str) -> None:
    text = GOOD.replace(written, wrong, 1)
    found = [finding for finding in findings(text) if finding.rule == "PM020"]
    assert [(finding.line, finding.hint[: len(hint)]) for finding in found] == [
        (line_of(text, wrong.strip()), hint)
    ]


@pytest.mark.parametrize(
    ("key", "hint"),
    [
        ("date: 2026-11-20", "rename it to `created`"),
        ("summary: Checkout was slow.", "the summary goes in the body, under `## Summary`"),
        ("owners: [alice, bob]", "`owner` is one accountable person"),
    ],
)
def test_a_key_of_another_format_is_named_with_pmctls_own(key: str, hint: str) -> None:
    """Keys from Jekyll, Hugo or a team's own format: `date` got the list of every key."""
    text = GOOD.replace("created: 2026-11-20\n", f"created: 2026-11-20\n{key}\n")
    (finding,) = findings(text)
    assert (finding.rule, finding.line) == ("PM021", line_of(text, key))
    assert finding.hint.startswith(hint)


def test_unknown_severity() -> None:
    assert rules(GOOD.replace("severity: SEV2", "severity: SEV9")) == ["PM024"]
    (finding,) = findings(GOOD.replace("severity: SEV2", "severity: sev2"))
    assert finding.hint == "write 'SEV2', as pmctl.toml spells it"


@pytest.mark.parametrize(
    ("line", "written"),
    [
        ("  started: ", "1400"),
        ("  started: ", "1732000000"),
        ("created: ", "0"),
        ("created: ", "20.5"),
    ],
)
def test_a_number_is_no_date_or_moment(line: str, written: str) -> None:
    """`started: 1400` (a time of day) was read as seconds since 1970, 1970-01-01T00:23:20Z,
    and passed lint; so did `created: 0`."""
    key = line.strip().rstrip(":")
    text = re.sub(rf"(?m)^{line}.*$", f"{line}{written}", GOOD, count=1)
    assert f"{line}{written}\n" in text
    (finding,) = findings(text)
    assert finding.rule == "PM020", finding
    assert "not a number" in finding.message
    assert finding.line == line_of(text, f"{key}: {written}")


@pytest.mark.parametrize("written", ["true", "false", '"38 min"'])
def test_minutes_are_a_whole_number(written: str) -> None:
    """`user_visible_minutes: true` was read as 1 minute and passed lint; a value with its
    unit got "see `pmctl schema`"."""
    text = GOOD.replace("  user_visible_minutes: 60\n", f"  user_visible_minutes: {written}\n")
    assert f"user_visible_minutes: {written}\n" in text
    (finding,) = findings(text)
    assert (finding.rule, finding.hint) == (
        "PM020",
        "write a whole number, without units or separators (e.g. 38)",
    )


def test_a_severity_written_as_a_number_is_checked_as_its_digits() -> None:
    (finding,) = findings(GOOD.replace("severity: SEV2", "severity: 1"))
    assert (finding.rule, finding.message) == (
        "PM024",
        "severity '1' is not one of SEV1, SEV2, SEV3, SEV4",
    )
    numbered = Settings(severities=["1", "2"], review_deadlines={"1": "5d", "2": "5d"})
    assert findings(GOOD.replace("severity: SEV2", "severity: 2"), settings=numbered) == []


def test_every_problem_of_the_front_matter_in_one_run() -> None:
    text = GOOD.replace("severity: SEV2", "severity: SEV9").replace("created: 2026-11-20\n", "")
    assert sorted(rules(text)) == ["PM022", "PM024"]


def test_an_incident_after_today_is_a_warning() -> None:
    text = GOOD.replace("started: 2026-11-20T10:00:00Z", "started: 2062-11-20T10:00:00Z")
    found = [f for f in findings(text) if f.rule == "PM303"]
    assert [(f.severity, f.line) for f in found] == [
        (Severity.WARNING, line_of(text, "started: 2062"))
    ]
    assert "2062-11-20" in found[0].message


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("started: 2026-11-20T10:00:00Z", "started: 2026-11-24T08:00:00+09:00"),
        ("started: 2026-11-20T10:00:00Z", "started: 2026-11-24T01:00:00+14:00"),
        ("created: 2026-11-20", "created: 2026-11-24"),
    ],
)
def test_an_incident_dated_tomorrow_in_its_zone_is_not_in_the_future(old: str, new: str) -> None:
    """08:00 in Tokyo on the 24th is the 23rd in UTC, where CI runs: PM303 warned (and
    `lint --strict` failed) on every morning incident in Japan until 09:00 JST."""
    text = GOOD.replace(old, new)
    if "created" in old:  # the date `new` wrote in Tokyo, with the start not yet known
        text = text.replace("started: 2026-11-20T10:00:00Z", "started: null")
    assert "PM303" not in rules(text, today=dt.date(2026, 11, 23))
    assert "PM303" in rules(text, today=dt.date(2026, 11, 22))


# --- sections ----------------------------------------------------------------------------


def test_required_sections_depend_on_the_status() -> None:
    text = GOOD.replace("## Detection\n\nThe latency SLO alert paged the on-call engineer.\n", "")
    assert rules(text) == ["PM101"]
    assert rules(text.replace("status: in-review", "status: draft")) == []


@pytest.mark.parametrize("underline", ["=======", "---", "   ---  "])
def test_an_underlined_heading_opens_its_section(underline: str) -> None:
    """pandoc and wiki exports write setext headings, which every Markdown renderer shows
    as headings: lint reported the section missing (PM101) and told the user to rewrite it."""
    text = GOOD.replace("## Impact\n", f"Impact:\n{underline}\n")
    assert findings(text) == []


@pytest.mark.parametrize(
    "above",
    ["- One in ten checkouts timed out.", "> One in ten checkouts timed out.", "| a | b |", ""],
)
def test_a_dash_line_under_anything_but_a_paragraph_is_a_thematic_break(above: str) -> None:
    """As CommonMark reads it: the section it is in goes on, and a missing one stays missing."""
    text = GOOD.replace("## Impact\n", f"{above}\nImpact\n\n---\n")
    assert [(f.rule, f.line) for f in findings(text)] == [("PM101", line_of(text, "## Root"))]


def test_a_paragraph_underlined_ends_the_section_above_as_a_heading() -> None:
    """`text\n---` is a heading to every renderer: what the section holds ends there."""
    text = GOOD.replace(
        "## Impact\n\nOne in ten checkouts timed out for 60 minutes.\n",
        "## Impact\n\nOne in ten checkouts timed out\nfor 60 minutes.\n---\n",
    )
    (finding,) = findings(text)
    assert (finding.rule, finding.line) == ("PM102", line_of(text, "## Impact"))
    assert finding.hint.startswith("'One in ten checkouts timed out for 60 minutes.' has a `---`")
    assert "put a blank line before that line" in finding.hint


def test_japanese_headings_count_as_the_sections() -> None:
    text = GOOD.replace("## Summary", "## 概要").replace(
        "### What went well", "### うまくいったこと"
    )
    assert findings(text) == []


def test_a_section_with_only_template_guidance_is_unfilled() -> None:
    text = GOOD.replace(
        "A configuration push lowered the pool size.",
        "<!-- pmctl:guide What set it off: the change,\nevent or traffic. -->",
    )
    (finding,) = findings(text)
    assert finding.rule == "PM102"
    assert finding.line == line_of(text, "## Trigger")
    assert findings(text.replace("status: in-review", "status: draft")) == []


def test_guidance_left_beside_written_text_is_a_warning() -> None:
    text = GOOD.replace(
        "A configuration push lowered the pool size.",
        "A configuration push lowered the pool size.\n<!-- pmctl:guide What set it off. -->",
    )
    (finding,) = findings(text)
    assert (finding.rule, finding.severity) == ("PM103", Severity.WARNING)


def test_a_trigger_copied_from_the_root_causes_is_a_warning() -> None:
    copied = "The connection pool limit was lower than\nthe new peak traffic needed."
    text = GOOD.replace("A configuration push lowered the pool size.", copied)
    (finding,) = findings(text)
    assert (finding.rule, finding.severity) == ("PM105", Severity.WARNING)
    assert finding.line == line_of(text, "## Trigger")
    assert "'Trigger' repeats section 'Root Causes' word for word" in finding.message
    assert findings(text.replace("status: in-review", "status: draft")) == []
    # Told apart, even in the same words: one says more than the other.
    assert (
        findings(
            text.replace("traffic needed.\n\n## Trigger", "traffic needed. Always.\n\n## Trigger")
        )
        == []
    )


def test_the_action_table_must_match_the_front_matter() -> None:
    text = GOOD.replace("| OPS-1 | todo |", "| OPS-1 | done |")
    (finding,) = findings(text)
    assert finding.rule == "PM104"
    assert finding.line == line_of(text, "| OPS-1 | done |")


def test_items_without_a_table_are_drift_too() -> None:
    start = GOOD.index("<!-- pmctl:action-items:start -->")
    end = GOOD.index("<!-- pmctl:action-items:end -->") + len("<!-- pmctl:action-items:end -->")
    assert rules(GOOD[:start] + GOOD[end:]) == ["PM104"]


# --- action items ------------------------------------------------------------------------


def _with_item(item: str) -> str:
    return GOOD.replace("reviews: []\n", item + "reviews: []\n")


def test_owner_type_priority_are_required_from_in_review() -> None:
    text = GOOD.replace("    type: prevent\n    owner: bob\n    priority: P1\n", "")
    found = [f for f in findings(text) if f.rule != "PM104"]
    assert [f.rule for f in found] == ["PM201", "PM202", "PM203"]
    assert {f.line for f in found} == {line_of(text, "- id: AI-1")}
    draft = text.replace("status: in-review", "status: draft")
    assert [r for r in rules(draft) if r != "PM104"] == []
    # The transition guard asks as though the draft were in review.
    assert [f.rule for f in findings(draft, as_status=Status.IN_REVIEW) if f.rule != "PM104"] == [
        "PM201",
        "PM202",
        "PM203",
    ]


@pytest.mark.parametrize(
    "title", ["Investigate the outage", "Be more careful with configs", "設定変更時に注意する"]
)
def test_vague_action_items_are_flagged(title: str) -> None:
    text = GOOD.replace("Add an alert on connection pool saturation", title)
    found = [f for f in findings(text) if f.rule == "PM204"]
    assert len(found) == 1
    assert found[0].line == line_of(text, f"title: {title}")


def test_configured_vague_phrases_are_flagged() -> None:
    settings = Settings(lint=LintSettings(vague_extra=["add an alert"]))
    assert "PM204" in rules(GOOD, settings=settings)


def test_high_priority_items_need_a_tracker_or_a_due_date() -> None:
    text = GOOD.replace("    tracker: OPS-1\n", "")
    assert "PM205" in rules(text)
    assert "PM205" not in rules(
        text.replace("    status: todo\n", "    status: todo\n    due: 2026-12-01\n")
    )


def test_overdue_items_are_reported_after_their_due_date() -> None:
    text = GOOD.replace("    tracker: OPS-1\n", "    tracker: OPS-1\n    due: 2026-11-22\n")
    assert "PM206" in rules(text)
    assert "PM206" not in rules(text, today=dt.date(2026, 11, 22))
    assert "PM206" not in rules(text.replace("status: todo", "status: done"))


def test_duplicate_action_item_ids() -> None:
    item = "  - id: AI-1\n    title: Roll back faster\n    type: process\n    owner: bob\n    priority: P2\n"
    assert "PM207" in rules(_with_item(item))


# --- time ----------------------------------------------------------------------------------


def test_timestamps_must_be_in_order() -> None:
    text = GOOD.replace("mitigated: 2026-11-20T10:40:00Z", "mitigated: 2026-11-20T09:40:00Z")
    (finding,) = findings(text)
    assert finding.rule == "PM301"
    assert finding.line == line_of(text, "mitigated:")


def test_the_body_timeline_must_be_chronological() -> None:
    text = GOOD.replace("- 10:40 Rollback done.", "- 09:40 Rollback done.")
    (finding,) = findings(text)
    assert (finding.rule, finding.line) == ("PM302", line_of(text, "09:40"))


def test_a_date_line_lets_the_timeline_cross_midnight() -> None:
    text = GOOD.replace("- 11:00 Latency normal.", "2026-11-21\n\n- 00:10 Latency normal.")
    assert findings(text) == []
    assert rules(text.replace("2026-11-21\n", "")) == ["PM302"]


@pytest.mark.parametrize(
    "rows",
    [
        ("- 01:40 BST a", "- 01:55 BST b", "- 01:05 GMT c", "- 01:20 GMT d"),
        ("| 01:40 BST | a |", "| 01:55 BST | b |", "| 01:05 GMT | c |", "| 01:20 GMT | d |"),
        ("- 2027-10-31T01:55+01:00 b", "- 2027-10-31T01:05+00:00 c"),
    ],
)
def test_a_timeline_with_its_zones_crosses_the_end_of_summer_time(rows: tuple[str, ...]) -> None:
    """In London the clocks go back from 02:00 BST to 01:00 GMT: 01:05 GMT is 10 minutes
    after 01:55 BST, and was warned of as out of order."""
    table = ("| time | event |", "|---|---|") if rows[0].startswith("|") else ()
    timeline = "\n".join(("2027-10-31", "", *table, *rows))
    text = GOOD.replace(TIMELINE, timeline)
    assert "PM302" not in rules(text)
    backwards = text.replace(rows[-1], rows[-1].replace("01:", "00:"))
    assert "PM302" in rules(backwards)


# --- blameless -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "rule"),
    [
        ("The operator should have checked the diff.", "PM401"),
        ("It would have been caught by a canary.", "PM401"),
        ("確認すべきだった。", "PM401"),
        ("レビューしていれば防げた。", "PM401"),
        ("A careless push broke it.", "PM402"),
        ("担当者の不注意で発生した。", "PM402"),
        ("設定ミスが原因。", "PM402"),
        ("運用者のせいで止まった。", "PM402"),
    ],
)
def test_blaming_and_counterfactual_language(sentence: str, rule: str) -> None:
    text = GOOD.replace("Detection took five minutes; the rollback took thirty.", sentence)
    (finding,) = findings(text)
    assert finding.rule == rule
    assert finding.line == line_of(text, sentence)
    assert finding.column == 1 + text.split("\n")[finding.line - 1].index(
        finding.message.split("'")[1]
    )


def test_human_error_as_a_root_cause() -> None:
    text = GOOD.replace(
        "The connection pool limit was lower than the new peak traffic needed.",
        "Human error.",
    )
    assert rules(text) == ["PM403"]


def test_katakana_words_that_merely_start_with_misu_are_fine() -> None:
    text = GOOD.replace(
        "Detection took five minutes", "設定のミスマッチ。Detection took five minutes"
    )
    assert findings(text) == []


@pytest.mark.parametrize(
    ("fine", "flagged", "found"),
    [
        pytest.param(
            "The lazy-loaded module and lazy evaluation hid it; a sloppy quorum kept the "
            "writes; git blame showed the commit.",
            "He was lazy; the sloppy review and Git Blame missed it.",
            ["'lazy' blames a person", "'sloppy' blames a person"],
            id="blame",  # lazy loading, a sloppy quorum and `git blame` were "blames a person"
        ),
        pytest.param(
            "Every service should have a runbook; the fix would have to be redeployed; we "
            "should have more alerts.",
            "Bob should have checked it; it would have fired.",
            [
                "counterfactual 'should have': hindsight about what did not happen",
                "counterfactual 'would have': hindsight about what did not happen",
            ],
            id="hindsight",  # "every service should have a runbook" was hindsight
        ),
    ],
)
def test_a_blaming_word_in_a_technical_or_planning_phrase_is_fine(
    fine: str, flagged: str, found: list[str]
) -> None:
    def with_(sentence: str) -> str:
        return GOOD.replace(
            "Detection took five minutes", f"{sentence} Detection took five minutes"
        )

    assert findings(with_(fine)) == []
    assert [finding.message for finding in findings(with_(flagged))] == found


def test_code_and_comments_are_not_checked_for_blame() -> None:
    text = GOOD.replace(
        "Detection took five minutes; the rollback took thirty.",
        "Detection took five minutes.\n\n```\nERROR: careless_mode=true\n```\n\n"
        "<!-- someone should have -->\nSee `should have`.",
    )
    assert findings(text) == []


def test_the_lexicon_is_configurable() -> None:
    text = GOOD.replace(
        "Detection took five minutes", "A sloppy rollout. Detection took five minutes"
    )
    assert rules(text) == ["PM402"]
    allow = Settings(lint=LintSettings(blameless_allow=["sloppy"]))
    assert rules(text, settings=allow) == []
    extra = Settings(lint=LintSettings(blameless_extra=["rollout"]))
    assert rules(text, settings=extra) == ["PM402", "PM402"]


# --- review process --------------------------------------------------------------------------


def test_a_postmortem_past_its_review_deadline() -> None:
    # SEV2: five business days from Friday 2026-11-20 is Friday 2026-11-27.
    # Missed from the 29th on: the 28th in CI may still be the 27th where the incident was.
    assert "PM501" not in rules(GOOD, today=dt.date(2026, 11, 28))
    (finding,) = findings(GOOD, today=dt.date(2026, 11, 29))
    assert finding.rule == "PM501"
    assert finding.line == line_of(GOOD, "status:")
    assert "2026-11-27" in finding.message
    # A transition guard is how an overdue draft moves on: not refused for being late.
    assert findings(GOOD, today=dt.date(2026, 11, 29), as_status=Status.IN_REVIEW) == []


def test_calendar_day_deadlines_for_sev1() -> None:
    text = GOOD.replace("severity: SEV2", "severity: SEV1")
    assert "PM501" not in rules(text, today=dt.date(2026, 11, 24))
    assert "PM501" in rules(text, today=dt.date(2026, 11, 25))


REVIEWED = GOOD.replace("status: in-review", "status: reviewed").replace(
    "shared_with: []", "shared_with: [sre@]"
)


def test_reviewed_needs_an_approval_by_a_non_author() -> None:
    assert rules(REVIEWED) == ["PM502"]
    by_author = "reviews:\n  - reviewer: bob\n    date: 2026-11-21\n    verdict: approved\n"
    assert rules(REVIEWED.replace("reviews: []\n", by_author)) == ["PM502"]
    approved = by_author.replace("bob", "carol")
    assert findings(REVIEWED.replace("reviews: []\n", approved)) == []


def test_approvals_count_as_the_reviewed_guard_counts_them() -> None:
    # carol approved, then dave asked for changes: the document changed after carol read
    # it, so her approval no longer stands; an author named in another case is an author.
    voided = (
        "reviews:\n  - reviewer: carol\n    date: 2026-11-21\n    verdict: approved\n"
        "  - reviewer: dave\n    date: 2026-11-22\n    verdict: changes-requested\n"
    )
    assert rules(REVIEWED.replace("reviews: []\n", voided)) == ["PM502"]
    by_author = "reviews:\n  - reviewer: Bob\n    date: 2026-11-21\n    verdict: approved\n"
    assert rules(REVIEWED.replace("reviews: []\n", by_author)) == ["PM502"]
    again = voided + "  - reviewer: carol\n    date: 2026-11-23\n    verdict: approved\n"
    assert findings(REVIEWED.replace("reviews: []\n", again)) == []


def test_reviewed_must_be_shared() -> None:
    approved = "reviews:\n  - reviewer: carol\n    date: 2026-11-21\n    verdict: approved\n"
    text = REVIEWED.replace("reviews: []\n", approved).replace(
        "shared_with: [sre@]", "shared_with: []"
    )
    assert rules(text) == ["PM504"]


def test_closed_with_open_untracked_items() -> None:
    approved = "reviews:\n  - reviewer: carol\n    date: 2026-11-21\n    verdict: approved\n"
    closed = REVIEWED.replace("reviews: []\n", approved).replace(
        "status: reviewed", "status: closed"
    )
    assert findings(closed) == []  # the open item is tracked in OPS-1
    untracked = (
        closed.replace("    tracker: OPS-1\n", "    due: 2026-12-01\n")
        .replace("| OPS-1 |", "|  |")
        .replace("| P1 |  |", "| P1 | 2026-12-01 |")
    )
    assert rules(untracked) == ["PM503"]


# --- criteria ----------------------------------------------------------------------------


def test_data_loss_needs_the_data_loss_criterion() -> None:
    text = GOOD.replace("data_loss: false", "data_loss: true")
    (finding,) = findings(text)
    assert finding.rule == "PM601"
    assert finding.line == line_of(text, "data_loss: true")
    both = text.replace(
        "criteria: [user-visible-downtime]", "criteria: [user-visible-downtime, data-loss]"
    )
    assert findings(both) == []
    assert rules(both.replace("data_loss: true", "data_loss: false")) == ["PM601"]


def test_criteria_must_be_configured_ids_and_not_empty_in_review() -> None:
    assert rules(GOOD.replace("[user-visible-downtime]", "[user-visible-downtime, outage]")) == [
        "PM602"
    ]
    assert rules(GOOD.replace("criteria: [user-visible-downtime]", "criteria: []")) == ["PM603"]


# --- levels and disables --------------------------------------------------------------------


BLAMING = GOOD.replace(
    "Detection took five minutes", "A careless push. Detection took five minutes"
)


@pytest.mark.parametrize("key", ["PM402", "blame-language"])
def test_rule_levels_come_from_settings_by_id_or_name(key: str) -> None:
    error = Settings(lint=LintSettings(rules={key: RuleLevel.ERROR}))
    assert [f.severity for f in findings(BLAMING, settings=error)] == [Severity.ERROR]
    off = Settings(lint=LintSettings(rules={key: RuleLevel.OFF}))
    assert findings(BLAMING, settings=off) == []


def test_an_inline_comment_disables_a_rule_on_the_next_line() -> None:
    text = BLAMING.replace("A careless push.", "<!-- pmctl-disable PM402 -->\nA careless push.")
    assert findings(text) == []
    other = BLAMING.replace("A careless push.", "<!-- pmctl-disable PM401 -->\nA careless push.")
    assert rules(other) == ["PM402"]
    far = BLAMING.replace("A careless push.", "<!-- pmctl-disable PM402 -->\n\nA careless push.")
    assert rules(far) == ["PM402"]


def test_a_file_comment_disables_a_rule_everywhere_by_name() -> None:
    text = BLAMING + "\n<!-- pmctl-disable-file blame-language -->\n"
    assert findings(text) == []


def test_a_yaml_comment_disables_front_matter_findings() -> None:
    vague = GOOD.replace(
        "title: Add an alert on connection pool saturation", "title: Investigate the pool"
    )
    assert "PM204" in rules(vague)
    text = vague.replace(
        "    title: Investigate", "    # pmctl-disable PM204\n    title: Investigate"
    )
    assert "PM204" not in rules(text)


def test_every_rule_has_a_page_with_a_bad_and_a_good_example() -> None:
    from pathlib import Path

    docs = Path(__file__).resolve().parent.parent / "docs"
    guide = (docs / "lint.md").read_text(encoding="utf-8")
    for rule in RULES:
        page = (docs / "rules" / f"{rule.id}.md").read_text(encoding="utf-8")
        assert page.startswith(f"# {rule.id} `{rule.name}`")
        assert "## Bad" in page
        assert "## Good" in page
        assert f"**Default severity:** {rule.severity.value}" in page
        assert f"(rules/{rule.id}.md)" in guide


def test_check_repository_reports_duplicates_names_and_missing_related_links() -> None:
    from pathlib import Path

    from pmctl.adapters import documents
    from pmctl.domain.document import ParsedDocument
    from pmctl.domain.lint import check_repository

    def document(name: str, text: str) -> ParsedDocument:
        return documents.parse_bytes(Path(f"postmortems/2026/{name}.md"), text.encode())

    linked = GOOD.replace("related: []", "related: [2026-01-01-gone]")
    found = check_repository(
        [
            (document("2026-11-20-checkout-latency", GOOD), None),
            (document("2026-11-20-copy", linked), None),
        ],
        Settings(),
    )
    assert sorted((f.path.name, f.rule) for f in found) == [
        ("2026-11-20-checkout-latency.md", "PM701"),
        ("2026-11-20-copy.md", "PM701"),
        ("2026-11-20-copy.md", "PM702"),
        ("2026-11-20-copy.md", "PM703"),
    ]


def test_a_review_deadline_is_not_overdue_in_ci_while_it_is_still_due_where_it_happened(
    tmp_path: Path,
) -> None:
    """A SEV2 started in Los Angeles on Friday 2026-11-20 is due on Friday the 27th. At 18:00
    that day in Los Angeles, a CI in UTC is on the 28th: it called the postmortem overdue
    while the team still had its evening."""
    text = GOOD.replace("status: in-review", "status: draft").replace(
        "started: 2026-11-20T10:00:00Z", "started: 2026-11-20T10:00:00-08:00"
    )
    root = tmp_path / "pm"
    root.mkdir()
    (root / "pmctl.toml").write_text("", encoding="utf-8")
    path = root / "postmortems" / "2026" / "2026-11-20-checkout-latency.md"
    path.parent.mkdir(parents=True)
    path.write_text(text, encoding="utf-8")
    for moment, overdue in (("2026-11-28T02:00:00+00:00", False), ("2026-11-29", True)):
        result = run_process(root, "lint", str(path), env={"TZ": "UTC", "PMCTL_TODAY": moment})
        assert ("PM501" in result.stdout) is overdue, result.stdout + result.stderr
