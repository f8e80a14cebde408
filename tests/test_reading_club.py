"""`pmctl reading-club`: proposals with reasons and questions; `--record` in one commit."""

from __future__ import annotations

import datetime as dt
import json
import tomllib

import pytest

from pmctl.adapters.config_file import load_project
from pmctl.domain.project import Project
from pmctl.errors import DocumentError, GitError, NotFoundError
from pmctl.services.reading_club import log_path, propose, record
from tests.conftest import git, run_cli
from tests.library import SHAKESPEARE, SHAKESPEARE_JA, copy_shakespeare, write

TODAY = dt.date(2026, 11, 23)
LESSONS = {
    "trigger": "A config push. It halved the pool.",
    "went-well": "- Paging was fast.",
    "went-wrong": "- Nobody owned the cache.\n- The runbook was stale.",
    "got-lucky": "- It was a quiet day.",
}


@pytest.fixture
def club(repo: Project) -> Project:
    copy_shakespeare(repo)
    write(
        repo, "2026-10-01-checkout-big", severity="SEV1", services=("checkout",), sections=LESSONS
    )
    write(
        repo, "2026-10-02-checkout-twin", severity="SEV1", services=("checkout",), sections=LESSONS
    )
    write(repo, "2026-10-03-search-small", severity="SEV4", services=("search",), sections=LESSONS)
    write(repo, "2026-10-04-draft", severity="SEV1", status="draft", sections=LESSONS)
    git(repo.root, "add", "-A")
    git(repo.root, "commit", "-qm", "postmortems")
    return repo


def picked(project: Project, picks: int = 3) -> list[str]:
    return [
        pick.postmortem.id for pick in propose(project, today=TODAY, picks=picks).proposal.picks
    ]


def test_proposes_high_impact_different_services_and_years(club: Project) -> None:
    chosen = picked(club)
    # The best first; then another service rather than the twin; an old one among them; a
    # translation of a pick is not proposed with it; drafts never.
    assert chosen[0] == SHAKESPEARE
    assert "2026-10-04-draft" not in chosen
    assert SHAKESPEARE_JA not in chosen
    assert chosen.count("2026-10-01-checkout-big") + chosen.count("2026-10-02-checkout-twin") == 1
    assert "2026-10-03-search-small" not in chosen[:1]


def test_at_least_one_older_postmortem_is_proposed(repo: Project) -> None:
    for number in range(4):
        write(
            repo,
            f"2026-09-0{number + 1}-new-{number}",
            severity="SEV1",
            services=(f"s{number}",),
            sections=LESSONS,
        )
    write(repo, "2019-05-05-old", severity="SEV4", services=("s9",), sections=LESSONS)
    assert "2019-05-05-old" in picked(repo, picks=3)


def test_each_pick_has_reasons_and_questions_from_its_own_text(club: Project) -> None:
    proposal = propose(club, today=TODAY).proposal
    first = proposal.picks[0]
    assert first.reasons[0] == "SEV1, 66 user-visible minutes"
    assert first.reasons[-1] == "never discussed"
    assert any("no playbook" in question for question in first.questions)
    assert any("We got lucky" in question for question in first.questions)
    assert len(first.questions) == 3
    assert proposal.candidates == 5
    assert proposal.resting == 0
    ja = propose(club, today=TODAY, picks=5).proposal
    assert SHAKESPEARE_JA not in [pick.postmortem.id for pick in ja.picks]  # its twin is in


def test_years_ago_are_counted_as_the_calendar_counts_them(club: Project) -> None:
    """Two days before its 11th anniversary, incident 465 (2015-10-21) is 10 years old:
    days // 365 said 11, three leap days early."""
    (pick,) = propose(club, today=dt.date(2026, 10, 19), picks=1).proposal.picks
    assert pick.postmortem.id == SHAKESPEARE
    assert "from 2015 (10 years ago)" in pick.reasons
    (pick,) = propose(club, today=dt.date(2026, 10, 21), picks=1).proposal.picks
    assert "from 2015 (11 years ago)" in pick.reasons


def test_japanese_questions(repo: Project) -> None:
    copy_shakespeare(repo)
    (repo.postmortem_dir / "2015" / f"{SHAKESPEARE}.md").unlink()
    (pick,) = propose(repo, today=TODAY, picks=1).proposal.picks
    assert pick.postmortem.id == SHAKESPEARE_JA
    assert pick.questions[0].startswith("「カスケード障害へ対応方法が手元になかったこと」")
    assert "ファイルディスクリプタリーク" in pick.questions[2]  # joined across the line break


