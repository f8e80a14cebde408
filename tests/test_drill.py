"""`pmctl drill`: a Wheel of Misfortune exercise from a past postmortem, printed or played."""

from __future__ import annotations

import pytest

from pmctl.domain.learning.drill import timeline
from pmctl.domain.model import Language
from pmctl.domain.project import Project
from pmctl.errors import NotFoundError
from pmctl.services.drill import drill
from pmctl.ui import drill_output
from tests.conftest import run_cli
from tests.library import EXAMPLES, SHAKESPEARE, SHAKESPEARE_JA, copy_shakespeare, write

DRILLS = EXAMPLES.parent / "drills"


@pytest.fixture
def shakespeare(repo: Project) -> Project:
    copy_shakespeare(repo)
    return repo


def test_the_first_page_is_the_entry_at_detection_and_the_rest_is_sealed(
    shakespeare: Project,
) -> None:
    found = drill(shakespeare, SHAKESPEARE)
    assert found.first_page is not None
    assert found.first_page.time == "14:55"
    assert "page storm" in found.first_page.text
    assert [entry.time for entry in found.sealed.before_page] == ["14:51", "14:53", "14:54"]
    revealed = [entry.time for step in found.steps for entry in step.entries]
    assert revealed[0] == "14:57"
    assert revealed[-1] == "16:30"
    assert len(revealed) == 30  # every entry after the page, once
    assert 5 <= len(found.steps) <= 7
    assert all(1 <= len(step.prompts) <= 2 for step in found.steps)
    assert found.steps[0].prompts[0].startswith("What do you look at first")
    assert "file descriptor leak" in found.sealed.trigger
    assert "cascading failure" in found.sealed.root_causes
    assert "**Where we got lucky**" in found.sealed.lessons
    assert found.sealed.timings == (("detect", 1), ("mitigate", 42), ("resolve", 66))
    assert len(found.sealed.action_items) == 9


def test_markdown_keeps_the_answers_after_every_step(shakespeare: Project) -> None:
    text = drill_output.to_markdown(drill(shakespeare, SHAKESPEARE))
    sealed = text.index("## Game master only (sealed)")
    assert text.index("## Step 6 of 6") < sealed
    assert text.index("### Root causes") > sealed
    assert "A cascading failure, from the combination" not in text[:sealed]
    for role in ("Game master", "On-call engineer", "Incident commander", "Observers"):
        assert f"- **{role}**:" in text


def test_japanese_drill_and_language_override(shakespeare: Project) -> None:
    japanese = drill_output.to_markdown(drill(shakespeare, SHAKESPEARE_JA))
    assert "## 最初のページ" in japanese
    assert "**インシデントコマンダー**" in japanese
    assert "## ゲームマスター専用(封印)" in japanese
    assert "ページストーム" in japanese
    english_words = drill(shakespeare, SHAKESPEARE, language=Language.JA)
    assert english_words.roles[0][0] == "ゲームマスター"
    assert english_words.first_page is not None
    assert "page storm" in english_words.first_page.text  # the postmortem's own words


def test_the_shipped_example_drills_are_what_pmctl_prints(shakespeare: Project) -> None:
    for postmortem_id in (SHAKESPEARE, SHAKESPEARE_JA):
        shipped = (DRILLS / f"{postmortem_id}.md").read_text(encoding="utf-8")
        assert shipped == drill_output.to_markdown(drill(shakespeare, postmortem_id))


def test_play_reveals_one_step_per_line_and_stops_on_q(shakespeare: Project) -> None:
    found = drill(shakespeare, SHAKESPEARE)
    written: list[str] = []
    finished = drill_output.play(found, iter(["\n", "\n", "q\n"]), written.append)
    text = "".join(written)
    assert not finished
    assert "## Step 2 of 6" in text
    assert "## Step 3 of 6" not in text
    assert "(sealed)" not in text
    assert text.endswith("Stopped; the sealed section stays closed.\n")
    written.clear()
    assert drill_output.play(found, iter(["\n"] * (len(found.steps) + 1)), written.append)
    assert "## Game master only (sealed)" in "".join(written)


def test_play_through_the_cli_reads_standard_input(shakespeare: Project) -> None:
    result = run_cli(shakespeare.root, "drill", SHAKESPEARE, "--play", stdin="\n" * 10)
    assert result.returncode == 0, result.stderr
    assert result.stdout.index("## Step 1 of 6") < result.stdout.index("### Trigger")
    stopped = run_cli(shakespeare.root, "drill", SHAKESPEARE, "--play", stdin="")
    assert "## Step 1" not in stopped.stdout
    assert "Stopped" in stopped.stdout


