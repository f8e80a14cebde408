"""The one clock: `PMCTL_TODAY` and `--today` pin what every command takes as today."""

from __future__ import annotations

import datetime as dt

import pytest

from pmctl.cli import clock
from pmctl.domain.project import Project
from pmctl.errors import UsageError
from tests.conftest import git, run_cli, run_process


def test_a_pinned_date_is_its_noon_and_a_pinned_moment_is_exact(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # (It kept the real time of day: what a pinned run said moved with the hour.)
    monkeypatch.setenv("PMCTL_TODAY", "2031-06-15")
    assert clock.today() == dt.date(2031, 6, 15)
    assert clock.now() == dt.datetime(2031, 6, 15, 12).astimezone()
    monkeypatch.setenv("PMCTL_TODAY", "2036-12-31T23:30:00+09:00")
    assert clock.now() == dt.datetime(
        2036, 12, 31, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=9))
    )
    assert clock.today() == dt.date(2036, 12, 31)


def test_without_a_pin_it_is_the_real_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PMCTL_TODAY")
    before = dt.datetime.now().astimezone()
    assert before <= clock.now() <= dt.datetime.now().astimezone()


def test_a_bad_pin_is_a_usage_error_naming_where_it_came_from(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PMCTL_TODAY", "next tuesday")
    with pytest.raises(UsageError, match="PMCTL_TODAY: 'next tuesday'"):
        clock.today()
    with pytest.raises(UsageError, match="--today: '2026-13-01'"):
        clock.pin("2026-13-01")


@pytest.mark.parametrize(
    ("pinned", "why"),
    [
        ("2026-02-30", "day is out of range for month"),
        ("2026-02-28T25:00", "hour must be in 0..23"),
    ],
)
def test_a_date_of_the_right_form_that_does_not_exist_says_why(pinned: str, why: str) -> None:
    """It was "neither a date nor an ISO 8601 date-time", as for `next tuesday`."""
    with pytest.raises(UsageError) as raised:
        clock.pin(pinned)
    assert raised.value.message == f"--today: {pinned!r} is not a valid date or date-time: {why}"


def test_new_dates_the_postmortem_by_the_pinned_day(repo: Project) -> None:
    result = run_cli(
        repo.root,
        *("new", "--title", "Disk full", "--severity", "SEV3", "--owner", "alice", "--no-input"),
        env={"PMCTL_TODAY": "2031-06-15"},
    )
    assert result.returncode == 0, result.stderr
    path = repo.root / "postmortems" / "2031" / "2031-06-15-disk-full.md"
    assert "created: 2031-06-15" in path.read_text(encoding="utf-8")


def test_the_global_option_wins_over_the_environment_and_reaches_every_command(
    repo: Project,
) -> None:
    created = run_cli(
        repo.root,
        *("--today", "2026-11-20", "new", "--title", "Disk full", "--severity", "SEV2"),
        *("--owner", "alice", "--no-input"),
        env={"PMCTL_TODAY": "2031-06-15"},
    )
    assert created.returncode == 0, created.stderr
    # SEV2 is due for review five business days after the incident: 2026-11-27.
    on_time = run_cli(repo.root, "--today", "2026-11-27", "status", "--list")
    late = run_cli(repo.root, "--today", "2026-11-30", "status", "--list")
    assert "overdue" not in on_time.stdout.lower(), on_time.stdout
    assert "overdue" in late.stdout.lower(), late.stdout
    bad = run_cli(repo.root, "--today", "soon", "status", "--list")
    assert bad.returncode == 2
    assert "--today: 'soon'" in bad.stderr


START = ("--no-input", "--started", "0001-01-01")


@pytest.mark.parametrize(
    "args",
    [
        ("--today", "0001-01-01", "list"),
        ("trends", "--today", "0001-01-01"),
        ("reading-club", "--today", "0001-01-01"),
        ("stats", "--today", "0001-01-01"),
        ("report", "--today", "0001-01-01"),
        ("new", "--title", "Old", "--severity", "SEV3", "--owner", "a", *START),
    ],
    ids=" ".join,
)
def test_a_day_at_the_start_of_the_calendar_is_a_usage_error(
    repo: Project, args: tuple[str, ...]
) -> None:
    """Local time is undefined there, and a year back from it is no date (was exit 70)."""
    result = run_cli(repo.root, *args)
    assert result.returncode == 2, result.stderr
    assert "0001-01-01" in result.stderr
    assert "internal error" not in result.stderr


def test_today_may_be_pinned_from_1970_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PMCTL_TODAY", "1970-01-01")
    assert clock.today() == dt.date(1970, 1, 1)
    monkeypatch.setenv("PMCTL_TODAY", "1969-12-31T23:00+00:00")
    with pytest.raises(UsageError, match="PMCTL_TODAY: 1969-12-31 is before 1970"):
        clock.today()


@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "Pacific/Pago_Pago"])
@pytest.mark.parametrize("pin", ["9999-12-31T23:59", "9999-12-31"])
def test_a_day_at_the_end_of_the_calendar_is_a_usage_error_in_any_zone(
    repo: Project, zone: str, pin: str
) -> None:
    """Local time is undefined on the calendar's last day east or west of UTC (was exit 70,
    and fine under UTC): the same answer in every zone."""
    result = run_process(repo.root, "--today", pin, "list", env={"TZ": zone})
    assert result.returncode == 2, result.stderr
    assert "--today: 9999-12-31 is after 9998" in result.stderr