def test_a_long_lesson_is_quoted_as_an_excerpt(repo: Project) -> None:
    """A question quoted the whole first 'what went wrong' bullet: one of 900 KB made a
    900 KB line of the agenda."""
    long_lesson = "The cache " + "was cold and " * 20_000 + "nobody noticed."
    write(repo, "2026-10-01-cold-cache", sections={**LESSONS, "went-wrong": f"- {long_lesson}"})
    write(repo, "2026-10-02-cold-cache-ja", language="ja", sections={
        "trigger": "設定の変更。", "went-wrong": "- " + "キャッシュが冷えていた" * 20_000,
    })  # fmt: skip

    for pick in propose(repo, today=TODAY).proposal.picks:
        first = pick.questions[0]
        assert len(first) < 400
        assert "…" in first
    table = run_cli(repo.root, "reading-club")
    assert table.returncode == 0, table.stderr
    assert max(len(line) for line in table.stdout.splitlines()) < 400


def test_lessons_written_as_prose_count_and_counts_are_worded_right(repo: Project) -> None:
    """Lessons written as paragraphs, not bullets, counted none ("0 lessons" beside three
    filled-in sections), and one action item was "1 action items"."""
    write(repo, "2026-10-01-cold-cache", sections={
        "trigger": "A config push.",
        "went-well": "The alert fired quickly.\n\nThe rollback was clean.",
        "went-wrong": "The runbook was out of date. <!-- guidance is no lesson -->",
        "got-lucky": "<!-- pmctl:guide nothing here yet -->",
    }, front="action_items:\n  - {id: AI-1, title: Fix the runbook, status: done}")  # fmt: skip
    (pick,) = propose(repo, today=TODAY).proposal.picks
    assert "3 lessons, 1 action item" in pick.reasons
    assert pick.questions[0].startswith("“The runbook was out of date.”")


def test_record_appends_a_session_in_one_commit_and_rests_the_postmortems(club: Project) -> None:
    done = record(club, [SHAKESPEARE, "2026-10-01-checkout-big", SHAKESPEARE], today=TODAY)
    assert done.ids == (SHAKESPEARE, "2026-10-01-checkout-big")
    path = log_path(club)
    assert path == club.root / ".pmctl" / "reading-club.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert data == {"session": [{"date": TODAY, "discussed": list(done.ids)}]}
    assert git(club.root, "show", "--name-only", "--format=%s", "HEAD").split() == [
        "docs(reading-club):",
        "record",
        "the",
        "session",
        "of",
        "2026-11-23",
        ".pmctl/reading-club.toml",
    ]
    assert "Pmctl-Reading-Club: 2015-10-21-shakespeare-sonnet, 2026-10-01-checkout-big" in git(
        club.root, "log", "-1", "--format=%B"
    )
    assert git(club.root, "status", "--porcelain") == ""
    later = picked(club)
    assert SHAKESPEARE not in later
    assert "2026-10-01-checkout-big" not in later
    assert propose(club, today=TODAY).proposal.resting == 2
    # A year later they may come back.
    assert SHAKESPEARE in [
        pick.postmortem.id
        for pick in propose(club, today=TODAY + dt.timedelta(days=365)).proposal.picks
    ]
    # A second session is appended; what a person wrote in the file stays.
    path.write_text(path.read_text(encoding="utf-8") + "# notes: good session\n", encoding="utf-8")
    git(club.root, "commit", "-qam", "notes")
    record(club, [SHAKESPEARE_JA], today=TODAY + dt.timedelta(days=7))
    text = path.read_text(encoding="utf-8")
    assert "# notes: good session" in text
    assert len(tomllib.loads(text)["session"]) == 2


def test_recording_the_same_session_again_records_only_what_is_new(club: Project) -> None:
    """`--record` run twice the same day appended a second, identical session and made a
    second commit: the file then said the postmortem was discussed twice."""
    record(club, [SHAKESPEARE], today=TODAY)
    head = git(club.root, "rev-parse", "HEAD")
    before = log_path(club).read_bytes()

    again = record(club, [SHAKESPEARE], today=TODAY)

    assert (again.ids, again.already, again.commit) == ((), (SHAKESPEARE,), None)
    assert log_path(club).read_bytes() == before
    assert git(club.root, "rev-parse", "HEAD") == head
    more = record(club, [SHAKESPEARE, SHAKESPEARE_JA], today=TODAY)
    assert (more.ids, more.already) == ((SHAKESPEARE_JA,), (SHAKESPEARE,))
    sessions = tomllib.loads(log_path(club).read_text(encoding="utf-8"))["session"]
    assert [session["discussed"] for session in sessions] == [[SHAKESPEARE], [SHAKESPEARE_JA]]
    result = run_cli(club.root, "reading-club", "--record", SHAKESPEARE)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert f"already recorded for 2026-11-23, left out: {SHAKESPEARE}" in result.stderr
    assert git(club.root, "status", "--porcelain") == ""


