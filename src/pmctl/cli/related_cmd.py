"""`pmctl related`."""

from __future__ import annotations

import typer

from pmctl.cli.app import app
from pmctl.cli.command import Command


@app.command("related", cls=Command)
def related_command(
    postmortem_id: str = typer.Argument(..., metavar="ID", help="The postmortem's id."),
    limit: int = typer.Option(5, "--limit", "-n", metavar="N", min=1, help="Show the N best."),
    output_format: str = typer.Option(
        "table", "--format", "-f", metavar="FORMAT", help="table (terminal) or json."
    ),
) -> None:
    """The postmortems most like one, each with the reasons for its rank.

    Alike means: services and tags in common (a rare one counts for more) and a summary,
    root cause and trigger that use the same telling words. Examples:

        pmctl related 2015-10-21-shakespeare-sonnet

        pmctl related 2026-11-02-checkout-latency --limit 10 --format json
    """
    from pathlib import Path

    from pmctl.adapters.config_file import load_project
    from pmctl.errors import UsageError
    from pmctl.services.related import related
    from pmctl.ui import console, related_output

    if output_format not in ("table", "json"):
        raise UsageError(f"--format: unknown format {output_format!r}", hint="use table or json")
    outcome = related(load_project(Path.cwd()), postmortem_id, limit=limit)
    for invalid in outcome.invalid:
        console.warn(f"{invalid.location}: skipped, not a valid postmortem: {invalid.message}")
    if output_format == "json":
        typer.echo(related_output.to_json(outcome.result), nl=False)
    else:
        related_output.print_related(outcome.result)
