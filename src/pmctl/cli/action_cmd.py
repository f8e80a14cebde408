"""`pmctl action add|set|list`."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from pmctl.cli.command import Command, choices_metavar, command_module
from pmctl.cli.complete import postmortem_ids
from pmctl.domain.enums import ActionStatus, ActionType, Priority
from pmctl.ui.formats import TableFormat

if TYPE_CHECKING:
    from pmctl.domain.commits import Commit

cli = command_module(
    "Add, change and list a postmortem's action items (one commit per change).",
    no_args_is_help=True,
)

_ID = typer.Argument(..., metavar="ID", help="The postmortem's id.", autocompletion=postmortem_ids)


@cli.command("add", cls=Command)
def add_command(
    postmortem_id: str = _ID,
    title: str = typer.Option(
        ..., "--title", "-t", metavar="TEXT", help="What will be done, concretely."
    ),
    action_type: ActionType = typer.Option(
        ..., "--type", help="What kind of action (緩和/回避/プロセス/その他).", case_sensitive=False
    ),
    owner: str = typer.Option(
        ..., "--owner", "-o", metavar="NAME", help="Who is accountable for it."
    ),
    priority: Priority = typer.Option(
        ...,
        "--priority",
        "-p",
        metavar=choices_metavar(Priority),
        help="How urgent.",
        case_sensitive=False,
    ),
    due: str | None = typer.Option(None, "--due", metavar="DATE", help="Due date, YYYY-MM-DD."),
    tracker: str | None = typer.Option(
        None, "--tracker", metavar="KEY|URL", help="Issue key or URL."
    ),
    no_commit: bool = typer.Option(False, "--no-commit", help="Write the file, do not commit it."),
    push: bool = typer.Option(False, "--push", help="Push the commit to the configured remote."),
) -> None:
    """Add an action item (status todo) and regenerate the table in the body.

    Example:

    \b
        pmctl action add 2026-11-20-checkout-latency --title "Alert on p99 latency"
            --type mitigate --owner alice --priority P1 --due 2026-12-15 --tracker OPS-42
    """
    from pathlib import Path

    from pmctl.cli import clock
    from pmctl.cli.parse import parse_date
    from pmctl.domain.actions import NewAction
    from pmctl.services.actions import add_action
    from pmctl.services.project import open_project

    request = NewAction(
        title=title,
        type=action_type,
        owner=owner,
        priority=priority,
        due=parse_date(due, flag="--due") if due else None,
        tracker=tracker,
    )
    result = add_action(
        open_project(Path.cwd()),
        postmortem_id,
        request,
        today=clock.today(),
        commit=not no_commit,
        push=push,
    )
    _done(f"added {result.item.id} to {result.path.stem}", result.commit)


@cli.command("set", cls=Command)
def set_command(
    postmortem_id: str = _ID,
    action_id: str = typer.Argument(..., metavar="AI-N", help="The action item's id."),
    status: ActionStatus | None = typer.Option(
        None, "--status", "-s", help="New status.", case_sensitive=False
    ),
    owner: str | None = typer.Option(None, "--owner", "-o", metavar="NAME", help="New owner."),
    due: str | None = typer.Option(None, "--due", metavar="DATE", help="New due date."),
    tracker: str | None = typer.Option(
        None, "--tracker", metavar="KEY|URL", help="Issue key or URL."
    ),
    priority: Priority | None = typer.Option(
        None,
        "--priority",
        "-p",
        metavar=choices_metavar(Priority),
        help="New priority.",
        case_sensitive=False,
    ),
    action_type: ActionType | None = typer.Option(
        None, "--type", help="New type.", case_sensitive=False
    ),
    title: str | None = typer.Option(None, "--title", "-t", metavar="TEXT", help="New title."),
    no_commit: bool = typer.Option(False, "--no-commit", help="Write the file, do not commit it."),
    push: bool = typer.Option(False, "--push", help="Push the commit to the configured remote."),
) -> None:
    """Change an action item: mark it done, hand it over, move its due date.

    Examples:

        pmctl action set 2026-11-20-checkout-latency AI-3 --status done

        pmctl action set 2026-11-20-checkout-latency AI-2 --owner bob --due 2027-01-15
    """
    from pathlib import Path

    from pmctl.cli import clock
    from pmctl.cli.parse import parse_date
    from pmctl.domain.actions import ActionChanges
    from pmctl.services.actions import set_action
    from pmctl.services.project import open_project

    changes = ActionChanges(
        title=title,
        type=action_type,
        owner=owner,
        priority=priority,
        status=status,
        due=parse_date(due, flag="--due") if due else None,
        tracker=tracker,
    )
    result = set_action(
        open_project(Path.cwd()),
        postmortem_id,
        action_id,
        changes,
        today=clock.today(),
        commit=not no_commit,
        push=push,
    )
    _done(
        f"updated {result.item.id} of {result.path.stem} ({result.item.status.value})",
        result.commit,
    )


@cli.command("done", cls=Command)
def done_command(
    postmortem_id: str = _ID,
    action_id: str = typer.Argument(..., metavar="AI-N", help="The action item's id."),
    no_commit: bool = typer.Option(False, "--no-commit", help="Write the file, do not commit it."),
    push: bool = typer.Option(False, "--push", help="Push the commit to the configured remote."),
) -> None:
    """Mark an action item done: short for `pmctl action set ID AI-N --status done`."""
    from pathlib import Path

    from pmctl.cli import clock
    from pmctl.domain.actions import ActionChanges
    from pmctl.services.actions import set_action
    from pmctl.services.project import open_project

    changes = ActionChanges(status=ActionStatus.DONE)
    project = open_project(Path.cwd())
    result = set_action(
        project,
        postmortem_id,
        action_id,
        changes,
        today=clock.today(),
        commit=not no_commit,
        push=push,
        required=False,
    )
    if not result.changed:  # as `pmctl status ID TO` to the status it has
        from pmctl.ui import console

        console.success(f"{result.item.id} of {result.path.stem} is done already; nothing to do")
        return
    _done(f"{result.item.id} of {result.path.stem} is done", result.commit)


@cli.command("list", cls=Command)
def list_command(
    postmortem_id: str = _ID,
    output_format: TableFormat = typer.Option(
        TableFormat.TABLE, "--format", "-f", help="Output format."
    ),
) -> None:
    """List a postmortem's action items, every status, by priority then due date.

    Example: `pmctl action list 2026-11-20-checkout-latency`
    """
    from pathlib import Path

    from pmctl.cli import clock
    from pmctl.services.actions import list_actions
    from pmctl.services.project import open_project
    from pmctl.ui import report_output

    report = list_actions(open_project(Path.cwd()), postmortem_id, today=clock.today())
    if output_format is TableFormat.JSON:
        typer.echo(report_output.to_json(report), nl=False)
    else:
        report_output.print_table(report)


def _done(message: str, commit: Commit | None) -> None:
    from pmctl.ui import console

    console.success(message)
    console.committed(commit)
