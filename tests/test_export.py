"""`pmctl export` (columns, counts, durations from git history) and the process feedback
of `pmctl stats`."""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterable, Iterator

import pytest

from pmctl.adapters.config_file import load_project
from pmctl.domain.enums import ExportTable
from pmctl.domain.learning.export import ACTION_COLUMNS, EXPORT_VERSION, POSTMORTEM_COLUMNS
from pmctl.domain.metrics import quarter
from pmctl.domain.project import Project
from pmctl.errors import UsageError
from pmctl.services.export import export, save
from pmctl.services.stats import build_stats
from pmctl.ui import export_output, stats_output
from tests.conftest import run_cli
from tests.test_stats import history  # noqa: F401  (the fixture)

NOW = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)
DAY = 86400.0


def by_id(records: Iterable[dict[str, object]]) -> dict[str, dict[str, object]]:
    return {str(record["id"]): record for record in records}


def test_one_record_per_postmortem_with_durations_from_git(history: Project) -> None:  # noqa: F811
    result = export(history, ExportTable.POSTMORTEMS, now=NOW)
    assert result.columns == POSTMORTEM_COLUMNS
    records = by_id(result.records)
    assert sorted(records) == [
        "2025-01-01-imported",
        "2026-09-01-stuck",
        "2026-10-01-slow",
        "2026-10-05-fast",
    ]
    fast = records["2026-10-05-fast"]
    assert list(fast) == list(POSTMORTEM_COLUMNS)
    assert fast["export_version"] == EXPORT_VERSION
    assert fast["time_to_detect_seconds"] == 600.0
    assert fast["time_to_resolve_seconds"] == 2 * 3600.0
    assert fast["seconds_in_draft"] == 21 * 3600.0  # 10-05 13:00 to 10-06 10:00
    assert fast["seconds_in_in_review"] == DAY
    assert fast["seconds_in_reviewed"] == 47 * DAY + 2 * 3600.0  # until NOW
    assert fast["incident_to_in_review_seconds"] == DAY
    assert fast["incident_to_closed_seconds"] is None
    assert fast["review_rounds"] == 1
    assert (fast["action_items"], fast["action_items_done"], fast["action_items_open"]) == (2, 1, 1)
    assert fast["services"] == ["api"]
    assert fast["path"] == "postmortems/2026/2026-10-05-fast.md"
    slow = records["2026-10-01-slow"]
    # Only its last transition is in the history: no time is known for the earlier statuses.
    assert slow["seconds_in_draft"] is None
    assert (
        slow["seconds_in_reviewed"]
        == (NOW - dt.datetime(2026, 10, 9, tzinfo=dt.UTC)).total_seconds()
    )
    stuck = records["2026-09-01-stuck"]
    assert (stuck["seconds_in_draft"], stuck["review_rounds"]) == (None, None)
    assert records["2025-01-01-imported"]["review_rounds"] == 1  # closed: reviewed once


def test_csv_and_jsonl_load_with_the_standard_library(history: Project) -> None:  # noqa: F811
    result = export(history, ExportTable.POSTMORTEMS, now=NOW)
    records = list(result.records)
    rows = list(csv.DictReader(export_output.csv_lines(result.columns, records)))
    assert len(rows) == 4
    assert tuple(rows[0]) == POSTMORTEM_COLUMNS
    fast = next(row for row in rows if row["id"] == "2026-10-05-fast")
    assert float(fast["seconds_in_in_review"]) == DAY
    assert fast["seconds_in_draft"] == "75600"
    assert fast["data_loss"] == ""
    assert fast["incident_to_closed_seconds"] == ""
    slow = next(row for row in rows if row["id"] == "2026-10-01-slow")
    assert slow["services"] == "api;db"
    lines = list(export_output.jsonl_lines(records))
    assert len(lines) == 4
    decoded = [json.loads(line) for line in lines]
    assert all(tuple(record) == POSTMORTEM_COLUMNS for record in decoded)
    assert by_id(decoded)["2026-10-01-slow"]["services"] == ["api", "db"]


def test_action_items_table(history: Project) -> None:  # noqa: F811
    result = export(history, ExportTable.ACTION_ITEMS, now=NOW)
    assert result.columns == ACTION_COLUMNS
    records = list(result.records)
    assert [(r["postmortem_id"], r["action_id"]) for r in records] == [
        ("2026-10-01-slow", "AI-1"),
        ("2026-10-01-slow", "AI-2"),
        ("2026-10-05-fast", "AI-1"),
        ("2026-10-05-fast", "AI-2"),
    ]
    overdue = [r["action_id"] for r in records if r["overdue"]]
    assert overdue == ["AI-2"]  # fast's, due 2026-11-01
    rows = list(csv.DictReader(export_output.csv_lines(result.columns, records)))
    assert [row["status"] for row in rows] == ["wontfix", "in-progress", "done", "todo"]
    assert rows[3]["overdue"] == "true"


