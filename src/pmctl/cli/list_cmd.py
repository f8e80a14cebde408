"""`pmctl list`."""

from __future__ import annotations

import typer

from pmctl.cli.command import Command, command_module
from pmctl.cli.parse import MANY
from pmctl.ui.formats import ListFormat

cli = command_module()


@cli.command("list", cls=Command)
def list_command(
    status: list[str] | None = typer.Option(
        None, "--status", metavar="STATUS", help=f"draft, in-review, reviewed or closed. {MANY}"
    ),
    severity: list[str] | None = typer.Option(
        None, "--severity", metavar="SEV", help=f"Only this severity. {MANY}"
    ),
    service: list[str] | None = typer.Option(
        None, "--service", metavar="NAME", help=f"Only postmortems about this service. {MANY}"
    ),
    owner: list[str] | None = typer.Option(
        None, "--owner", metavar="NAME", help=f"Only this owner. {MANY}"
    ),
    since: str | None = typer.Option(
        None, "--since", metavar="DATE", help="Only incidents on or after DATE."
    ),
    overdue: bool = typer.Option(False, "--overdue", help="Only those past their review deadline."),
    output_format: ListFormat = typer.Option(
        ListFormat.TABLE, "--format", "-f", help="table (terminal), json or csv."
    ),
) -> None:
    """List postmortems: id, status, severity, owner, review deadline, open action items.

    Examples:

        pmctl list

        pmctl list --status draft,in-review --overdue

        pmctl list --service search --since 2026-01-01 --format csv > search.csv
    """
    import sys
    from pathlib import Path

    from pmctl.cli import clock
    from pmctl.cli.parse import parse_choices, parse_date, parse_many, parse_severities
    from pmctl.domain.document import Invalid
    from pmctl.domain.enums import Status
    from pmctl.domain.listing import ListFilters
    from pmctl.services.listing import each_row, list_postmortems
    from pmctl.services.project import open_project
    from pmctl.ui import list_output

    project = open_project(Path.cwd())
    filters = ListFilters(
        statuses=parse_choices(status, Status, flag="--status"),
        severities=parse_severities(severity, project.settings),
        services=parse_many(service),
        owners=parse_many(owner),
        since=parse_date(since, flag="--since") if since else None,
        overdue=overdue,
    )
    if output_format is ListFormat.JSON:
        invalid: list[Invalid] = []
        rows = each_row(project, today=clock.today(), filters=filters, invalid=invalid)
        sys.stdout.writelines(list_output.json_lines(rows, invalid, root=project.root))
        return
    listing = list_postmortems(project, today=clock.today(), filters=filters)
    if output_format is ListFormat.TABLE:
        typer.echo(list_output.render_table(listing))
    else:
        typer.echo(list_output.to_csv(listing, root=project.root), nl=False)
