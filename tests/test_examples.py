"""The bundled example repository: the seed's Shakespeare Sonnet++ postmortem (incident 465).

The example is the reference document: pmctl must hold all of it, in English and Japanese.
These tests pin the facts that must survive any edit (action items, timeline, impact) and
that the body's action-item table is exactly what pmctl would generate.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from pmctl.adapters.config_file import load_project, read_settings
from pmctl.adapters.discovery import discover
from pmctl.adapters.documents import load
from pmctl.domain import lifecycle, review
from pmctl.domain.action_table import render_table
from pmctl.domain.model import ActionStatus, ActionType, Language, Postmortem, Status
from pmctl.domain.sections import SECTIONS, SECTIONS_BY_KEY
from pmctl.services.lint import lint

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "shakespeare"
DIRECTORY = EXAMPLE / "postmortems" / "2015"
ENGLISH = DIRECTORY / "2015-10-21-shakespeare-sonnet.md"
JAPANESE = DIRECTORY / "2015-10-21-shakespeare-sonnet-ja.md"
BOTH = pytest.mark.parametrize(
    ("path", "language"), [(ENGLISH, Language.EN), (JAPANESE, Language.JA)], ids=["en", "ja"]
)

# (type, owner, tracker, status) of AI-1..AI-9, as in the seed's action-item table.
SEED_ACTIONS = [
    (ActionType.MITIGATE, "jennifer", None, ActionStatus.DONE),
    (ActionType.PREVENT, "martym", "5554823", ActionStatus.TODO),
    (ActionType.PROCESS, "docbrown", None, ActionStatus.TODO),
    (ActionType.PREVENT, "jennifer", "5554824", ActionStatus.TODO),
    (ActionType.PREVENT, "agoogler", "5554825", ActionStatus.DONE),
    (ActionType.PREVENT, "agoogler", "5554826", ActionStatus.TODO),
    (ActionType.PREVENT, "clarac", "5554827", ActionStatus.TODO),
    (ActionType.PREVENT, "jennifer", None, ActionStatus.DONE),
    (ActionType.OTHER, "docbrown", None, ActionStatus.TODO),
]

# Every timed entry of the seed's timeline, in order (15:36 appears twice).
SEED_TIMES = [
    "14:51", "14:53", "14:54", "14:55", "14:57", "14:58", "15:01", "15:02", "15:03",
    "15:04", "15:06", "15:07", "15:10", "15:12", "15:18", "15:20", "15:21", "15:23",
    "15:25", "15:28", "15:32", "15:33", "15:34", "15:36", "15:36", "15:39", "15:41",
    "15:43", "15:45", "15:47", "15:50", "15:55", "16:00", "16:30",
]  # fmt: skip

_HEADING = re.compile(r"^(#{2,3}) (.+)$", re.MULTILINE)
_ENTRY = re.compile(r"^- (\d{2}:\d{2}) \S")


def _sections(body: str) -> dict[str, str]:
    """Heading text -> the text up to the next heading of level 2 or 3."""
    matches = list(_HEADING.finditer(body))
    return {
        match[2]: body[match.end() : matches[i + 1].start() if i + 1 < len(matches) else None]
        for i, match in enumerate(matches)
    }


@BOTH
def test_loads_as_a_valid_postmortem_in_its_language(path: Path, language: Language) -> None:
    document, postmortem = load(path)

    assert postmortem.id == path.stem
    assert postmortem.language is language
    assert postmortem.incident == "465"
    assert postmortem.status is Status.REVIEWED
    assert postmortem.owner == "jennifer"
    assert postmortem.authors == ["jennifer", "martym", "agoogler"]
    assert document.problems == ()


@BOTH
def test_holds_the_seed_impact_and_times(path: Path, language: Language) -> None:
    postmortem = load(path)[1]
    utc = dt.UTC

    assert postmortem.impact.user_visible_minutes == 66
    assert postmortem.impact.affected_queries == 1_210_000_000
    assert postmortem.impact.data_loss is False
    assert postmortem.impact.billing is False
    stamps = postmortem.timestamps
    assert stamps.started == dt.datetime(2015, 10, 21, 14, 54, tzinfo=utc)
    assert stamps.detected == dt.datetime(2015, 10, 21, 14, 55, tzinfo=utc)
    assert stamps.mitigated == dt.datetime(2015, 10, 21, 15, 36, tzinfo=utc)
    assert stamps.resolved == dt.datetime(2015, 10, 21, 16, 0, tzinfo=utc)
    assert stamps.started is not None
    assert stamps.resolved is not None
    outage = stamps.resolved - stamps.started
    assert outage == dt.timedelta(minutes=postmortem.impact.user_visible_minutes or 0)


@BOTH
def test_holds_the_nine_action_items_of_the_seed(path: Path, language: Language) -> None:
    items = load(path)[1].action_items

    assert [item.id for item in items] == [f"AI-{n}" for n in range(1, 10)]
    assert [(i.type, i.owner, i.tracker, i.status) for i in items] == SEED_ACTIONS
    assert all(item.priority is not None for item in items)


@BOTH
def test_review_is_by_a_non_author_and_it_was_shared(path: Path, language: Language) -> None:
    postmortem = load(path)[1]

    assert [review.reviewer for review in postmortem.reviews] == ["docbrown"]
    assert postmortem.reviews[0].date == dt.date(2015, 10, 23)
    assert not set(postmortem.authors) & {review.reviewer for review in postmortem.reviews}
    assert postmortem.shared_with == ["shakespeare-incidents@"]


@BOTH
def test_meets_the_reviewed_guard_but_not_yet_closed(path: Path, language: Language) -> None:
    postmortem = load(path)[1]
    settings = read_settings(EXAMPLE / "pmctl.toml")

    def gaps(target: Status) -> list[lifecycle.Gap]:
        return lifecycle.guard(postmortem, target, settings=settings, findings=[])

    assert review.unanswered(postmortem) == []
    assert gaps(Status.REVIEWED) == []
    # The seed: "complete, action items in progress" -- AI-3 and AI-9 have no tracker.
    assert len(gaps(Status.CLOSED)) == 2


@BOTH
def test_body_has_every_section_heading_in_order(path: Path, language: Language) -> None:
    document = load(path)[0]

    headings = [match[2] for match in _HEADING.finditer(document.body)]

    assert headings == [section.heading(language) for section in SECTIONS]


@BOTH
def test_timeline_holds_every_seed_entry_in_order(path: Path, language: Language) -> None:
    document = load(path)[0]
    timeline = _sections(document.body)[SECTIONS_BY_KEY["timeline"].heading(language)]

    lines = [line for line in timeline.strip().splitlines() if line]
    times = [match[1] for line in lines if (match := _ENTRY.match(line))]

    assert lines[0].startswith("2015-10-21")
    assert len(lines) == 1 + len(SEED_TIMES)
    assert times == SEED_TIMES


@BOTH
def test_action_table_is_exactly_what_pmctl_renders(path: Path, language: Language) -> None:
    document, postmortem = load(path)

    assert render_table(postmortem.action_items, language) in document.body


def test_the_two_languages_link_to_each_other_and_agree() -> None:
    english, japanese = load(ENGLISH)[1], load(JAPANESE)[1]

    assert english.related == [japanese.id]
    assert japanese.related == [english.id]

    def facts(postmortem: Postmortem) -> object:
        items = [
            (i.id, i.type, i.owner, i.priority, i.status, i.tracker)
            for i in postmortem.action_items
        ]
        return (postmortem.timestamps, postmortem.severity, postmortem.criteria, items)

    assert facts(english) == facts(japanese)


def test_lint_finds_nothing_in_the_example_repository() -> None:
    result = lint(load_project(EXAMPLE), today=dt.date(2026, 11, 23), use_cache=False)

    assert result.files_checked == 2
    assert result.findings == ()


def test_example_repository_has_a_valid_config_and_only_these_postmortems() -> None:
    settings = read_settings(EXAMPLE / "pmctl.toml")

    assert discover(EXAMPLE / settings.postmortem_dir) == sorted([ENGLISH, JAPANESE])