def test_today_may_be_pinned_up_to_9998(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PMCTL_TODAY", "9998-12-31T23:59+14:00")
    assert clock.today() == dt.date(9998, 12, 31)
    monkeypatch.setenv("PMCTL_TODAY", "9999-01-01")
    with pytest.raises(UsageError, match="PMCTL_TODAY: 9999-01-01 is after 9998"):
        clock.today()


def test_a_pinned_time_the_clocks_skip_stays_on_its_day(repo: Project) -> None:
    """Havana moves its clocks from 00:00 to 01:00 on 2027-03-14: 00:30 does not exist, and
    was taken as 23:30 on the 13th (a date pinned while the real clock read 00:30 too)."""
    for pin in ("2027-03-14T00:30", "2027-03-14T01:30"):
        result = run_process(
            repo.root,
            "report",
            "--format",
            "json",
            env={"TZ": "America/Havana", "PMCTL_TODAY": pin},
        )
        assert result.returncode == 0, result.stderr
        assert '"today": "2027-03-14"' in result.stdout


@pytest.mark.parametrize(
    ("started", "said"),
    [
        ("2027-03-28 01:30", "never happened in local time: the clocks skipped it"),
        ("2027-10-31 01:30", "happened twice in local time: the clocks went back"),
    ],
)
def test_a_start_in_local_time_that_daylight_saving_skips_or_repeats_is_refused(
    repo: Project, started: str, said: str
) -> None:
    """In London 01:30 on 2027-03-28 never happened (written 00:30+00:00, another wall time)
    and 01:30 on 2027-10-31 happened twice (taken silently as the first, an hour off)."""
    args = ("new", "--title", "Clocks", "--severity", "SEV3", "--owner", "a", "--no-input")
    london = {"TZ": "Europe/London", "PMCTL_TODAY": "2027-12-01"}  # (after both, not a typo)
    result = run_process(repo.root, *args, "--started", started, env=london)
    assert result.returncode == 2, result.stderr
    assert said in result.stderr
    assert "+01:00" in result.stderr or "+00:00" in result.stderr
    assert git(repo.root, "status", "--porcelain") == ""
    fine = run_process(repo.root, *args, "--started", "2027-10-31 02:30", env=london)
    assert fine.returncode == 0, fine.stderr
    assert "started: 2027-10-31T02:30:00+00:00" in next(
        repo.root.glob("postmortems/2027/*.md")
    ).read_text(encoding="utf-8")


def test_a_pinned_date_gives_durations_that_do_not_move_with_the_hour(repo: Project) -> None:
    """The postmortem was made at 2026-11-23T12:00Z (the suite's commit date): as of the
    pinned 24th, in UTC, it has been a draft for exactly a day, whatever the hour."""
    args = ("new", "--title", "Disk full", "--severity", "SEV3", "--owner", "a", "--no-input")
    assert run_cli(repo.root, *args).returncode == 0
    result = run_process(
        repo.root,
        *("export", "--format", "jsonl"),
        env={"TZ": "UTC", "PMCTL_TODAY": "2026-11-24"},
    )
    assert result.returncode == 0, result.stderr
    assert '"seconds_in_draft": 86400' in result.stdout.replace(".0,", ",")
