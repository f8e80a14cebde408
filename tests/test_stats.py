"""`pmctl stats`: counts, TTD/TTM/TTR, lifecycle times from real transition commits, deadlines."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from pmctl.domain import commits
from pmctl.domain.metrics import percentile
from pmctl.domain.project import Project
from pmctl.services.stats import build_stats, parse_log, start_reading_transitions
from pmctl.ui import stats_output
from tests.conftest import git, run_cli
from tests.test_report import action, write_postmortem

TODAY = dt.date(2026, 11, 23)
HOUR = 3600.0


def commit_at(
    project: Project, monkeypatch: pytest.MonkeyPatch, path: Path, when: str, message: str
) -> None:
    monkeypatch.setenv("GIT_COMMITTER_DATE", when)
    monkeypatch.setenv("GIT_AUTHOR_DATE", when)
    git(project.root, "add", str(path))
    git(project.root, "commit", "-q", "-m", message)


def timestamps(started: str, detected: str, mitigated: str, resolved: str) -> str:
    return (
        f"timestamps:\n  started: {started}\n  detected: {detected}\n"
        f"  mitigated: {mitigated}\n  resolved: {resolved}"
    )


@pytest.fixture
def history(repo: Project, monkeypatch: pytest.MonkeyPatch) -> Project:
    """Three postmortems with a real history of transition commits (and one without)."""
    # SEV1 (3 calendar days): reviewed 2 days after the incident -> on time.
    fast = write_postmortem(
        repo,
        "2026-10-05-fast",
        severity="SEV1",
        status="draft",
        services=("api",),
        extra=timestamps(
            "2026-10-05T10:00:00Z",
            "2026-10-05T10:10:00Z",
            "2026-10-05T11:00:00Z",
            "2026-10-05T12:00:00Z",
        ),
        actions=[action(1, status="done"), action(2, due="2026-11-01")],
    )
    commit_at(
        repo,
        monkeypatch,
        fast,
        "2026-10-05T13:00:00+00:00",
        commits.new_postmortem("2026-10-05-fast", "Fast"),
    )
    for source, target, when in (
        ("draft", "in-review", "2026-10-06T10:00:00+00:00"),
        ("in-review", "reviewed", "2026-10-07T10:00:00+00:00"),
    ):
        fast.write_text(
            fast.read_text(encoding="utf-8").replace(f"status: {source}", f"status: {target}"),
            encoding="utf-8",
        )
        commit_at(
            repo, monkeypatch, fast, when, commits.transition("2026-10-05-fast", source, target)
        )
    # SEV2 (5 business days from Thu 2026-10-01 -> Thu 2026-10-08): reviewed on the 9th, late.
    slow = write_postmortem(
        repo,
        "2026-10-01-slow",
        severity="SEV2",
        status="reviewed",
        services=("api", "db"),
        extra=timestamps(
            "2026-10-01T00:00:00Z",
            "2026-10-01T00:30:00Z",
            "2026-10-01T02:00:00Z",
            "2026-10-01T04:00:00Z",
        ),
        actions=[action(1, status="wontfix"), action(2, status="in-progress")],
    )
    commit_at(
        repo,
        monkeypatch,
        slow,
        "2026-10-09T00:00:00+00:00",
        commits.review("2026-10-01-slow", "bob", "approved", moved=("in-review", "reviewed")),
    )
    # Still a draft, long past its deadline: late. Reviewed without a transition: unknown.
    write_postmortem(repo, "2026-09-01-stuck", severity="SEV3", status="draft")
    write_postmortem(repo, "2025-01-01-imported", severity="SEV4", status="closed")
    return repo


def test_transitions_are_read_from_one_git_log(history: Project) -> None:
    moves = [(t.postmortem_id, t.source, t.target) for t in start_reading_transitions(history)()]
    assert sorted(moves) == [
        ("2026-10-01-slow", "in-review", "reviewed"),
        ("2026-10-05-fast", "draft", "in-review"),
        ("2026-10-05-fast", "in-review", "reviewed"),
        ("2026-10-05-fast", "none", "draft"),
    ]


def test_stats_over_documents_and_history(history: Project) -> None:
    stats = build_stats(history, today=TODAY).stats
    assert stats.postmortems == 4
    assert stats.per_month == {"2025-01": 1, "2026-09": 1, "2026-10": 2}
    assert stats.per_severity == {"SEV1": 1, "SEV2": 1, "SEV3": 1, "SEV4": 1}
    assert stats.per_service == {"api": 2, "checkout": 2, "db": 1}
    assert stats.time_to_detect.count == 2
    assert stats.time_to_detect.median == 20 * 60.0  # 10 and 30 minutes
    assert stats.time_to_resolve.p90 == pytest.approx((2 + 0.9 * 2) * HOUR)
    to_review = stats.time_to_status["in-review"]
    assert (to_review.count, to_review.median) == (1, 24 * HOUR)
    reviewed = stats.time_to_status["reviewed"]
    assert reviewed.count == 2
    assert reviewed.median == pytest.approx((48 + 192) / 2 * HOUR)
    assert stats.time_to_status["closed"].count == 0
    deadline = stats.review_deadline
    assert (deadline.on_time, deadline.late, deadline.pending, deadline.unknown) == (1, 2, 0, 1)
    assert deadline.share == pytest.approx(1 / 3)
    actions = stats.actions
    assert (actions.total, actions.done, actions.open, actions.overdue, actions.wontfix) == (
        4,
        1,
        2,
        1,
        1,
    )
    assert actions.completion_rate == pytest.approx(1 / 3)
    assert actions.median_open_age_days == (TODAY - dt.date(2026, 10, 3)).days


def test_timestamps_out_of_order_are_no_duration(repo: Project) -> None:
    """A `resolved` before `started` (lint's PM301) was counted as a negative time to
    resolve: the median of two postmortems was -11 h. It is left out of stats, export and
    the drill's timings, and `show` says to check it."""
    write_postmortem(
        repo,
        "2026-10-05-typo",
        extra=timestamps(
            "2026-10-05T10:00:00Z",
            "2026-10-05T10:10:00Z",
            "2026-10-05T11:00:00Z",
            "2026-10-04T12:00:00Z",  # the day before: a typo
        ),
    )
    git(repo.root, "add", "-A")
    git(repo.root, "commit", "-q", "-m", "a postmortem with a typo in a timestamp")
    stats = build_stats(repo, today=TODAY).stats
    assert (stats.time_to_detect.count, stats.time_to_detect.median) == (1, 600.0)
    assert (stats.time_to_resolve.count, stats.time_to_resolve.median) == (0, None)
    (record,) = map(json.loads, run_cli(repo.root, "export").stdout.splitlines())
    assert (record["time_to_detect_seconds"], record["time_to_resolve_seconds"]) == (600.0, None)
    shown = run_cli(repo.root, "show", "2026-10-05-typo").stdout
    assert "resolved before the start (check `timestamps`)" in shown
    drill = run_cli(repo.root, "drill", "2026-10-05-typo").stdout
    assert "detected after 10 min" in drill
    assert "resolved after" not in drill


def test_a_service_written_in_another_case_is_the_same_service(repo: Project) -> None:
    """`API` and `api` were two services, each with its own count and process row."""
    write_postmortem(repo, "2026-10-05-first", services=("api",))
    write_postmortem(repo, "2026-10-06-second", services=("API", "Api", "db"))
    stats = build_stats(repo, today=TODAY).stats
    assert stats.per_service == {"api": 2, "db": 1}
    assert [row.key for row in stats.process.by_service] == ["api", "db"]
    assert [row.postmortems for row in stats.process.by_service] == [2, 1]


def test_a_review_is_on_time_by_the_incidents_calendar(
    repo: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The deadline is a day on the incident's calendar, but the review was dated by the
    reviewer's: a Berlin incident reviewed from Tokyo at 01:00 on the day after its
    deadline (18:00 on the deadline in Berlin) was counted late, and one reviewed from Los
    Angeles at 20:00 on its deadline (05:00 the day after in Berlin) on time."""
    # SEV2, 5 business days: from Tue 2026-03-31 to Tue 2026-04-07, from Wed 2026-04-01
    # to Wed 2026-04-08.
    for postmortem_id, reviewed_at in (
        ("2026-03-31-from-tokyo", "2026-04-08T01:00:00+09:00"),
        ("2026-04-01-from-los-angeles", "2026-04-08T20:00:00-07:00"),
    ):
        path = write_postmortem(
            repo,
            postmortem_id,
            status="reviewed",
            extra=f"timestamps:\n  started: {postmortem_id[:10]}T23:30:00+02:00",
        )
        commit_at(
            repo,
            monkeypatch,
            path,
            reviewed_at,
            commits.review(postmortem_id, "bob", "approved", moved=("in-review", "reviewed")),
        )
    from_los_angeles = build_stats(repo, today=TODAY, since=dt.date(2026, 4, 1))
    assert (
        from_los_angeles.stats.review_deadline.on_time,
        from_los_angeles.stats.review_deadline.late,
    ) == (0, 1)
    both = build_stats(repo, today=TODAY).stats.review_deadline
    assert (both.on_time, both.late) == (1, 1)


def test_since_limits_the_postmortems(history: Project) -> None:
    stats = build_stats(history, today=TODAY, since=dt.date(2026, 10, 1)).stats
    assert stats.postmortems == 2
    assert stats.review_deadline.late == 1


def test_parse_log_skips_commits_it_cannot_attribute() -> None:
    output = (
        "a\x1f2026-01-01T00:00:00+00:00\x1fmove\n\nPmctl-Id: x\nPmctl-Transition: draft->in-review\n\x1d\n"
        "b\x1f2026-01-02T00:00:00+00:00\x1fmove\n\nPmctl-Transition: draft->in-review\n\x1d\n"
        "c\x1f2026-01-03T00:00:00+00:00\x1fmove\n\nPmctl-Id: x\nPmctl-Id: y\n"
        "Pmctl-Transition: draft->in-review\n\x1d\n"
        "d\x1f2026-01-04T00:00:00+00:00\x1fmove\n\nPmctl-Id: x\nPmctl-Transition: sideways\x1d\n"
        "e\x1f2026-01-05T00:00:00+00:00\x1fmove\n\nPmctl-Id: x\n\nPmctl-Transition: a->b\x1d"
    )
    (only,) = parse_log(output)
    assert (only.postmortem_id, only.source, only.target) == ("x", "draft", "in-review")


def _squashed_branch(repo: Project, monkeypatch: pytest.MonkeyPatch, postmortem_id: str) -> None:
    """On a branch `work`: `pmctl new`'s commit on 2026-02-02 and the move to in-review on
    2026-02-03 (10:00 UTC), of an incident that started on 2026-02-01 at 10:00 UTC."""
    git(repo.root, "checkout", "-q", "-b", "work")
    path = write_postmortem(
        repo,
        postmortem_id,
        status="draft",
        extra="timestamps:\n  started: 2026-02-01T10:00:00Z",
    )
    commit_at(
        repo,
        monkeypatch,
        path,
        "2026-02-02T10:00:00+00:00",
        commits.new_postmortem(postmortem_id, "Squashed"),
    )
    path.write_text(path.read_text().replace("status: draft", "status: in-review"))
    commit_at(
        repo,
        monkeypatch,
        path,
        "2026-02-03T10:00:00+00:00",
        commits.transition(postmortem_id, "draft", "in-review"),
    )
    git(repo.root, "checkout", "-q", "-")
    monkeypatch.setenv("GIT_COMMITTER_DATE", "2026-02-05T10:00:00+00:00")
    monkeypatch.setenv("GIT_AUTHOR_DATE", "2026-02-05T10:00:00+00:00")


def test_transitions_of_a_squash_merge_are_read(
    repo: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A branch merged with `git merge --squash` keeps its commits' messages, indented and
    each with its date, in one commit: git's trailers are not at its end, and stats and
    export lost every transition (a postmortem in review had no time in any status)."""
    _squashed_branch(repo, monkeypatch, "2026-02-01-squashed")
    git(repo.root, "merge", "-q", "--squash", "work")
    git(repo.root, "commit", "-q", "--no-edit")
    (record,) = map(
        json.loads, run_cli(repo.root, "--today", "2026-02-10", "export").stdout.splitlines()
    )
    assert record["seconds_in_draft"] == 24 * HOUR
    assert record["incident_to_in_review_seconds"] == 48 * HOUR


def test_transitions_of_a_forge_squash_merge_are_read(
    repo: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A forge's squash merge (GitHub's) lists each commit's message in one: only the
    trailers of the last were read. Each transition in it counts from the merge."""
    _squashed_branch(repo, monkeypatch, "2026-02-01-squashed")
    messages = git(repo.root, "log", "--reverse", "--format=* %B", "HEAD..work")
    git(repo.root, "merge", "-q", "--squash", "work")
    git(repo.root, "commit", "-q", "-m", f"Postmortem of the outage (#12)\n\n{messages}")
    moves = [(t.source, t.target, t.at.isoformat()) for t in start_reading_transitions(repo)()]
    assert moves == [
        ("none", "draft", "2026-02-05T10:00:00+00:00"),
        ("draft", "in-review", "2026-02-05T10:00:00+00:00"),
    ]


def test_a_reverted_transition_is_not_counted(
    repo: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A move to in-review taken back with `git revert` still counted: the draft had been
    in review for a week (and in draft a day), with a review round, by export and stats."""
    _squashed_branch(repo, monkeypatch, "2026-02-01-reverted")  # (draft, then in-review)
    git(repo.root, "merge", "-q", "work")
    git(repo.root, "revert", "--no-edit", "HEAD")  # on 2026-02-05 at 10:00
    export = run_cli(repo.root, "--today", "2026-02-10T10:00:00+00:00", "export")
    (record,) = map(json.loads, export.stdout.splitlines())
    assert record["status"] == "draft"
    assert (record["seconds_in_draft"], record["seconds_in_in_review"]) == (8 * 24 * HOUR, None)
    assert (record["review_rounds"], record["incident_to_in_review_seconds"]) == (None, None)
    git(repo.root, "revert", "--no-edit", "HEAD")  # on 2026-02-05 at 10:00: in review again
    moves = [(t.target, t.at.isoformat()) for t in start_reading_transitions(repo)()]
    assert sorted(moves) == [
        ("draft", "2026-02-02T10:00:00+00:00"),
        ("in-review", "2026-02-05T10:00:00+00:00"),
    ]


def test_percentile_interpolates() -> None:
    assert percentile([], 0.5) is None
    assert percentile([7.0], 0.9) == 7.0
    assert percentile([1.0, 2.0, 3.0, 4.0], 0.5) == 2.5
    assert percentile([10.0, 0.0], 0.9) == 9.0


def test_outputs(history: Project) -> None:
    stats = build_stats(history, today=TODAY).stats
    data = json.loads(stats_output.to_json(stats))
    assert data["version"] == 1
    assert data["durations_seconds"]["incident_to_in_review"] == {
        "count": 1,
        "median": 86400.0,
        "p90": 86400.0,
    }
    assert data["review_deadline"]["on_time"] == 1
    markdown = stats_output.to_markdown(stats)
    assert "| time to detect | 2 | 20m | 28m |" in markdown
    assert "| 33% | 1 | 2 | 0 | 1 |" in markdown


def test_cli(history: Project) -> None:
    result = run_cli(history.root, "stats", "--today", "2026-11-23", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["postmortems"]["total"] == 4
    table = run_cli(history.root, "stats", "--today", "2026-11-23")
    assert table.returncode == 0, table.stderr
    assert "incident to reviewed" in table.stdout


@pytest.mark.parametrize("command", [("stats",), ("export",)], ids=" ".join)
def test_a_shallow_clone_is_warned_about(
    history: Project, tmp_path: Path, command: tuple[str, ...]
) -> None:
    """CI checks out one commit by default: stats and export found no transition commits and
    printed empty lifecycle times as though there were none, without a word."""
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "--quiet", "--depth", "1", history.root.as_uri(), str(shallow))
    result = run_cli(shallow, *command)
    assert result.returncode == 0, result.stderr
    assert "warning: this is a shallow clone" in result.stderr
    assert "git fetch --unshallow" in result.stderr
    full = run_cli(history.root, *command)
    assert "shallow" not in full.stderr
    worktree = tmp_path / "linked"
    git(shallow, "worktree", "add", "--quiet", "--detach", str(worktree))
    assert "shallow clone" in run_cli(worktree, *command).stderr


def test_a_revert_in_a_sha256_repository_takes_its_transition_back() -> None:
    """A SHA-256 repository's revert names a 64-character commit: it was not recognised."""
    moved, revert = "a" * 64, "b" * 64
    output = (
        f"{revert}\x1f2026-01-02T00:00:00+00:00\x1fRevert\n\nThis reverts commit {moved}.\n\x1d\n"
        f"{moved}\x1f2026-01-01T00:00:00+00:00\x1fmove\n\n"
        "Pmctl-Id: x\nPmctl-Transition: draft->in-review\n\x1d"
    )
    assert parse_log(output) == []


def test_paragraphs_apart_by_a_line_of_blanks_are_apart() -> None:
    """A squashed message whose quoted commits are parted by lines of blanks (as an editor
    or a forge may leave them) was one paragraph with several ids: none was read."""
    output = (
        "a\x1f2026-01-05T00:00:00+00:00\x1fSquashed commit of the following:\n\n"
        "commit "
        + "b"
        * 40
        + "\nAuthor: A <a@example.com>\nDate:   Tue Feb 3 10:00:00 2026 +0000\n"
        "    \n    move\n    \n    Pmctl-Id: x\n    Pmctl-Transition: draft->in-review\n    \n"
        "commit "
        + "c"
        * 40
        + "\nAuthor: A <a@example.com>\nDate:   Mon Feb 2 10:00:00 2026 +0000\n"
        "    \n    add\n    \n    Pmctl-Id: x\n    Pmctl-Transition: none->draft\n\x1d"
    )
    moves = [(t.target, t.at.isoformat()) for t in parse_log(output)]
    assert moves == [
        ("in-review", "2026-02-03T10:00:00+00:00"),
        ("draft", "2026-02-02T10:00:00+00:00"),
    ]