def test_a_postmortem_named_by_its_file_is_recorded_by_its_id(club: Project) -> None:
    """`--record postmortems/2015/<id>.md` (as a shell completes it) was taken for the
    postmortem, then written into the sessions file as the path: refused with an error
    about line 14 of a file of 10 lines, "String should match pattern". `--record ' <id>'`
    (pasted with a blank) the same."""
    result = run_cli(
        club.root,
        "reading-club",
        "--record",
        f"postmortems/2015/{SHAKESPEARE}.md",
        f" {SHAKESPEARE_JA} ",
    )
    assert result.returncode == 0, result.stderr
    sessions = tomllib.loads(log_path(club).read_text(encoding="utf-8"))["session"]
    assert [session["discussed"] for session in sessions] == [[SHAKESPEARE, SHAKESPEARE_JA]]


def test_repeat_interval_is_configurable(club: Project) -> None:
    record(club, [SHAKESPEARE], today=TODAY - dt.timedelta(days=40))
    config = club.root / "pmctl.toml"
    config.write_text(
        config.read_text(encoding="utf-8") + "\n[reading_club]\nrepeat_after_days = 30\n",
        encoding="utf-8",
    )
    assert SHAKESPEARE in picked(load_project(club.root))


def test_record_refuses_unknown_ids_and_leaves_everything_as_it_was(club: Project) -> None:
    head = git(club.root, "rev-parse", "HEAD")
    with pytest.raises(NotFoundError):
        record(club, [SHAKESPEARE, "2026-01-01-nothing"], today=TODAY)
    assert not log_path(club).exists()
    assert git(club.root, "rev-parse", "HEAD") == head


def test_a_refused_commit_puts_the_file_back(club: Project) -> None:
    record(club, [SHAKESPEARE], today=TODAY)
    before = log_path(club).read_bytes()
    hook = club.root / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\nexit 1\n", encoding="utf-8")
    hook.chmod(0o755)
    with pytest.raises(GitError):
        record(club, ["2026-10-01-checkout-big"], today=TODAY)
    assert log_path(club).read_bytes() == before
    assert git(club.root, "status", "--porcelain") == ""


def test_a_new_file_is_removed_when_its_commit_fails(club: Project) -> None:
    hook = club.root / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\nexit 1\n", encoding="utf-8")
    hook.chmod(0o755)
    with pytest.raises(GitError):
        record(club, [SHAKESPEARE], today=TODAY)
    assert not log_path(club).exists()
    assert git(club.root, "status", "--porcelain") == ""


def test_uncommitted_edits_of_the_file_are_refused(club: Project) -> None:
    record(club, [SHAKESPEARE], today=TODAY)
    log_path(club).write_text(
        log_path(club).read_text(encoding="utf-8") + "# mine\n", encoding="utf-8"
    )
    with pytest.raises(GitError, match="not committed"):
        record(club, [SHAKESPEARE_JA], today=TODAY)
    done = record(club, [SHAKESPEARE_JA], today=TODAY, commit=False)
    assert done.commit is None
    assert "# mine" in log_path(club).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("sessions", "line"),
    [
        ('[[session]]\ndate = 2026-01-01\ndiscussed = "x"\n', 3),
        (
            '# kept\n[[session]]\ndate = 2026-01-01\ndiscussed = ["{id}"]\n\n'
            '[[session]]\ndate = 2026-02-01\n\ndiscussed = ["Not An Id"]\n',
            9,
        ),
        ('[[session]]\ndate = 2026-01-01\ndiscussed = ["{id}"]\n[[session]]\nwhen = 1\n', 4),
    ],
)
def test_an_invalid_session_is_reported_at_its_line(
    club: Project, sessions: str, line: int
) -> None:
    """Only the file was named (`.pmctl/reading-club.toml: session.1.discussed: ...`), with
    a 0-based session number to count [[session]] tables by."""
    path = log_path(club)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(sessions.format(id=SHAKESPEARE), encoding="utf-8")

    with pytest.raises(DocumentError) as error:
        propose(club, today=TODAY)

    assert error.value.location == f"{path}:{line}"


