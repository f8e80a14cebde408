"""`pmctl review`."""

from __future__ import annotations

import typer

from pmctl.cli.command import Command, command_module
from pmctl.cli.complete import postmortem_ids
from pmctl.ui.formats import ChecklistFormat

cli = command_module()


@cli.command("review", cls=Command)
def review_command(
    postmortem_id: str = typer.Argument(
        ..., metavar="ID", help="The postmortem's id.", autocompletion=postmortem_ids
    ),
    approve: bool = typer.Option(False, "--approve", help="Record your approval and commit it."),
    request_changes: bool = typer.Option(
        False,
        "--request-changes",
        help="Record a request for changes (needs --note); moves it back to draft.",
    ),
    note: str | None = typer.Option(
        None, "--note", "-m", metavar="TEXT", help="What the review says."
    ),
    reviewer: str | None = typer.Option(
        None, "--reviewer", metavar="NAME", help="Who reviews (default: git config user.name)."
    ),
    output_format: ChecklistFormat = typer.Option(
        ChecklistFormat.TEXT, "--format", "-f", help="How to show the checklist."
    ),
    no_commit: bool = typer.Option(False, "--no-commit", help="Write the file, do not commit it."),
    push: bool = typer.Option(False, "--push", help="Push the commit to the configured remote."),
) -> None:
    """Show the review checklist, or record an approval or a request for changes.

    Examples:

        pmctl review 2026-11-20-checkout-latency

        pmctl review 2026-11-20-checkout-latency --format markdown > review.md

        pmctl review 2026-11-20-checkout-latency --approve

        pmctl review 2026-11-20-checkout-latency --request-changes --note "timeline incomplete"
    """
    from pathlib import Path

    from pmctl.cli import clock
    from pmctl.domain.model import Verdict
    from pmctl.errors import UsageError
    from pmctl.services import review
    from pmctl.services.project import open_project
    from pmctl.ui import console, review_output

    if approve and request_changes:
        raise UsageError(
            "--approve and --request-changes contradict each other", hint="pass one of them"
        )
    cwd = Path.cwd()
    project = open_project(cwd)
    today = clock.today()
    if not (approve or request_changes):
        checklist = review.checklist(project, postmortem_id, today=today)
        render = (
            review_output.render_markdown
            if output_format is ChecklistFormat.MARKDOWN
            else review_output.render_terminal
        )
        typer.echo(render(checklist, cwd=cwd))
        return
    recorded = review.record(
        project,
        postmortem_id,
        Verdict.APPROVED if approve else Verdict.CHANGES_REQUESTED,
        today=today,
        reviewer=reviewer,
        note=note,
        commit=not no_commit,
        push=push,
    )
    typer.echo(review_output.render_recorded(recorded))
    console.committed(recorded.commit)
    for warning in recorded.warnings:
        console.warn(warning)
