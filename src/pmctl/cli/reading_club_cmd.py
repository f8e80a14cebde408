"""`pmctl reading-club`."""

from __future__ import annotations

import typer

from pmctl.cli.command import Command, command_module
from pmctl.ui.formats import SummaryFormat

cli = command_module()


@cli.command("reading-club", cls=Command)
def reading_club_command(
    ids: list[str] | None = typer.Argument(
        None, metavar="ID", help="With --record: the postmortems discussed."
    ),
    record: bool = typer.Option(
        False, "--record", help="Record that the IDs were discussed today (one commit)."
    ),
    picks: int | None = typer.Option(
        None, "--picks", metavar="N", min=1, help="Propose N (default: [reading_club] picks)."
    ),
    output_format: SummaryFormat = typer.Option(
        SummaryFormat.TABLE, "--format", "-f", help="table (terminal), markdown or json."
    ),
    no_commit: bool = typer.Option(False, "--no-commit", help="Write the record, do not commit."),
    today: str | None = typer.Option(
        None, "--today", metavar="DATE", help="Act as of DATE (default: today)."
    ),
) -> None:
    """Propose postmortems for the reading club, or record a session.

    Proposals: high impact, rich lessons, different services and years (old ones too),
    each with discussion questions drawn from it; one discussed recently is not proposed
    again before [reading_club] repeat_after_days. Examples:

        pmctl reading-club

        pmctl reading-club --format markdown > agenda.md

        pmctl reading-club --record 2015-10-21-shakespeare-sonnet 2026-03-02-checkout-pool
    """
    from pathlib import Path

    from pmctl.cli import clock
    from pmctl.cli.parse import parse_today
    from pmctl.domain.wording import plural
    from pmctl.errors import UsageError
    from pmctl.services import reading_club
    from pmctl.services.project import open_project
    from pmctl.ui import console, reading_club_output

    project = open_project(Path.cwd())
    day = parse_today(today, flag="--today") if today else clock.today()
    if record:
        if not ids:
            raise UsageError("--record needs the ids discussed", hint="--record ID [ID...]")
        done = reading_club.record(project, ids, today=day, commit=not no_commit)
        where = done.path.relative_to(project.root)
        if done.already:
            listed = ", ".join(done.already)
            console.note(f"already recorded for {day.isoformat()}, left out: {listed}")
        if done.ids:
            console.success(f"recorded {plural(len(done.ids), 'postmortem')} in {where}")
            console.committed(done.commit)
        return
    if ids:
        raise UsageError("ids are only taken with --record", hint="--record ID [ID...]")
    outcome = reading_club.propose(project, today=day, picks=picks)
    console.warn_invalid(outcome.invalid)
    if output_format is SummaryFormat.TABLE:
        reading_club_output.print_proposal(outcome.proposal)
    elif output_format is SummaryFormat.MARKDOWN:
        typer.echo(reading_club_output.to_markdown(outcome.proposal), nl=False)
    else:
        typer.echo(reading_club_output.to_json(outcome.proposal), nl=False)
