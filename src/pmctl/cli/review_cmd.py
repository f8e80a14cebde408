"""`pmctl review`: the checklist, a review, the meeting's agenda and its minutes."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from pmctl.cli.command import Command, command_module
from pmctl.cli.complete import postmortem_ids
from pmctl.ui.formats import ReviewFormat

if TYPE_CHECKING:
    import datetime as dt
    from pathlib import Path

    from pmctl.domain.project import Project

cli = command_module()


@cli.command("review", cls=Command)
def review_command(
    postmortem_id: str | None = typer.Argument(
        None,
        metavar="ID",
        help="The postmortem's id (none with --agenda).",
        autocompletion=postmortem_ids,
    ),
    agenda: bool = typer.Option(
        False, "--agenda", help="Show the next review meeting's agenda instead."
    ),
    minutes: str | None = typer.Option(
        None,
        "--minutes",
        metavar="FILE|-",
        help="Write the meeting's minutes (file, or - for stdin) into the review notes.",
    ),
    approve: bool = typer.Option(False, "--approve", help="Record your approval and commit it."),
    request_changes: bool = typer.Option(
        False,
        "--request-changes",
        help="Record a request for changes (needs --note or --minutes); moves it back to draft.",
    ),
    note: list[str] | None = typer.Option(
        None,
        "--note",
        "-m",
        metavar="TEXT",
        help="What the review says; repeated, one paragraph each (as `git commit -m`).",
    ),
    reviewer: str | None = typer.Option(
        None,
        "--reviewer",
        metavar="NAME",
        help="Who reviews (default: the author git records: GIT_AUTHOR_NAME, else user.name).",
    ),
    output_format: ReviewFormat = typer.Option(
        ReviewFormat.TEXT,
        "--format",
        "-f",
        help="How to show the checklist or the agenda (json: the agenda only).",
    ),
    no_commit: bool = typer.Option(False, "--no-commit", help="Write the file, do not commit it."),
    push: bool = typer.Option(False, "--push", help="Push the commit to the configured remote."),
) -> None:
    """Show the review checklist, record an approval or a request for changes, show the
    review meeting's agenda or write its minutes into the postmortem.

    Examples:

        pmctl review 2026-11-20-checkout-latency

        pmctl review 2026-11-20-checkout-latency --format markdown > review.md

        pmctl review 2026-11-20-checkout-latency --approve

        pmctl review 2026-11-20-checkout-latency --request-changes --note "timeline incomplete"

        pmctl review --agenda --format markdown > agenda.md

        pmctl review 2026-11-20-checkout-latency --minutes minutes.md --approve
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
    if output_format is ReviewFormat.JSON and not agenda:
        raise UsageError("--format json is for --agenda", hint="use --format text or markdown")
    cwd = Path.cwd()
    project = open_project(cwd)
    today = clock.today()
    if agenda:
        if postmortem_id or approve or request_changes or minutes:
            raise UsageError(
                "--agenda covers every postmortem under review",
                hint="pass --agenda alone (and --format)",
            )
        _show_agenda(project, output_format, cwd=cwd, today=today)
        return
    if postmortem_id is None:
        raise UsageError("which postmortem?", hint="pass its ID, or --agenda")
    text = _read_minutes(minutes) if minutes is not None else None
    if not (approve or request_changes):
        if text is not None:
            from pmctl.services.review_meeting import record_minutes

            done = record_minutes(
                project, postmortem_id, text, today=today, commit=not no_commit, push=push
            )
            console.success(f"{done.postmortem_id}: review notes of {today} written")
            console.committed(done.commit)
            return
        checklist = review.checklist(project, postmortem_id, today=today)
        render = (
            review_output.render_markdown
            if output_format is ReviewFormat.MARKDOWN
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
        note="\n\n".join(note) if note else None,  # (a repeated -m kept only the last)
        minutes=text,
        commit=not no_commit,
        push=push,
    )
    typer.echo(review_output.render_recorded(recorded))
    console.committed(recorded.commit)
    for warning in recorded.warnings:
        console.warn(warning)


def _show_agenda(
    project: Project, output_format: ReviewFormat, *, cwd: Path, today: dt.date
) -> None:
    from pmctl.services.review_meeting import agenda
    from pmctl.ui import agenda_output, console

    result = agenda(project, today=today)
    console.warn_invalid(result.invalid, outcome="left out")
    if output_format is ReviewFormat.JSON:
        typer.echo(agenda_output.to_json(result.agenda, cwd=cwd), nl=False)
    elif output_format is ReviewFormat.MARKDOWN:
        typer.echo(agenda_output.render_markdown(result.agenda, cwd=cwd), nl=False)
    else:
        typer.echo(agenda_output.render_terminal(result.agenda, cwd=cwd))


def _read_minutes(source: str) -> str:
    """The minutes from a file, or from stdin for `-`."""
    from pmctl.errors import NotFoundError, UsageError
    from pmctl.services.review_meeting import minutes_text

    try:
        if source == "-":
            return _stdin_text()
        with open(source, "rb") as file:
            return minutes_text(file, source)
    except FileNotFoundError:
        raise NotFoundError(
            f"--minutes: no file {source}", hint="pass a file, or - for stdin"
        ) from None
    except UnicodeDecodeError as error:  # there, but not text pmctl can take
        raise UsageError(
            f"--minutes: cannot read {source}: {error}", hint="save it as UTF-8"
        ) from None
    except OSError as error:
        raise NotFoundError(
            f"--minutes: cannot read {source}: {error.strerror or error}",
            hint="pass a file, or - for stdin",
        ) from None


def _stdin_text() -> str:
    """Standard input as UTF-8, as a minutes file is read, whatever the locale; "" when it
    is closed (`<&-`: Python's stdin is None)."""
    import sys

    from pmctl.services.review_meeting import minutes_text

    stream = sys.stdin
    if stream is None:
        return ""
    buffer = getattr(stream, "buffer", None)  # (none in a test's StringIO)
    return minutes_text(buffer, "standard input") if buffer is not None else stream.read()
