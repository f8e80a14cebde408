"""`[lint.section_aliases]`: extra headings that open a section, for every rule that finds
sections by heading, and config errors that point at `pmctl.toml`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pmctl.adapters.config_file import read_settings
from pmctl.domain import review
from pmctl.domain.config import LintSettings, Settings
from pmctl.domain.model import Postmortem
from pmctl.domain.project import Project
from pmctl.domain.sections import section_names
from pmctl.errors import ConfigError
from tests.conftest import run_cli
from tests.sample_postmortems import GOOD, findings, line_of, rules

ALIASES = {
    "root-causes": ["Root cause analysis", "Contributing factors", "なぜなぜ分析"],
    "timeline": ["Chronology"],
}
SETTINGS = Settings(lint=LintSettings(section_aliases=ALIASES))

MIGRATED = GOOD.replace("## Root Causes", "## Root cause analysis").replace(
    "## Timeline", "## Chronology"
)
"""GOOD as written by a team migrating from its own format."""

UNFILLED = MIGRATED.replace(
    "The connection pool limit was lower than the new peak traffic needed.",
    "<!-- pmctl:guide Why did it happen? -->",
)
"""MIGRATED with its aliased root-cause section holding only template guidance."""


def test_an_aliased_heading_is_the_section_for_the_required_section_rule() -> None:
    assert rules(MIGRATED) == ["PM101", "PM101"]  # without the aliases: two sections missing
    assert findings(MIGRATED, settings=SETTINGS) == []


@pytest.mark.parametrize(
    "heading",
    [
        "## ROOT CAUSE ANALYSIS",
        "## Root cause analysis:",
        "##   Root  cause\tanalysis  ##",
        "## Contributing factors",
        "## なぜなぜ分析：",
        "## なぜなぜ分析\u3000：",
    ],
)
def test_aliases_match_as_forgivingly_as_the_built_in_headings(heading: str) -> None:
    text = GOOD.replace("## Root Causes", heading)
    assert findings(text, settings=SETTINGS) == []


def test_built_in_headings_match_the_same_way() -> None:
    text = GOOD.replace("## Root Causes", "## root  causes :").replace("## Impact", "## 影響：")
    assert findings(text) == []


def test_numbered_and_emphasised_headings_are_their_sections() -> None:
    numbered = iter(range(1, 100))
    text = re.sub(r"^## (.+)$", lambda m: f"## {next(numbered)}. **{m[1]}**", GOOD, flags=re.M)
    assert "## 3. **Root Causes**" in text
    assert findings(text) == []
    for heading in ("## 2.1 Impact", "## 2) __Impact:__", "## ２．影響", "## *Impact*"):
        assert findings(GOOD.replace("## Impact", heading)) == [], heading


def test_a_number_is_a_word_of_the_heading_unless_it_numbers_it() -> None:
    settings = Settings(lint=LintSettings(section_aliases={"root-causes": ["5 Whys"]}))
    assert findings(GOOD.replace("## Root Causes", "## 5 Whys"), settings=settings) == []
    assert findings(GOOD.replace("## Root Causes", "## 3. 5 Whys"), settings=settings) == []
    assert rules(GOOD.replace("## Root Causes", "## Whys"), settings=settings) == ["PM101"]
    assert rules(GOOD.replace("## Impact", "## 1.5 Impact x")) == ["PM101"]


def test_an_alias_with_its_own_trailing_colon_and_case_in_config_still_matches() -> None:
    settings = Settings(lint=LintSettings(section_aliases={"root-causes": [" Why It Broke: "]}))
    assert findings(GOOD.replace("## Root Causes", "## why it broke"), settings=settings) == []


def test_the_unfilled_section_rule_sees_an_aliased_section_and_names_both_headings() -> None:
    text = UNFILLED
    (finding,) = findings(text, settings=SETTINGS)
    assert finding.rule == "PM102"
    assert finding.line == line_of(text, "## Root cause analysis")
    assert finding.message == "section 'Root cause analysis' (Root Causes) is not filled in"


def test_guidance_left_in_an_aliased_section_is_reported() -> None:
    text = MIGRATED.replace(
        "The connection pool limit was lower",
        "<!-- pmctl:guide Why did it happen? -->\nThe connection pool limit was lower",
    )
    (finding,) = findings(text, settings=SETTINGS)
    assert finding.rule == "PM103"
    assert "'Root cause analysis' (Root Causes)" in finding.message


def test_the_timeline_order_rule_reads_an_aliased_timeline() -> None:
    text = MIGRATED.replace("- 10:40 Rollback done.", "- 09:40 Rollback done.")
    (finding,) = findings(text, settings=SETTINGS)
    assert finding.rule == "PM302"
    assert finding.line == line_of(text, "09:40 Rollback")


def test_human_error_is_flagged_in_an_aliased_root_cause_section() -> None:
    text = MIGRATED.replace(
        "The connection pool limit was lower than the new peak traffic needed.",
        "Human error: the pool limit was set too low.",
    )
    assert rules(text, settings=SETTINGS) == ["PM403"]


def test_a_missing_section_hint_offers_the_aliases_and_points_where_it_belongs() -> None:
    text = MIGRATED.replace(
        "## Root cause analysis\n\nThe connection pool limit was lower than the new peak "
        "traffic needed.\n\n",
        "",
    )
    (finding,) = findings(text, settings=SETTINGS)
    assert finding.rule == "PM101"
    assert finding.hint == (
        "add a `## Root Causes` section (or one of its aliases: Root cause analysis, "
        "Contributing factors, なぜなぜ分析)"
    )
    assert finding.line == line_of(text, "## Trigger")
    chronology_missing = MIGRATED.replace("## Chronology", "## History")
    (finding,) = findings(chronology_missing, settings=SETTINGS)
    # Placed before the next present section, found under its alias or not.
    assert finding.line == line_of(chronology_missing, "## Action Items")


def test_the_review_checklist_relates_an_aliased_unfilled_section_to_its_question() -> None:
    from pmctl.adapters.documents import parse_bytes
    from tests.sample_postmortems import PATH

    text = UNFILLED
    found = findings(text, settings=SETTINGS)
    data = parse_bytes(PATH, text.encode()).data
    answers = {a.question.id: a for a in review.answer(Postmortem.model_validate(data), found)}
    assert answers["root-cause"].answer is False
    assert [f.rule for f in answers["root-cause"].findings] == ["PM102"]


# --- configuration -------------------------------------------------------------------------


def write_config(root: Path, text: str) -> Path:
    path = root / "pmctl.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_aliases_are_read_from_pmctl_toml(tmp_path: Path) -> None:
    path = write_config(
        tmp_path,
        '[lint.section_aliases]\nroot-causes = ["Root cause analysis", "なぜなぜ分析"]\n',
    )
    settings = read_settings(path)
    assert settings.lint.section_aliases == {"root-causes": ["Root cause analysis", "なぜなぜ分析"]}
    assert section_names(settings.lint.section_aliases).key_of("なぜなぜ分析") == "root-causes"


def test_an_unknown_section_key_is_an_error_at_its_line_naming_the_valid_keys(
    tmp_path: Path,
) -> None:
    path = write_config(
        tmp_path,
        'default_language = "en"\n\n[lint.section_aliases]\ntimeline = ["Chronology"]\n'
        'root-cause = ["Root cause analysis"]\n',
    )
    with pytest.raises(ConfigError) as raised:
        read_settings(path)
    assert raised.value.location == f"{path}:5"
    assert "unknown section 'root-cause'" in raised.value.message
    assert "root-causes" in raised.value.message
    assert "supporting-information" in raised.value.message


@pytest.mark.parametrize(
    ("aliases", "message"),
    [
        (
            {"impact": ["root causes"]},
            "heading 'root causes' cannot open both section 'root-causes' and section 'impact'",
        ),
        (
            {"impact": ["Scope"], "summary": ["scope:"]},
            "heading 'scope:' cannot open both section 'impact' and section 'summary'",
        ),
        ({"summary": ["  "]}, "an alias of section 'summary' is empty"),
    ],
)
def test_an_alias_that_would_open_two_sections_or_none_is_refused(
    aliases: dict[str, list[str]], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        LintSettings(section_aliases=aliases)


def test_an_alias_of_its_own_section_is_harmless() -> None:
    names = section_names({"summary": ["SUMMARY", "Overview"]})
    assert names.key_of("Overview") == "summary"
    assert names.key_of("summary") == "summary"


def test_lint_cli_stops_on_an_unknown_section_key_with_the_config_line(repo: Project) -> None:
    config = repo.config_path
    config.write_text(
        config.read_text(encoding="utf-8")
        + '\n[lint.section_aliases]\ncontributing-factors = ["Contributing factors"]\n',
        encoding="utf-8",
    )
    key_line = line_of(config.read_text(encoding="utf-8"), "contributing-factors =")
    result = run_cli(repo.root, "lint")
    assert result.returncode == 3
    assert f"pmctl.toml:{key_line}" in result.stderr
    assert "unknown section 'contributing-factors'" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_lint_service_reads_the_aliases_from_the_project(repo: Project) -> None:
    from pmctl.adapters.config_file import load_project
    from pmctl.services.lint import lint
    from tests.sample_postmortems import PATH, TODAY

    path = repo.root / PATH
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(MIGRATED, encoding="utf-8")
    assert [f.rule for f in lint(repo, today=TODAY, use_cache=False).findings] == ["PM101", "PM101"]
    repo.config_path.write_text(
        repo.config_path.read_text(encoding="utf-8")
        + '\n[lint.section_aliases]\nroot-causes = ["Root cause analysis"]\n'
        + 'timeline = ["Chronology"]\n',
        encoding="utf-8",
    )
    assert not lint(load_project(repo.root), today=TODAY, use_cache=False).findings
