"""`[lint] downtime_minutes`: user-visible minutes at or above the threshold require the
downtime criterion (PM601); the criterion listed below the threshold is a warning (PM604)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pmctl.adapters.config_file import read_settings
from pmctl.domain.config import DEFAULT_CRITERIA, LintSettings, RuleLevel, Settings
from pmctl.domain.lint import Severity
from pmctl.errors import ConfigError
from tests.sample_postmortems import GOOD, findings, line_of, rules

THRESHOLD = Settings(lint=LintSettings(downtime_minutes=30))

ON_CALL_ONLY = GOOD.replace("criteria: [user-visible-downtime]", "criteria: [on-call-intervention]")
"""60 user-visible minutes, but only the on-call criterion listed."""


def minutes(text: str, value: int) -> str:
    return text.replace("user_visible_minutes: 60", f"user_visible_minutes: {value}")


def test_without_a_threshold_the_minutes_are_not_compared_with_the_criteria() -> None:
    assert findings(ON_CALL_ONLY) == []
    assert findings(minutes(GOOD, 1)) == []


def test_minutes_at_or_above_the_threshold_need_the_downtime_criterion() -> None:
    (finding,) = findings(ON_CALL_ONLY, settings=THRESHOLD)
    assert (finding.rule, finding.severity) == ("PM601", Severity.ERROR)
    assert finding.line == line_of(ON_CALL_ONLY, "user_visible_minutes:")
    assert finding.message == (
        "impact.user_visible_minutes is 60, at or above the threshold of 30, "
        "but criterion 'user-visible-downtime' is not listed"
    )
    assert finding.hint.startswith("add `user-visible-downtime` to `criteria:`")
    assert "downtime_minutes = 30" in finding.hint
    assert rules(minutes(ON_CALL_ONLY, 30), settings=THRESHOLD) == ["PM601"]
    assert findings(minutes(ON_CALL_ONLY, 29), settings=THRESHOLD) == []
    assert findings(GOOD, settings=THRESHOLD) == []


def test_the_criterion_listed_below_the_threshold_is_a_warning_at_its_line() -> None:
    text = minutes(GOOD, 10).replace(
        "criteria: [user-visible-downtime]",
        "criteria:\n  - on-call-intervention\n  - user-visible-downtime",
    )
    (finding,) = findings(text, settings=THRESHOLD)
    assert (finding.rule, finding.name, finding.severity) == (
        "PM604",
        "criterion-below-threshold",
        Severity.WARNING,
    )
    assert finding.line == line_of(text, "  - user-visible-downtime")
    assert "impact.user_visible_minutes is 10, below the threshold of 30" in finding.message
    assert findings(text) == []  # no threshold: today's behaviour


def test_unknown_minutes_are_not_compared() -> None:
    no_minutes = GOOD.replace("  user_visible_minutes: 60\n", "")
    assert findings(no_minutes, settings=THRESHOLD) == []
    on_call = no_minutes.replace(
        "criteria: [user-visible-downtime]", "criteria: [on-call-intervention]"
    )
    assert findings(on_call, settings=THRESHOLD) == []


def test_a_teams_own_downtime_criterion() -> None:
    settings = Settings(
        criteria={"outage": "More than 15 minutes of errors", "data-loss": "Data loss"},
        lint=LintSettings(downtime_minutes=15, downtime_criterion="outage"),
    )
    text = GOOD.replace("criteria: [user-visible-downtime]", "criteria: [data-loss]").replace(
        "data_loss: false", "data_loss: true"
    )
    (finding,) = findings(text, settings=settings)
    assert finding.rule == "PM601"
    assert "criterion 'outage' is not listed" in finding.message
    listed = text.replace("criteria: [data-loss]", "criteria: [data-loss, outage]")
    assert findings(listed, settings=settings) == []


def test_the_warnings_level_is_configurable_by_name() -> None:
    text = minutes(GOOD, 10)
    strict = Settings(
        lint=LintSettings(downtime_minutes=30, rules={"criterion-below-threshold": RuleLevel.ERROR})
    )
    (finding,) = findings(text, settings=strict)
    assert (finding.rule, finding.severity) == ("PM604", Severity.ERROR)


def test_the_threshold_needs_a_configured_criterion(tmp_path: Path) -> None:
    path = tmp_path / "pmctl.toml"
    path.write_text(
        '[criteria]\noutage = "Errors for users"\n\n[lint]\ndowntime_minutes = 30\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as raised:
        read_settings(path)
    assert "lint.downtime_criterion 'user-visible-downtime' is not one of the criteria: outage" in (
        raised.value.message
    )
    path.write_text(
        path.read_text(encoding="utf-8") + 'downtime_criterion = "outage"\n', encoding="utf-8"
    )
    assert read_settings(path).lint.downtime_criterion == "outage"


def test_the_threshold_is_a_positive_number_of_minutes(tmp_path: Path) -> None:
    path = tmp_path / "pmctl.toml"
    path.write_text("[lint]\ndowntime_minutes = 0\n", encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        read_settings(path)
    assert raised.value.location == f"{path}:2"
    assert "lint.downtime_minutes" in raised.value.message


def test_the_default_criterion_is_one_of_the_default_criteria() -> None:
    assert LintSettings().downtime_criterion in DEFAULT_CRITERIA
    assert LintSettings().downtime_minutes is None


def test_the_review_checklist_counts_the_warning_against_the_impact_question() -> None:
    from pmctl.adapters.documents import parse_bytes
    from pmctl.domain import review
    from pmctl.domain.model import Postmortem
    from tests.sample_postmortems import PATH

    text = minutes(GOOD, 10)
    found = findings(text, settings=THRESHOLD)
    data = parse_bytes(PATH, text.encode()).data
    answers = {a.question.id: a for a in review.answer(Postmortem.model_validate(data), found)}
    assert answers["impact"].answer is False
    assert [f.rule for f in answers["impact"].findings] == ["PM604"]
