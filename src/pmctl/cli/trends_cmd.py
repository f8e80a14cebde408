"""`pmctl trends`."""

from __future__ import annotations

import typer

from pmctl.cli.command import command_module
from pmctl.ui.formats import SummaryFormat

cli = command_module()


@cli.command("trends")
def trends_command(
    since: str | None = typer.Option(
        None, "--since", metavar="DATE", help="Start of the period (default: a year ago)."
    ),
    minimum: int = typer.Option(
        2, "--min", metavar="N", min=1, help="Show causes with N or more postmortems in it."
    ),
    limit: int = typer.Option(10, "--limit", "-n", metavar="N", min=1, help="Show N causes."),
    output_format: SummaryFormat = typer.Option(
        SummaryFormat.TABLE, "--format", "-f", help="table (terminal), markdown or json."
    ),
    today: str | None = typer.Option(
        None, "--today", metavar="DATE", help="End the period on DATE (default: today)."
    ),
) -> None:
    """Recurring causes: postmortems that share a service and a cause, over time.

    A cause is one of the library's tags; a postmortem that is not tagged with it still
    counts when its root causes or trigger name it. Examples:

        pmctl trends

        pmctl trends --since 2026-01-01 --min 3 --format markdown > recurring.md
    """
    from pathlib import Path

    from pmctl.cli import clock
    from pmctl.cli.parse import parse_date, parse_today
    from pmctl.errors import UsageError
    from pmctl.services.project import open_project
    from pmctl.services.trends import trends
    from pmctl.ui import console, trends_output

    until = parse_today(today, flag="--today") if today else clock.today()
    start = parse_date(since, flag="--since") if since else None
    if start is not None and start > until:
        raise UsageError(
            f"--since {start.isoformat()} is after the end of the period, {until.isoformat()}",
            hint="give a --since on or before --today (default: today)",
        )
    outcome = trends(open_project(Path.cwd()), today=until, since=start, minimum=minimum)
    console.warn_invalid(outcome.invalid)
    if output_format is SummaryFormat.TABLE:
        trends_output.print_trends(outcome.trends, limit=limit)
    elif output_format is SummaryFormat.MARKDOWN:
        typer.echo(trends_output.to_markdown(outcome.trends, limit=limit), nl=False)
    else:
        typer.echo(trends_output.to_json(outcome.trends, limit=limit), nl=False)
