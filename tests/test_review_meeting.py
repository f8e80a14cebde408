"""`pmctl review --agenda` and `--minutes`: the review meeting, and its notes written back."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from pmctl.adapters import discovery, documents
from pmctl.domain import review_meeting
from pmctl.domain.model import Language, Status, Verdict
from pmctl.domain.project import Project
from pmctl.errors import UsageError
from pmctl.services import review
from pmctl.services.review_meeting import agenda, record_minutes
from tests.conftest import git, run_cli
from tests.site_corpus import EN_ID, JA_ID, add_examples
from tests.test_status import diff_lines

TODAY = dt.date(2026, 11, 23)
MINUTES = """\
Attendees: alice, bob, carol
Decisions:
- The root cause section must say why the leak was possible.
## Follow-ups
- bob checks the load-shedding design.
"""


def _set_status(project: Project, postmortem_id: str, status: str) -> None:
    path = discovery.find_by_id(project.postmortem_dir, postmortem_id)
    text = path.read_text(encoding="utf-8").replace("status: reviewed", f"status: {status}")
    path.write_text(text, encoding="utf-8")
    git(project.root, "commit", "-qam", f"{postmortem_id} to {status}")


@pytest.fixture
def meeting(repo: Project) -> Project:
    add_examples(repo)
    _set_status(repo, JA_ID, "in-review")
    _set_status(repo, EN_ID, "draft")  # SEV1 of 2015: long past its deadline
    return repo


def test_the_agenda_holds_postmortems_in_review_and_overdue_drafts(meeting: Project) -> None:
    items = agenda(meeting, today=TODAY).agenda.items
    assert [(i.postmortem.id, i.postmortem.status, i.overdue) for i in items] == [
        (EN_ID, Status.DRAFT, True),
        (JA_ID, Status.IN_REVIEW, True),
    ]
    japanese = items[1]
    assert japanese.deadline == dt.date(2015, 10, 24)
    assert {a.question.id for a in japanese.open_questions} >= {"root-cause", "blameless"}
    assert "owner" not in {a.question.id for a in japanese.open_questions}
    assert all(f.rule != "PM101" for f in japanese.findings)


def test_a_reviewed_postmortem_is_not_on_the_agenda(repo: Project) -> None:
    add_examples(repo)
    assert agenda(repo, today=TODAY).agenda.items == ()
    result = run_cli(repo.root, "review", "--agenda")
    assert result.returncode == 0
    assert "Nothing to review" in result.stdout


def test_agenda_formats(meeting: Project) -> None:
    markdown = run_cli(meeting.root, "review", "--agenda", "--format", "markdown")
    assert markdown.returncode == 0, markdown.stderr
    assert markdown.stdout.startswith("# Review meeting agenda (2026-11-23)\n")
    assert f"## 1. 2015-10-21 {EN_ID}" in markdown.stdout
    assert f"`pmctl review {JA_ID} --minutes FILE`" in markdown.stdout
    as_json = json.loads(run_cli(meeting.root, "review", "--agenda", "--format", "json").stdout)
    assert as_json["version"] == 1
    assert [item["id"] for item in as_json["items"]] == [EN_ID, JA_ID]
    assert as_json["items"][1]["checklist"]["owner"] is True
    mixed = run_cli(meeting.root, "review", JA_ID, "--agenda")
    assert mixed.returncode == 2


@pytest.mark.parametrize("form", [(), ("--format", "markdown")], ids=["terminal", "markdown"])
def test_a_checklist_answer_is_in_the_language_of_its_question(
    meeting: Project, form: tuple[str, ...]
) -> None:
    result = run_cli(meeting.root, "review", "--agenda", *form)

    english, japanese = result.stdout.split(JA_ID)[:2]
    question = "インパクトの分析は完全か?"
    answers = [line for line in japanese.split("\n") if f"{question} " in line]
    assert answers, result.stdout
    assert all(re.search(r"\((はい|いいえ|要判断)\)", line) for line in answers), answers
    assert "(to decide)" not in japanese
    assert "(to decide)" in english


def test_minutes_are_appended_surgically_in_one_commit(meeting: Project) -> None:
    before = git(meeting.root, "rev-parse", "HEAD").strip()
    done = record_minutes(meeting, JA_ID, MINUTES, today=TODAY)
    assert done.commit is not None
    assert git(meeting.root, "rev-list", "--count", f"{before}..HEAD").strip() == "1"
    changed = diff_lines(meeting.root, f"{before}..HEAD")
    assert all(line.startswith("+") for line in changed)
    assert changed[:5] == ["+", "+## レビューノート", "+", "+### 2026-11-23", "+"]
    assert "+#### Follow-ups" in changed  # a heading in the minutes stays inside the meeting
    message = git(meeting.root, "log", "-1", "--format=%B")
    assert f"Pmctl-Id: {JA_ID}" in message
    assert "Pmctl-Minutes: 2026-11-23" in message

    record_minutes(meeting, JA_ID, "Second meeting: approved.", today=dt.date(2026, 11, 30))
    text = discovery.find_by_id(meeting.postmortem_dir, JA_ID).read_text(encoding="utf-8")
    assert text.count("## レビューノート") == 1
    assert text.endswith("### 2026-11-30\n\nSecond meeting: approved.\n")


def test_minutes_go_before_a_later_section() -> None:
    text = "---\nid: x\n---\n\n## Review notes\n\n### 2026-01-01\n\nold\n\n## Appendix\n\nkept\n"
    added = review_meeting.add_minutes(text, "new", language=Language.EN, day=TODAY)
    assert added == text.replace("old\n\n", "old\n\n### 2026-11-23\n\nnew\n\n")
    with pytest.raises(UsageError):
        review_meeting.add_minutes(text, "  \n", language=Language.EN, day=TODAY)


def test_headings_of_the_minutes_move_below_the_meeting_and_their_code_stays() -> None:
    """`# restart the pod` in a code block of the minutes was written `#### restart the pod`;
    `Decisions` underlined with `---` (a level-2 heading wherever the Markdown is shown)
    stayed a heading above the meeting's own; and the code of earlier notes holding
    `# restart` was taken for the next section, so the next minutes went inside it. A `# b`
    after a lone carriage return (a line break to every renderer) was written as it was."""
    minutes = (
        "Decisions\n---------\n\nRoll back.\n\nSteps\n=====\n\n"
        "```sh\n# restart the pod\nkubectl rollout restart\n```\n\n"
        "One\ntwo\n---\n\n~~~\n## kept\n---\n~~~"
    )
    text = "---\nid: x\n---\n\n## Review notes\n\n### 2026-01-01\n\nold\n\n## Appendix\n"

    added = review_meeting.add_minutes(text, minutes, language=Language.EN, day=TODAY)

    assert added == text.replace(
        "old\n\n",
        "old\n\n### 2026-11-23\n\n#### Decisions\n\nRoll back.\n\n#### Steps\n\n"
        "```sh\n# restart the pod\nkubectl rollout restart\n```\n\n"
        "One\ntwo\n\n---\n\n~~~\n## kept\n---\n~~~\n\n",
    )
    old_mac = review_meeting.add_minutes(text, "a\r# b\r\nc", language=Language.EN, day=TODAY)
    assert "\n\na\n#### b\nc\n\n## Appendix" in old_mac
    later = review_meeting.add_minutes(added, "later", language=Language.EN, day=TODAY)
    assert later.endswith("~~~\n## kept\n---\n~~~\n\n### 2026-11-23\n\nlater\n\n## Appendix\n")


@pytest.mark.parametrize(
    ("minutes", "said"),
    [
        ("Discussed.\n\n<!-- draft, to finish", "HTML comment (`<!--`) on their line 3"),
        ("a\n<!-- pmctl:action-items:start -->\n| AI-1 |", "'<!-- pmctl:action-items:start -->'"),
        ("<!-- pmctl:guide say more -->", "'<!-- pmctl:guide'"),
        ("Ran:\n\n```sh\nkubectl get pods", "code block (``` or ~~~) on their line 3"),
    ],
)
def test_minutes_that_would_change_the_document_are_refused(
    meeting: Project, minutes: str, said: str
) -> None:
    """Written as they were: a comment never closed hid every later review note wherever the
    Markdown is shown, and a copied action-table marker became a second table."""
    head = git(meeting.root, "rev-parse", "HEAD")
    (meeting.root.parent / "minutes.md").write_text(minutes, encoding="utf-8")
    result = run_cli(meeting.root, "review", EN_ID, "--minutes", "../minutes.md")
    assert result.returncode == 2, result.stderr
    assert said in result.stderr
    assert git(meeting.root, "rev-parse", "HEAD") == head
    assert git(meeting.root, "status", "--porcelain") == ""
    closed = "Discussed.\n\n<!-- a comment, closed --> and more"
    added = review_meeting.add_minutes("---\nid: x\n---\n", closed, language=Language.EN, day=TODAY)
    assert added.endswith(f"{closed}\n")


def test_an_approval_with_minutes_records_both_in_one_commit(meeting: Project) -> None:
    before = git(meeting.root, "rev-parse", "HEAD").strip()
    recorded = review.record(
        meeting, JA_ID, Verdict.APPROVED, today=TODAY, reviewer="carol", minutes=MINUTES
    )
    assert recorded.commit is not None
    assert git(meeting.root, "rev-list", "--count", f"{before}..HEAD").strip() == "1"
    _, model = documents.load(discovery.find_by_id(meeting.postmortem_dir, JA_ID))
    assert model.reviews[-1].notes == "2026-11-23 のレビューノートを参照"
    assert "+## レビューノート" in diff_lines(meeting.root, f"{before}..HEAD")


def test_minutes_stand_in_for_the_note_of_a_request_for_changes(meeting: Project) -> None:
    result = run_cli(
        meeting.root,
        "review",
        JA_ID,
        "--request-changes",
        "--reviewer",
        "carol",
        "--minutes",
        "-",
        stdin=MINUTES,
    )
    assert result.returncode == 0, result.stderr
    _, model = documents.load(discovery.find_by_id(meeting.postmortem_dir, JA_ID))
    assert model.status is Status.DRAFT
    assert model.reviews[-1].verdict is Verdict.CHANGES_REQUESTED


def test_cli_minutes_from_a_file_and_a_missing_file(meeting: Project) -> None:
    (meeting.root.parent / "minutes.md").write_text(MINUTES, encoding="utf-8")
    result = run_cli(meeting.root, "review", EN_ID, "--minutes", "../minutes.md")
    assert result.returncode == 0, result.stderr
    assert "review notes of 2026-11-23 written" in result.stdout
    head = git(meeting.root, "rev-parse", "HEAD")
    assert f"committed {head[:10]}: docs(postmortem): review notes for {EN_ID}" in result.stderr
    missing = run_cli(meeting.root, "review", EN_ID, "--minutes", "nope.md")
    assert missing.returncode == 8
    assert "no file nope.md" in missing.stderr
    assert git(meeting.root, "rev-parse", "HEAD") == head


def test_minutes_saved_with_a_bom_and_crlf_are_written_as_their_text(meeting: Project) -> None:
    """An editor's BOM went into the postmortem, as an invisible U+FEFF mid-document."""
    windows = "\ufeff" + MINUTES.replace("\n", "\r\n")
    (meeting.root.parent / "minutes.md").write_bytes(windows.encode("utf-8"))
    result = run_cli(meeting.root, "review", EN_ID, "--minutes", "../minutes.md")
    assert result.returncode == 0, result.stderr
    text = discovery.find_by_id(meeting.postmortem_dir, EN_ID).read_bytes().decode("utf-8")
    assert "\ufeff" not in text
    assert "\r" not in text
    assert "\nAttendees: alice, bob, carol\n" in text