@pytest.mark.parametrize("table", list(ExportTable))
def test_records_are_made_one_at_a_time_as_they_are_taken(
    history: Project,  # noqa: F811
    table: ExportTable,
) -> None:
    # Sorted after every valid postmortem: it is reached only once they all are.
    broken = history.postmortem_dir / "2026" / "2026-12-31-broken.md"
    broken.parent.mkdir(exist_ok=True)
    broken.write_text("---\ntitle: [unclosed\n---\n", encoding="utf-8")
    result = export(history, table, now=NOW)
    first = next(result.records)
    assert first["export_version"] == EXPORT_VERSION
    assert (result.count, result.invalid) == (1, [])  # the rest is not made yet
    rest = list(result.records)
    assert result.count == 1 + len(rest) == 4
    assert [invalid.location.split(":")[0] for invalid in result.invalid] == [str(broken)]


def test_a_failed_write_leaves_the_file_as_it_was(history: Project) -> None:  # noqa: F811
    out = history.root / "out.jsonl"
    out.write_text("before\n", encoding="utf-8")

    def failing() -> Iterator[str]:
        yield "a line\n"
        raise OSError("disk full")

    with pytest.raises(UsageError, match="disk full; nothing was written"):
        save(out, failing())
    assert out.read_text(encoding="utf-8") == "before\n"
    assert (
        sorted(path.name for path in history.root.iterdir() if path.name.startswith(".out")) == []
    )
    save(out, export_output.jsonl_lines(export(history, ExportTable.ACTION_ITEMS, now=NOW).records))
    assert len(out.read_text(encoding="utf-8").splitlines()) == 4


