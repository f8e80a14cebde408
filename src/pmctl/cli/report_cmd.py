"""`pmctl report`."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import TYPE_CHECKING, TypeVar

import typer

from pmctl.cli.app import app

if TYPE_CHECKING:
    from pmctl.domain.model import ActionStatus

E = TypeVar("E", bound=StrEnum)

_MANY = "Repeat it, or separate values with commas."


def parse_date(value: str, *, flag: str) -> dt.date:
    """An ISO date (`2026-11-23`) given to `flag`; `UsageError` naming the flag otherwise."""
    from pmctl.errors import UsageError

    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise UsageError(
            f"{flag}: {value!r} is not a date", hint=f"use YYYY-MM-DD, e.g. {flag} 2026-11-23"
        ) from None


def parse_choice(value: str, kind: type[E], *, flag: str) -> E:
    """One value of the enum `kind` given to `flag`; `UsageError` listing the known ones."""
    from pmctl.errors import UsageError

    try:
        return kind(value.strip())
    except ValueError:
        known = ", ".join(member.value for member in kind)
        raise UsageError(f"{flag}: unknown value {value!r}", hint=f"use one of: {known}") from None


def parse_choices(values: list[str] | None, kind: type[E], *, flag: str) -> frozenset[E]:
    """Values of a repeatable, comma-separable flag, each one of the enum `kind`."""
    return frozenset(parse_choice(value, kind, flag=flag) for value in _plain(values))


@app.command("report")
def report_command(
    owner: list[str] | None = typer.Option(
        None, "--owner", metavar="NAME", help=f"Only this owner. {_MANY}"
    ),
    priority: list[str] | None = typer.Option(
        None, "--priority", metavar="P", help=f"Only P0, P1, P2 or P3. {_MANY}"
    ),
    action_type: list[str] | None = typer.Option(
        None, "--type", metavar="TYPE", help=f"Only mitigate, prevent, process or other. {_MANY}"
    ),
    service: list[str] | None = typer.Option(
        None, "--service", metavar="NAME", help=f"Only postmortems about this service. {_MANY}"
    ),
    severity: list[str] | None = typer.Option(
        None, "--severity", metavar="SEV", help=f"Only postmortems of this severity. {_MANY}"
    ),
    status: list[str] | None = typer.Option(
        None,
        "--status",
        metavar="STATUS",
        help=f"todo, in-progress, done, wontfix, open (todo + in-progress, the default) or all. {_MANY}",
    ),
    overdue: bool = typer.Option(False, "--overdue", help="Only items past their due date."),
    due_before: str | None = typer.Option(
        None, "--due-before", metavar="DATE", help="Only items due before DATE."
    ),
    since: str | None = typer.Option(
        None, "--since", metavar="DATE", help="Only postmortems of incidents on or after DATE."
    ),
    group_by: str | None = typer.Option(
        None, "--group-by", metavar="KEY", help="Group by owner, priority, postmortem or service."
    ),
    output_format: str = typer.Option(
        "table", "--format", "-f", metavar="FORMAT", help="table (terminal), markdown, csv or json."
    ),
    fail_if: str | None = typer.Option(
        None,
        "--fail-if",
        metavar="CONDITION",
        help="`overdue`: exit 1 when any listed item is overdue (for CI).",
    ),
    today: str | None = typer.Option(
        None, "--today", metavar="DATE", help="Compute overdue as of DATE (default: today)."
    ),
) -> None:
    """Action items across all postmortems: open ones by default, by priority then due date.

    Examples:

        pmctl report --owner alice --overdue

        pmctl report --group-by owner --format markdown > weekly.md

        pmctl report --priority P0,P1 --fail-if overdue
    """
    from pathlib import Path

    from pmctl.cli import clock
    from pmctl.domain.model import ActionType, Priority
    from pmctl.domain.report import OPEN_STATUSES, Filters, GroupBy
    from pmctl.errors import ExitCode, UsageError
    from pmctl.services.project import open_project
    from pmctl.services.report import build_report
    from pmctl.ui import console, report_output

    if output_format not in ("table", "markdown", "csv", "json"):
        raise UsageError(
            f"--format: unknown format {output_format!r}", hint="use table, markdown, csv or json"
        )
    if fail_if not in (None, "overdue"):
        raise UsageError(f"--fail-if: unknown condition {fail_if!r}", hint="use --fail-if overdue")
    statuses = _statuses(status)
    filters = Filters(
        owners=frozenset(_plain(owner)),
        priorities=parse_choices(priority, Priority, flag="--priority"),
        types=parse_choices(action_type, ActionType, flag="--type"),
        services=frozenset(_plain(service)),
        severities=frozenset(_plain(severity)),
        statuses=statuses or OPEN_STATUSES,
        overdue=overdue,
        due_before=parse_date(due_before, flag="--due-before") if due_before else None,
        since=parse_date(since, flag="--since") if since else None,
    )
    grouping = parse_choice(group_by, GroupBy, flag="--group-by") if group_by else None
    as_of = parse_date(today, flag="--today") if today else clock.today()

    result = build_report(open_project(Path.cwd()), today=as_of, filters=filters, group_by=grouping)
    for invalid in result.invalid:
        console.warn(f"{invalid.location}: skipped, not a valid postmortem: {invalid.message}")
    report = result.report
    if output_format == "table":
        report_output.print_table(report)
    else:
        render = {
            "markdown": report_output.to_markdown,
            "csv": report_output.to_csv,
            "json": report_output.to_json,
        }[output_format]
        typer.echo(render(report), nl=False)
    if fail_if == "overdue" and report.totals.overdue:
        console.warn(f"{report.totals.overdue} action item(s) overdue")
        raise typer.Exit(int(ExitCode.LINT_FAILED))


def _plain(values: list[str] | None) -> list[str]:
    from pmctl.cli.parse import parse_list

    return list(parse_list(",".join(values or [])))


def _statuses(values: list[str] | None) -> frozenset[ActionStatus]:
    """`--status` values: action statuses, plus `open` (todo + in-progress) and `all`."""
    from pmctl.domain.model import ActionStatus
    from pmctl.domain.report import OPEN_STATUSES

    chosen: set[ActionStatus] = set()
    for word in _plain(values):
        if word == "all":
            chosen.update(ActionStatus)
        elif word == "open":
            chosen.update(OPEN_STATUSES)
        else:
            chosen.add(parse_choice(word, ActionStatus, flag="--status"))
    return frozenset(chosen)
