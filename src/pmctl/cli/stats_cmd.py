"""`pmctl stats`."""

from __future__ import annotations

import typer

from pmctl.cli.command import command_module
from pmctl.ui.formats import SummaryFormat

cli = command_module()


@cli.command("stats")
def stats_command(
    since: str | None = typer.Option(
        None, "--since", metavar="DATE", help="Only postmortems of incidents on or after DATE."
    ),
    output_format: SummaryFormat = typer.Option(
        SummaryFormat.TABLE, "--format", "-f", help="table (terminal), markdown or json."
    ),
    today: str | None = typer.Option(
        None, "--today", metavar="DATE", help="Compute ages and deadlines as of DATE."
    ),
) -> None:
    """Numbers for reviewing the postmortem process: volumes, TTD/TTM/TTR, review times.

    Lifecycle times come from the transition commits in `git log`. Examples:

        pmctl stats

        pmctl stats --since 2026-01-01 --format markdown > q4-review.md
    """
    from pathlib import Path

    from pmctl.cli import clock
    from pmctl.cli.parse import parse_date, parse_today
    from pmctl.services.project import open_project
    from pmctl.services.stats import build_stats, history_is_shallow
    from pmctl.ui import console, stats_output

    project = open_project(Path.cwd())
    result = build_stats(
        project,
        today=parse_today(today, flag="--today") if today else clock.today(),
        since=parse_date(since, flag="--since") if since else None,
    )
    console.warn_invalid(result.invalid)
    console.warn_shallow(history_is_shallow(project))
    if output_format is SummaryFormat.TABLE:
        stats_output.print_tables(result.stats)
    elif output_format is SummaryFormat.MARKDOWN:
        typer.echo(stats_output.to_markdown(result.stats), nl=False)
    else:
        typer.echo(stats_output.to_json(result.stats), nl=False)
