"""`pmctl status`."""

from __future__ import annotations

import typer

from pmctl.cli.command import Command, command_module
from pmctl.cli.complete import postmortem_ids
from pmctl.domain.enums import Status

cli = command_module()


@cli.command("status", cls=Command)
def status_command(
    postmortem_id: str | None = typer.Argument(
        None, metavar="ID", help="The postmortem's id.", autocompletion=postmortem_ids
    ),
    target: Status | None = typer.Argument(
        None, metavar="TO", help="Move it to: draft, in-review, reviewed or closed."
    ),
    list_all: bool = typer.Option(
        False, "--list", "-l", help="Show every postmortem's status (as `pmctl list`)."
    ),
    reason: str | None = typer.Option(
        None,
        "--reason",
        "-r",
        metavar="TEXT",
        help="Why it moves back (required for a backwards move).",
    ),
    force: bool = typer.Option(
        False, "--force", help="Allow moving back more than in-review -> draft (needs --reason)."
    ),
    with_edits: bool = typer.Option(
        False, "--with-edits", help="Include your uncommitted edits of the file in the commit."
    ),
    no_commit: bool = typer.Option(False, "--no-commit", help="Write the file, do not commit it."),
    push: bool = typer.Option(False, "--push", help="Push the commit to the configured remote."),
) -> None:
    """Show a postmortem's status and what is missing for the next one, or move it.

    Examples:

        pmctl status 2026-11-20-checkout-latency

        pmctl status 2026-11-20-checkout-latency in-review

        pmctl status 2026-11-20-checkout-latency in-review --with-edits

        pmctl status 2026-11-20-checkout-latency draft --reason "impact numbers are wrong"
    """
    from pathlib import Path

    from pmctl.cli import clock
    from pmctl.errors import UsageError
    from pmctl.services import status
    from pmctl.services.project import open_project
    from pmctl.ui import console, status_output

    cwd = Path.cwd()
    project = open_project(cwd)
    today = clock.today()
    if list_all or postmortem_id is None:
        if postmortem_id is not None:
            raise UsageError("--list takes no ID", hint="drop the ID, or drop --list")
        from pmctl.services.listing import list_postmortems
        from pmctl.ui import list_output

        typer.echo(list_output.render_table(list_postmortems(project, today=today)))
        return
    if target is None:
        report = status.show(project, postmortem_id, today=today)
        typer.echo(status_output.render_report(report, cwd=cwd))
        return
    moved = status.move(
        project,
        postmortem_id,
        target,
        today=today,
        reason=reason,
        force=force,
        with_edits=with_edits,
        commit=not no_commit,
        push=push,
    )
    typer.echo(status_output.render_moved(moved))
    if moved.changed:
        console.committed(moved.commit)
    for warning in moved.warnings:
        console.warn(warning)