def test_play_with_standard_input_closed_stops_at_once(shakespeare: Project) -> None:
    """`pmctl drill ID --play <&-` was exit 70: Python's stdin is None, which has no readline."""
    import os

    from tests.conftest import run_process

    result = run_process(
        shakespeare.root, "drill", SHAKESPEARE, "--play", limits=lambda: os.close(0)
    )
    assert result.returncode == 0, result.stderr
    assert "## Step 1" not in result.stdout
    assert "Stopped" in result.stdout


def test_a_timeline_table_and_a_missing_timeline(repo: Project) -> None:
    entries = timeline(
        "| Time | Event |\n|---|---|\n| 09:05 | Alert fires | pager |\n| 9:30 | Rollback |"
    )
    assert [(entry.time, entry.text) for entry in entries] == [
        ("09:05", "Alert fires — pager"),
        ("09:30", "Rollback"),
    ]
    write(repo, "2026-01-01-quiet", sections={"detection": "A customer called support."})
    found = drill(repo, "2026-01-01-quiet")
    assert found.first_page is None
    assert found.steps == ()
    text = drill_output.to_markdown(found)
    assert "> A customer called support." in text
    assert "(not written)" in text
    write(repo, "2026-01-02-nowhere", services=(), sections={"detection": "By chance."})
    head = drill_output.to_markdown(drill(repo, "2026-01-02-nowhere")).splitlines()[2]
    assert head == "A drill from postmortem `2026-01-02-nowhere`, SEV2."  # (was "SEV2, -.")


@pytest.mark.parametrize(
    "written",
    [
        "- 14:51:30 Traffic grows.\n- 14:55:00 The pager fires.",
        "- 2:51 PM Traffic grows.\n- 2:55 pm The pager fires.",
        "- **14:51 CET** Traffic grows.\n- **14:55 CET**: The pager fires.",
        "| Date | Time | Event |\n|---|---|---|\n| 2026-01-01 | 14:51 | Traffic grows. |\n"
        "| 2026-01-01 | 14:55 | The pager fires. |",
        "2026-01-01\n\n14:51 Traffic grows.\n14:55 The pager fires.",
    ],
)
def test_a_timeline_is_read_as_lint_reads_it(written: str) -> None:
    """The drill had a reader of its own: seconds became text (`30 Traffic ...`), `2:51 PM`
    the 02:51 of the night, and a table with a date column, or lines without bullets, no
    steps at all."""
    entries = timeline(written)
    assert [(entry.minutes, entry.text) for entry in entries] == [
        (14 * 60 + 51, "Traffic grows."),
        (14 * 60 + 55, "The pager fires."),
    ]


def test_a_word_that_only_looks_like_a_zone_is_part_of_the_text() -> None:
    (entry,) = timeline("- 15:43 HTTP 500 rates are normal.")
    assert (entry.time, entry.text) == ("15:43", "HTTP 500 rates are normal.")


def test_a_draft_drills_without_the_templates_guidance(repo: Project) -> None:
    """The guidance's example timeline (`- 14:51 Traffic ... grows 88x.` inside a comment)
    was played as the first page and a step, `-->` and all."""
    created = run_cli(
        repo.root, "new", "--title", "Disk full", "--severity", "SEV3", "--owner", "ann",
        "--no-input",
    )  # fmt: skip
    assert created.returncode == 0, created.stderr
    found = drill(repo, "2026-11-23-disk-full")
    assert found.first_page is None
    assert found.steps == ()
    text = drill_output.to_markdown(found)
    assert "88x" not in text
    assert "-->" not in text
    assert "what the detection section says:\n\n> (not written)" in text
    # It printed a drill of "(not written)" alone, without a word on stderr.
    printed = run_cli(repo.root, "drill", "2026-11-23-disk-full")
    assert printed.returncode == 0
    assert printed.stderr == (
        "warning: 2026-11-23-disk-full has no timeline and no detection section yet: "
        "the drill has no first page and no steps to play\n"
    )
    write(repo, "2026-01-01-quiet", sections={"detection": "A customer called support."})
    assert run_cli(repo.root, "drill", "2026-01-01-quiet").stderr == ""


def test_an_unknown_id_is_not_found(repo: Project) -> None:
    with pytest.raises(NotFoundError):
        drill(repo, "2026-01-01-nothing")
    assert run_cli(repo.root, "drill", "2026-01-01-nothing").returncode == 8
