"""`pmctl action add|set|list`."""

from __future__ import annotations

import typer

from pmctl.cli.app import app
from pmctl.cli.command import Command

action_app = typer.Typer(
    help="Add, change and list a postmortem's action items (one commit per change).",
    no_args_is_help=True,
)
app.add_typer(action_app, name="action")

_ID = typer.Argument(..., metavar="ID", help="The postmortem's id.")


@action_app.command("add", cls=Command)
def add_command(
    postmortem_id: str = _ID,
    title: str = typer.Option(
        ..., "--title", "-t", metavar="TEXT", help="What will be done, concretely."
    ),
    action_type: str = typer.Option(
        ...,
        "--type",
        metavar="TYPE",
        help="mitigate, prevent, process or other (緩和/回避/プロセス/その他).",
    ),
    owner: str = typer.Option(
        ..., "--owner", "-o", metavar="NAME", help="Who is accountable for it."
    ),
    priority: str = typer.Option(..., "--priority", "-p", metavar="P", help="P0, P1, P2 or P3."),
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
    from pmctl.cli.report_cmd import parse_choice, parse_date
    from pmctl.domain.actions import NewAction
    from pmctl.domain.model import ActionType, Priority
    from pmctl.services.actions import add_action
    from pmctl.services.project import open_project

    request = NewAction(
        title=title,
        type=parse_choice(action_type, ActionType, flag="--type"),
        owner=owner,
        priority=parse_choice(priority, Priority, flag="--priority"),
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
    _done(f"added {result.item.id} to {postmortem_id}", result.commit)


@action_app.command("set", cls=Command)
def set_command(
    postmortem_id: str = _ID,
    action_id: str = typer.Argument(..., metavar="AI-N", help="The action item's id."),
    status: str | None = typer.Option(
        None, "--status", "-s", metavar="STATUS", help="todo, in-progress, done or wontfix."
    ),
    owner: str | None = typer.Option(None, "--owner", "-o", metavar="NAME", help="New owner."),
    due: str | None = typer.Option(None, "--due", metavar="DATE", help="New due date."),
    tracker: str | None = typer.Option(
        None, "--tracker", metavar="KEY|URL", help="Issue key or URL."
    ),
    priority: str | None = typer.Option(
        None, "--priority", "-p", metavar="P", help="P0, P1, P2 or P3."
    ),
    action_type: str | None = typer.Option(
        None, "--type", metavar="TYPE", help="mitigate, prevent, ..."
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
    from pmctl.cli.report_cmd import parse_choice, parse_date
    from pmctl.domain.actions import ActionChanges
    from pmctl.domain.model import ActionStatus, ActionType, Priority
    from pmctl.services.actions import set_action
    from pmctl.services.project import open_project

    changes = ActionChanges(
        title=title,
        type=parse_choice(action_type, ActionType, flag="--type") if action_type else None,
        owner=owner,
        priority=parse_choice(priority, Priority, flag="--priority") if priority else None,
        status=parse_choice(status, ActionStatus, flag="--status") if status else None,
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
    _done(f"updated {action_id} of {postmortem_id} ({result.item.status.value})", result.commit)


@action_app.command("done", cls=Command)
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
    from pmctl.domain.model import ActionStatus
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
    )
    _done(f"{action_id} of {postmortem_id} is done", result.commit)


@action_app.command("list", cls=Command)
def list_command(
    postmortem_id: str = _ID,
    output_format: str = typer.Option(
        "table", "--format", "-f", metavar="FORMAT", help="table or json."
    ),
) -> None:
    """List a postmortem's action items, every status, by priority then due date.

    Example: `pmctl action list 2026-11-20-checkout-latency`
    """
    from pathlib import Path

    from pmctl.cli import clock
    from pmctl.errors import UsageError
    from pmctl.services.actions import list_actions
    from pmctl.services.project import open_project
    from pmctl.ui import report_output

    if output_format not in ("table", "json"):
        raise UsageError(f"--format: unknown format {output_format!r}", hint="use table or json")
    report = list_actions(open_project(Path.cwd()), postmortem_id, today=clock.today())
    if output_format == "json":
        typer.echo(report_output.to_json(report), nl=False)
    else:
        report_output.print_table(report)


def _done(message: str, commit: str | None) -> None:
    from pmctl.ui import console

    console.success(message)
    if commit:
        console.note(f"committed {commit[:10]}")
    else:
        console.note("not committed (--no-commit)")
