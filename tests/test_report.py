"""`pmctl report`: action items across postmortems, filtered, sorted, grouped, in four formats."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pmctl.domain.enums import GroupBy
from pmctl.domain.project import Project
from pmctl.domain.report import Filters
from pmctl.services.report import build_report
from pmctl.ui import report_output
from tests.conftest import run_cli

TODAY = dt.date(2026, 11, 23)


def write_postmortem(
    project: Project,
    postmortem_id: str,
    *,
    severity: str = "SEV2",
    status: str = "reviewed",
    services: Sequence[str] = ("checkout",),
    actions: Sequence[Mapping[str, Any]] = (),
    extra: str = "",
) -> Path:
    """Write a valid postmortem with these action items (each a mapping of its fields)."""
    lines = [
        "---",
        "schema: 1",
        f"id: {postmortem_id}",
        f"title: Incident {postmortem_id}",
        f"status: {status}",
        f"severity: {severity}",
        "owner: alice",
        f"created: {postmortem_id[:10]}",
        f"services: [{', '.join(services)}]",
    ]
    if extra:
        lines.append(extra.rstrip("\n"))
    if actions:
        lines.append("action_items:")
        for action in actions:
            first = True
            for key, value in action.items():
                lines.append(f"{'  - ' if first else '    '}{key}: {value}")
                first = False
    lines += ["---", "# Incident", ""]
    path = project.postmortem_dir / postmortem_id[:4] / f"{postmortem_id}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def action(number: int, **fields: Any) -> dict[str, Any]:
    return {"id": f"AI-{number}", "title": f"Action {number}", **fields}


def sample(project: Project) -> None:
    write_postmortem(
        project,
        "2026-10-01-db-outage",
        severity="SEV1",
        services=("db", "checkout"),
        actions=[
            action(1, owner="bob", priority="P2", type="prevent", due="2026-12-01"),
            action(2, owner="carol", priority="P0", type="mitigate", due="2026-11-01"),
            action(3, owner="bob", priority="P1", status="done"),
        ],
    )
    write_postmortem(
        project,
        "2026-11-10-cdn-errors",
        severity="SEV3",
        services=("cdn",),
        actions=[
            action(1, owner="bob", priority="P0", type="process", due="2026-11-30"),
            action(2, owner="dave", priority="P1", type="other", status="in-progress"),
            action(3, owner="erin", priority="P3", status="wontfix"),
        ],
    )


def keys(rows: Any) -> list[str]:
    return [f"{row.postmortem_id[11:]}/{row.item.id}" for row in rows]


def test_open_items_sorted_by_priority_then_due_date(repo: Project) -> None:
    sample(repo)
    report = build_report(repo, today=TODAY).report
    assert keys(report.rows) == [
        "db-outage/AI-2",
        "cdn-errors/AI-1",
        "cdn-errors/AI-2",
        "db-outage/AI-1",
    ]
    assert [row.overdue for row in report.rows] == [True, False, False, False]
    assert report.totals.items == 4
    assert report.totals.overdue == 1
    assert report.totals.postmortems == 2
    assert report.totals.by_priority == {"P0": 2, "P1": 1, "P2": 1}


def test_each_filter_narrows_the_rows(repo: Project) -> None:
    sample(repo)

    def rows(**fields: Any) -> list[str]:
        return keys(build_report(repo, today=TODAY, filters=Filters(**fields)).report.rows)

    assert rows(owners=frozenset({"bob"})) == ["cdn-errors/AI-1", "db-outage/AI-1"]
    assert rows(owners=frozenset({"Bob"})) == rows(owners=frozenset({"bob"}))  # as search's owner:
    assert rows(services=frozenset({"CDN"})) == rows(services=frozenset({"cdn"}))
    assert rows(overdue=True) == ["db-outage/AI-2"]
    assert rows(services=frozenset({"cdn"})) == ["cdn-errors/AI-1", "cdn-errors/AI-2"]
    assert rows(severities=frozenset({"SEV1"})) == ["db-outage/AI-2", "db-outage/AI-1"]
    assert rows(since=dt.date(2026, 11, 1)) == ["cdn-errors/AI-1", "cdn-errors/AI-2"]
    assert rows(due_before=dt.date(2026, 11, 30)) == ["db-outage/AI-2"]
    from pmctl.domain.model import ActionStatus, ActionType, Priority

    assert rows(priorities=frozenset({Priority.P1})) == ["cdn-errors/AI-2"]
    assert rows(types=frozenset({ActionType.PREVENT})) == ["db-outage/AI-1"]
    assert rows(statuses=frozenset({ActionStatus.DONE, ActionStatus.WONTFIX})) == [
        "db-outage/AI-3",
        "cdn-errors/AI-3",
    ]


def test_group_by_service_puts_an_item_under_each_of_its_services(repo: Project) -> None:
    sample(repo)
    report = build_report(repo, today=TODAY, group_by=GroupBy.SERVICE).report
    assert [(group.key, keys(group.rows), group.overdue) for group in report.groups] == [
        ("cdn", ["cdn-errors/AI-1", "cdn-errors/AI-2"], 0),
        ("checkout", ["db-outage/AI-2", "db-outage/AI-1"], 1),
        ("db", ["db-outage/AI-2", "db-outage/AI-1"], 1),
    ]
    assert report.totals.items == 4  # totals count each item once


def test_group_by_owner_and_priority(repo: Project) -> None:
    sample(repo)
    by_owner = build_report(repo, today=TODAY, group_by=GroupBy.OWNER).report
    assert [group.key for group in by_owner.groups] == ["bob", "carol", "dave"]
    by_priority = build_report(repo, today=TODAY, group_by=GroupBy.PRIORITY).report
    assert [(group.key, len(group.rows)) for group in by_priority.groups] == [
        ("P0", 2),
        ("P1", 1),
        ("P2", 1),
    ]
    write_postmortem(
        repo, "2026-11-21-cased", services=("CDN", "cdn"), actions=[action(1, owner="Bob")]
    )
    by_owner = build_report(repo, today=TODAY, group_by=GroupBy.OWNER).report
    assert [(group.key, len(group.rows)) for group in by_owner.groups] == [
        ("bob", 3),  # Bob's item too: one owner in any case, as --owner matches
        ("carol", 1),
        ("dave", 1),
    ]
    by_service = build_report(repo, today=TODAY, group_by=GroupBy.SERVICE).report
    first = by_service.groups[0]
    assert (first.key, len(first.rows)) == ("cdn", 3)


def test_invalid_documents_are_listed_not_fatal(repo: Project) -> None:
    sample(repo)
    broken = repo.postmortem_dir / "2026" / "2026-11-20-broken.md"
    broken.write_text("---\nschema: 1\nid: [oops\n---\n", encoding="utf-8")
    result = build_report(repo, today=TODAY)
    assert result.report.totals.items == 4
    assert [invalid.location for invalid in result.invalid] == [f"{broken}:3"]


def test_json_has_a_stable_versioned_shape(repo: Project) -> None:
    sample(repo)
    report = build_report(repo, today=TODAY, group_by=GroupBy.OWNER).report
    data = json.loads(report_output.to_json(report))
    assert data["version"] == 1
    assert data["today"] == "2026-11-23"
    assert data["totals"] == {
        "items": 4,
        "overdue": 1,
        "postmortems": 2,
        "by_priority": {"P0": 2, "P1": 1, "P2": 1},
    }
    assert data["items"][0] == {
        "postmortem_id": "2026-10-01-db-outage",
        "action_id": "AI-2",
        "title": "Action 2",
        "type": "mitigate",
        "owner": "carol",
        "priority": "P0",
        "status": "todo",
        "due": "2026-11-01",
        "overdue": True,
        "tracker": None,
        "severity": "SEV1",
        "services": ["db", "checkout"],
        "postmortem_title": "Incident 2026-10-01-db-outage",
        "path": "postmortems/2026/2026-10-01-db-outage.md",
    }
    assert data["groups"][0] == {
        "key": "bob",
        "items": 2,
        "overdue": 0,
        "actions": [["2026-11-10-cdn-errors", "AI-1"], ["2026-10-01-db-outage", "AI-1"]],
    }


def test_json_is_written_one_item_a_line_and_an_empty_list_inline(repo: Project) -> None:
    sample(repo)
    written = run_cli(repo.root, "report", "--today", "2026-11-23", "-f", "json").stdout
    lines = written.splitlines()
    assert lines[5] == '  "items": ['
    assert all(line.startswith('    {"postmortem_id": ') for line in lines[6:10])
    assert lines[10:] == ["  ],", '  "groups": []', "}"]
    assert json.loads(written)["totals"]["items"] == 4
    empty = run_cli(repo.root, "report", "--today", "2026-11-23", "-f", "json", "--owner", "zed")
    assert empty.stdout.endswith('  "items": [],\n  "groups": []\n}\n')


def test_csv_and_markdown(repo: Project) -> None:
    sample(repo)
    report = build_report(repo, today=TODAY).report
    records = list(csv.DictReader(io.StringIO(report_output.to_csv(report))))
    assert [(r["postmortem_id"], r["action_id"], r["overdue"]) for r in records][:2] == [
        ("2026-10-01-db-outage", "AI-2", "true"),
        ("2026-11-10-cdn-errors", "AI-1", "false"),
    ]
    assert records[0]["services"] == "db;checkout"
    markdown = report_output.to_markdown(report)
    assert (
        "| P0 | **2026-11-01 overdue** | AI-2 | mitigate | carol | todo | "
        "[2026-10-01-db-outage](postmortems/2026/2026-10-01-db-outage.md) | Action 2 |"
    ) in markdown
    assert markdown.rstrip().endswith(
        "**Total:** 4 action items in 2 postmortems, 1 overdue (P0 2, P1 1, P2 1)"
    )


def test_cli_fail_if_overdue_exits_1_only_when_something_is_overdue(repo: Project) -> None:
    sample(repo)
    failing = run_cli(repo.root, "report", "--today", "2026-11-23", "--fail-if", "overdue")
    assert failing.returncode == 1, failing.stderr
    header, first = failing.stdout.splitlines()[:2]
    assert header.split() == [
        "Priority", "Due", "Action", "Type", "Owner", "Status", "Postmortem", "Title"
    ]  # fmt: skip
    assert first.split() == [
        "P0", "2026-11-01", "overdue", "AI-2", "mitigate", "carol", "todo",
        "2026-10-01-db-outage", "Action", "2",
    ]  # fmt: skip
    assert first.index("AI-2") == header.index("Action")  # columns line up
    assert "1 action item overdue" in failing.stderr
    passing = run_cli(
        repo.root, "report", "--today", "2026-11-23", "--owner", "bob", "--fail-if", "overdue"
    )
    assert passing.returncode == 0, passing.stderr


def test_cli_formats_and_bad_flags(repo: Project) -> None:
    sample(repo)
    result = run_cli(
        repo.root, "report", "--today", "2026-11-23", "-f", "json", "--priority", "P0,P1"
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["totals"]["items"] == 3
    bad = run_cli(repo.root, "report", "--priority", "P9")
    assert bad.returncode == 2
    assert "--priority: unknown value 'P9'" in bad.stderr
    bad_date = run_cli(repo.root, "report", "--due-before", "next week")
    assert bad_date.returncode == 2
    assert "not a date" in bad_date.stderr


def test_a_copy_that_kept_its_id_is_reported_once(repo: Project) -> None:
    """A postmortem copied to start another, its id not yet changed (lint's PM701), had its
    open items listed twice and counted in "N action items in 2 postmortems" (as `stats`
    and `export` did until they left the copy out)."""
    path = write_postmortem(repo, "2026-10-05-original", actions=[action(1, owner="bob")])
    copy = path.parent / "2026-10-06-new-one.md"
    copy.write_bytes(path.read_bytes())
    result = build_report(repo, today=TODAY)
    assert [(row.item.id, row.postmortem_id) for row in result.report.rows] == [
        ("AI-1", "2026-10-05-original")
    ]
    assert [file.location for file in result.invalid] == [str(copy)]
