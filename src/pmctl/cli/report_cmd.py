"""`pmctl report`."""

from __future__ import annotations

import sys

import typer

from pmctl.cli.command import command_module
from pmctl.cli.parse import MANY
from pmctl.domain.enums import GroupBy
from pmctl.ui.formats import FailIf, ReportFormat

cli = command_module()


@cli.command("report")
def report_command(
    owner: list[str] | None = typer.Option(
        None, "--owner", metavar="NAME", help=f"Only this owner. {MANY}"
    ),
    priority: list[str] | None = typer.Option(
        None, "--priority", metavar="P", help=f"Only P0, P1, P2 or P3. {MANY}"
    ),
    action_type: list[str] | None = typer.Option(
        None, "--type", metavar="TYPE", help=f"Only mitigate, prevent, process or other. {MANY}"
    ),
    service: list[str] | None = typer.Option(
        None, "--service", metavar="NAME", help=f"Only postmortems about this service. {MANY}"
    ),
    severity: list[str] | None = typer.Option(
        None, "--severity", metavar="SEV", help=f"Only postmortems of this severity. {MANY}"
    ),
    status: list[str] | None = typer.Option(
        None,
        "--status",
        metavar="STATUS",
        help=f"todo, in-progress, done, wontfix, open (todo + in-progress, the default) or all. {MANY}",
    ),
    overdue: bool = typer.Option(False, "--overdue", help="Only items past their due date."),
    due_before: str | None = typer.Option(
        None, "--due-before", metavar="DATE", help="Only items due before DATE."
    ),
    since: str | None = typer.Option(
        None, "--since", metavar="DATE", help="Only postmortems of incidents on or after DATE."
    ),
    group_by: GroupBy | None = typer.Option(None, "--group-by", help="Group the items."),
    output_format: ReportFormat = typer.Option(
        ReportFormat.TABLE, "--format", "-f", help="table (terminal), markdown, csv or json."
    ),
    fail_if: FailIf | None = typer.Option(
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
    from pmctl.cli.parse import (
        parse_choices,
        parse_date,
        parse_many,
        parse_severities,
        parse_today,
    )
    from pmctl.domain.model import ActionStatus, ActionType, Priority
    from pmctl.domain.report import OPEN_STATUSES, Filters
    from pmctl.domain.wording import plural
    from pmctl.errors import ExitCode
    from pmctl.services.project import open_project
    from pmctl.services.report import build_report
    from pmctl.ui import console, report_output

    project = open_project(Path.cwd())
    statuses = parse_many(status)
    chosen = parse_choices(
        [word for word in statuses if word not in ("open", "all")], ActionStatus, flag="--status"
    )
    if "all" in statuses:
        chosen = frozenset(ActionStatus)
    if "open" in statuses:
        chosen |= OPEN_STATUSES
    filters = Filters(
        owners=parse_many(owner),
        priorities=parse_choices(priority, Priority, flag="--priority"),
        types=parse_choices(action_type, ActionType, flag="--type"),
        services=parse_many(service),
        severities=parse_severities(severity, project.settings),
        statuses=chosen or OPEN_STATUSES,
        overdue=overdue,
        due_before=parse_date(due_before, flag="--due-before") if due_before else None,
        since=parse_date(since, flag="--since") if since else None,
    )
    as_of = parse_today(today, flag="--today") if today else clock.today()

    result = build_report(project, today=as_of, filters=filters, group_by=group_by)
    console.warn_invalid(result.invalid)
    report = result.report
    if output_format is ReportFormat.TABLE:
        report_output.print_table(report)
    elif output_format is ReportFormat.JSON:
        sys.stdout.writelines(report_output.json_lines(report))
    else:
        render = {
            ReportFormat.MARKDOWN: report_output.to_markdown,
            ReportFormat.CSV: report_output.to_csv,
        }[output_format]
        typer.echo(render(report), nl=False)
    if fail_if is FailIf.OVERDUE and report.totals.overdue:
        console.warn(f"{plural(report.totals.overdue, 'action item')} overdue")
        raise typer.Exit(int(ExitCode.LINT_FAILED))
