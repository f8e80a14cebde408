"""`pmctl show`."""

from __future__ import annotations

import typer

from pmctl.cli.command import Command, command_module
from pmctl.cli.complete import postmortem_ids

cli = command_module()


@cli.command("show", cls=Command)
def show_command(
    postmortem_id: str = typer.Argument(
        ..., metavar="ID", help="The postmortem's id.", autocompletion=postmortem_ids
    ),
) -> None:
    """Show a postmortem: its metadata, what it needs for its next status, its open action
    items and its reviews.

    Example: `pmctl show 2015-10-21-shakespeare-sonnet`
    """
    from pathlib import Path

    from pmctl.cli import clock
    from pmctl.services import status
    from pmctl.services.project import open_project
    from pmctl.ui import status_output

    cwd = Path.cwd()
    today = clock.today()  # once: a run across midnight computed with one day, showed another
    report = status.show(open_project(cwd), postmortem_id, today=today)
    typer.echo(status_output.render_details(report, cwd=cwd, today=today))