def test_cli_writes_the_file_and_standard_output(history: Project) -> None:  # noqa: F811
    out = history.root / "out.csv"
    result = run_cli(history.root, "export", "--format", "csv", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert len(list(csv.DictReader(out.open(encoding="utf-8")))) == 4
    items = run_cli(history.root, "export", "--table", "action-items")
    assert len(items.stdout.splitlines()) == 4
    bad = run_cli(history.root, "export", "--table", "reviews")
    assert bad.returncode == 2
    assert "'postmortems', 'action-items'" in bad.stderr


def test_out_dash_is_standard_output(history: Project) -> None:  # noqa: F811
    """It wrote a file called `-` into the repository, as no other tool reads `-`."""
    result = run_cli(history.root, "export", "--out", "-")
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == 4
    assert not (history.root / "-").exists()
    assert "wrote" not in result.stderr


def test_process_feedback_per_quarter_service_and_team(history: Project) -> None:  # noqa: F811
    config = history.root / "pmctl.toml"
    config.write_text(
        config.read_text(encoding="utf-8") + '\n[teams]\nsre = ["Alice", "bob"]\n',
        encoding="utf-8",
    )
    process = build_stats(load_project(history.root), today=NOW.date()).stats.process
    quarters = {row.key: row for row in process.by_quarter}
    assert sorted(quarters) == ["2025-Q1", "2026-Q3", "2026-Q4"]
    recent = quarters["2026-Q4"]
    assert (recent.postmortems, recent.actions, recent.actions_closed) == (2, 4, 2)
    assert recent.review_rounds.median == 1
    assert recent.actions_closed_share == pytest.approx(0.5)
    services = {row.key: row.postmortems for row in process.by_service}
    assert services == {"api": 2, "checkout": 2, "db": 1}
    assert [(row.key, row.postmortems) for row in process.by_team] == [("sre", 4)]
    assert quarter(dt.date(2026, 3, 31)) == "2026-Q1"
    document = json.loads(stats_output.to_json(build_stats(history, today=NOW.date()).stats))
    assert document["process"]["by_team"] == []
    assert document["process"]["by_quarter"][0]["key"] == "2025-Q1"
    assert "Process by quarter" in stats_output.to_markdown(
        build_stats(history, today=NOW.date()).stats
    )


def test_a_person_in_two_teams_is_a_config_error(repo: Project) -> None:
    config = repo.root / "pmctl.toml"
    config.write_text(
        config.read_text(encoding="utf-8") + '\n[teams]\na = ["kim"]\nb = ["Kim"]\n',
        encoding="utf-8",
    )
    result = run_cli(repo.root, "stats")
    assert result.returncode == 3
    assert "'Kim' is in two teams" in result.stderr


def test_an_out_file_in_a_missing_directory_is_a_usage_error(history: Project) -> None:  # noqa: F811
    out = history.root / "no-such-directory" / "out.csv"
    result = run_cli(history.root, "export", "--format", "csv", "--out", str(out))
    assert result.returncode == 2, result.stderr
    assert "cannot write no-such-directory/out.csv: No such file" in result.stderr
    assert not out.parent.exists()


def test_an_out_that_is_a_pipe_is_written_into_not_replaced(
    history: Project,  # noqa: F811
) -> None:
    """A named pipe (as `/dev/stdout` or `/dev/null`, a file that is not a regular one) is
    written as it is: renaming a temporary file over it replaced it (as root) or failed."""
    import os
    import stat
    import subprocess

    fifo = history.root / "records.fifo"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    result = run_cli(history.root, "export", "--out", str(fifo))
    try:
        read, _ = reader.communicate(timeout=10)
    finally:
        reader.kill()  # (if the pipe was replaced, nothing ever opened it to write)
    assert result.returncode == 0, result.stderr
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert len(read.splitlines()) == 4


@pytest.mark.parametrize(
    ("out", "what"),
    [
        (".git/config", "lies in git's own directory, .git"),
        ("pmctl.toml", "is the repository's configuration, pmctl.toml"),
        ("postmortems/export.csv", "lies in the postmortem directory, postmortems"),
    ],
)
def test_an_out_that_would_overwrite_the_repository_is_refused(
    history: Project,  # noqa: F811
    out: str,
    what: str,
) -> None:
    """`--out .git/config` wrote the records over git's config: git could no longer open
    the repository, and nothing in history could bring the file back."""
    target = history.root / out
    before = target.read_bytes() if target.exists() else None
    result = run_cli(history.root, "export", "--out", out)
    assert result.returncode == 2, result.stderr
    assert f"--out {out} {what}: an export is not written there; nothing was" in result.stderr
    assert (target.read_bytes() if target.exists() else None) == before
    elsewhere = run_cli(history.root, "export", "--out", "postmortems.csv")
    assert elsewhere.returncode == 0, elsewhere.stderr


def test_durations_stated_without_timestamps_are_exported_as_stats_counts_them(
    repo: Project,
) -> None:
    """An imported postmortem that only says "time to detection: 1 hour 20 minutes"
    (`durations.detect_minutes`, no timestamps) counted in `stats`' time to detect, but
    exported an empty `time_to_detect_seconds`: the median from the export was not stats'."""
    from tests.test_report import write_postmortem

    path = write_postmortem(
        repo,
        "2026-10-05-imported",
        extra="durations:\n  detect_minutes: 80\n  resolve_minutes: 125",
    )
    path.write_text(path.read_text().replace("schema: 1", "schema: 2"))
    (record,) = export(repo, ExportTable.POSTMORTEMS, now=NOW).records
    times = [record[f"time_to_{what}_seconds"] for what in ("detect", "mitigate", "resolve")]
    assert times == [80 * 60, None, 125 * 60]
    stats = build_stats(repo, today=NOW.date()).stats
    assert (stats.time_to_detect.median, stats.time_to_resolve.median) == (80 * 60, 125 * 60)


def test_a_blank_value_is_unknown(repo: Project) -> None:
    """An `incident: ""`, a `tracker: ""` or an action item's `owner: " "` came out of
    the JSON Lines as `""`, where every other unknown value is null (docs/export.md):
    `df.owner.isna()` missed them."""
    from tests.test_report import action, write_postmortem

    write_postmortem(
        repo,
        "2026-10-05-blank",
        actions=[action(1, owner='" "', tracker='""')],
        extra='incident: ""\nimpact:\n  revenue_impact: ""',
    )
    (record,) = export(repo, ExportTable.POSTMORTEMS, now=NOW).records
    assert (record["incident"], record["revenue_impact"]) == (None, None)
    (item,) = export(repo, ExportTable.ACTION_ITEMS, now=NOW).records
    assert (item["owner"], item["tracker"]) == (None, None)


def test_a_copy_that_kept_its_id_is_counted_once(repo: Project) -> None:
    """A postmortem copied to start a new one, its id not yet changed (lint's PM701), was
    counted twice by stats and exported twice, each copy with the id's whole history."""
    from tests.test_report import write_postmortem

    path = write_postmortem(repo, "2026-10-05-original", actions=[{"id": "AI-1", "title": "x"}])
    (path.parent / "2026-10-06-new-one.md").write_bytes(path.read_bytes())
    exported = export(repo, ExportTable.POSTMORTEMS, now=NOW)
    assert [record["id"] for record in exported.records] == ["2026-10-05-original"]
    assert [file.location for file in exported.invalid] == [
        str(path.parent / "2026-10-06-new-one.md")
    ]
    assert "2026-10-05-original" in exported.invalid[0].message
    items = export(repo, ExportTable.ACTION_ITEMS, now=NOW)
    assert len(list(items.records)) == 1
    result = build_stats(repo, today=NOW.date())
    assert (result.stats.postmortems, result.stats.actions.total) == (1, 1)
    assert len(result.invalid) == 1
