"""`pmctl related`."""

from __future__ import annotations

import typer

from pmctl.cli.command import Command, command_module
from pmctl.ui.formats import TableFormat

cli = command_module()


@cli.command("related", cls=Command)
def related_command(
    postmortem_id: str = typer.Argument(..., metavar="ID", help="The postmortem's id."),
    limit: int = typer.Option(5, "--limit", "-n", metavar="N", min=1, help="Show the N best."),
    output_format: TableFormat = typer.Option(
        TableFormat.TABLE, "--format", "-f", help="table (terminal) or json."
    ),
) -> None:
    """The postmortems most like one, each with the reasons for its rank.

    Alike means: services and tags in common (a rare one counts for more) and a summary,
    root cause and trigger that use the same telling words. Examples:

        pmctl related 2015-10-21-shakespeare-sonnet

        pmctl related 2026-11-02-checkout-latency --limit 10 --format json
    """
    from pathlib import Path

    from pmctl.services.project import open_project
    from pmctl.services.related import related
    from pmctl.ui import console, related_output

    outcome = related(open_project(Path.cwd()), postmortem_id, limit=limit)
    console.warn_invalid(outcome.invalid)
    if output_format is TableFormat.JSON:
        typer.echo(related_output.to_json(outcome.result), nl=False)
    else:
        related_output.print_related(outcome.result)