def test_a_sessions_file_saved_with_a_bom_is_read_and_appended_to(club: Project) -> None:
    """Saved by an editor that starts UTF-8 with a byte-order mark (Windows Notepad), the
    sessions file was "invalid TOML: Invalid statement (at line 1, column 1)": neither a
    proposal nor a record could be made. (pmctl.toml is read with one.)"""
    path = log_path(club)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(
        f'\ufeff[[session]]\r\ndate = 2026-01-01\r\ndiscussed = ["{SHAKESPEARE}"]\r\n'.encode()
    )
    git(club.root, "add", "-A")
    git(club.root, "commit", "-qm", "sessions, from Notepad")
    assert SHAKESPEARE not in picked(club)
    record(club, [SHAKESPEARE_JA], today=TODAY)
    text = path.read_bytes().decode("utf-8-sig")
    assert text.count("\n") == text.count("\r\n")  # its line endings are kept too
    sessions = tomllib.loads(text)["session"]
    assert [session["discussed"] for session in sessions] == [[SHAKESPEARE], [SHAKESPEARE_JA]]


def test_a_broken_sessions_file_is_reported_at_its_line(club: Project) -> None:
    path = log_path(club)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("[[session]]\ndate = 2026-01-01\ndiscussed = [\n", encoding="utf-8")
    with pytest.raises(DocumentError, match="invalid TOML") as error:
        propose(club, today=TODAY)
    assert error.value.location.startswith(str(path))
    path.write_text("[[session]]\ndate = 2026-01-01\ndiscussed = ['Not An Id']\n", encoding="utf-8")
    with pytest.raises(DocumentError, match=r"session\.0\.discussed\.0"):
        propose(club, today=TODAY)
    path.write_text("x = " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    with pytest.raises(DocumentError, match="nested too deeply"):  # (RecursionError: exit 70)
        propose(club, today=TODAY)


def test_cli(club: Project) -> None:
    table = run_cli(club.root, "reading-club", "--picks", "2")
    assert table.returncode == 0, table.stderr
    assert f"1. {SHAKESPEARE}" in table.stdout
    assert "pmctl reading-club --record" in table.stdout
    document = json.loads(run_cli(club.root, "reading-club", "--format", "json").stdout)
    assert document["version"] == 1
    assert document["picks"][0]["questions"]
    agenda = run_cli(club.root, "reading-club", "--format", "markdown").stdout
    assert agenda.startswith("# Reading club (2026-11-23)")
    recorded = run_cli(club.root, "reading-club", "--record", SHAKESPEARE)
    assert recorded.returncode == 0, recorded.stderr
    assert "recorded 1 postmortem in .pmctl/reading-club.toml" in recorded.stdout
    assert run_cli(club.root, "reading-club", "--record").returncode == 2
    assert run_cli(club.root, "reading-club", SHAKESPEARE).returncode == 2


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("../outside.toml", "leads to"),
        ("/tmp", "leads to /tmp, outside"),
        ("postmortems", "lies in postmortem_dir"),
        (".git/sessions.toml", "is inside .git"),
        ("pmctl.toml", "is pmctl.toml itself"),
        (".pmctl", "is a directory"),
        ("x" * 300, "cannot be a file: File name too long"),
        ("a\\u0000b", "holds a NUL character"),
    ],
)
def test_a_record_file_that_is_not_a_file_of_its_own_is_a_config_error(
    club: Project, value: str, reason: str
) -> None:
    """Outside the repository, a directory or too long a name was exit 70; in .git the file
    was written and the commit failed (exit 4)."""
    (club.root / ".pmctl").mkdir(exist_ok=True)
    config = club.root / "pmctl.toml"
    text = config.read_text(encoding="utf-8") + f'\n[reading_club]\nrecord_file = "{value}"\n'
    config.write_text(text, encoding="utf-8")
    git(club.root, "commit", "-qam", "record_file")
    head = git(club.root, "rev-parse", "HEAD")
    line = text.count("\n")
    for args in (("reading-club",), ("reading-club", "--record", SHAKESPEARE)):
        result = run_cli(club.root, *args)
        assert result.returncode == 3, result.stdout + result.stderr
        shown = value.replace("\\u0000", "\x00")
        assert f"pmctl.toml:{line}: reading_club.record_file {shown!r} {reason}" in result.stderr
    assert git(club.root, "rev-parse", "HEAD") == head
    assert git(club.root, "status", "--porcelain", "--ignored") == ""