def test_the_agenda_spells_out_control_characters_of_a_title(meeting: Project) -> None:
    path = discovery.find_by_id(meeting.postmortem_dir, JA_ID)
    text = path.read_text(encoding="utf-8")
    start = text.index("\ntitle: ") + 1
    end = text.index("\n", start)
    path.write_text(text[:start] + 'title: "Retitled\\e]0;pwned\\a"' + text[end:], encoding="utf-8")
    git(meeting.root, "commit", "-qam", "a title with terminal escapes")
    # (as text in Markdown: the backslashes and the bracket escaped)
    for output_format, spelled in (
        ("text", "Retitled\\x1b]0;pwned\\x07"),
        ("markdown", "Retitled\\\\x1b\\]0;pwned\\\\x07"),
    ):
        shown = run_cli(meeting.root, "review", "--agenda", "--format", output_format)
        assert shown.returncode == 0, shown.stderr
        assert "\x1b" not in shown.stdout
        assert "\x07" not in shown.stdout
        assert spelled in shown.stdout


def test_minutes_that_are_not_utf_8_are_a_usage_error_from_a_file_or_stdin(
    meeting: Project,
) -> None:
    """Not UTF-8: from a file it was exit 8 ('not found'), from stdin exit 70."""
    import subprocess
    import sys

    head = git(meeting.root, "rev-parse", "HEAD")
    (meeting.root.parent / "minutes.md").write_bytes(b"\xff\xfe minutes")
    from_file = run_cli(meeting.root, "review", EN_ID, "--minutes", "../minutes.md")
    assert from_file.returncode == 2, from_file.stderr
    assert "save it as UTF-8" in from_file.stderr
    from_stdin = subprocess.run(
        [sys.executable, "-m", "pmctl", "review", EN_ID, "--minutes", "-"],
        cwd=meeting.root,
        input=b"\xff\xfe minutes",
        capture_output=True,
        check=False,
    )
    assert from_stdin.returncode == 2, from_stdin.stderr
    assert b"save it as UTF-8" in from_stdin.stderr
    assert git(meeting.root, "rev-parse", "HEAD") == head


def test_minutes_are_read_no_further_than_a_postmortem_may_hold(meeting: Project) -> None:
    """`--minutes /dev/zero` read for ever (a hang); a huge file was read whole first."""
    head = git(meeting.root, "rev-parse", "HEAD")
    endless = run_cli(meeting.root, "review", EN_ID, "--minutes", "/dev/zero")
    assert endless.returncode == 2, endless.stderr
    assert "--minutes: /dev/zero is over 1,000,000 bytes" in endless.stderr
    import subprocess
    import sys

    huge = subprocess.run(
        [sys.executable, "-m", "pmctl", "review", EN_ID, "--minutes", "-"],
        cwd=meeting.root,
        input=b"a" * 1_000_001,
        capture_output=True,
        check=False,
    )
    assert huge.returncode == 2, huge.stderr
    assert b"--minutes: standard input is over 1,000,000 bytes" in huge.stderr
    assert git(meeting.root, "rev-parse", "HEAD") == head
