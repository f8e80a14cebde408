"""`pmctl drill`."""

from __future__ import annotations

import typer

from pmctl.cli.command import Command, command_module

cli = command_module()


@cli.command("drill", cls=Command)
def drill_command(
    postmortem_id: str = typer.Argument(..., metavar="ID", help="The postmortem's id."),
    play: bool = typer.Option(
        False, "--play", help="Reveal it step by step, for the game master (Enter: next)."
    ),
    language: str | None = typer.Option(
        None, "--language", "-l", metavar="LANG", help="en or ja (default: the postmortem's)."
    ),
) -> None:
    """Wheel of Misfortune: a role-play drill from a past postmortem.

    Roles, the first page as the on-call saw it, the timeline in steps with questions for
    the players, and a sealed section for the game master (trigger, root causes,
    resolution, lessons). Markdown to print, or --play to reveal it one step at a time.
    Examples:

        pmctl drill 2015-10-21-shakespeare-sonnet > drill-465.md

        pmctl drill 2015-10-21-shakespeare-sonnet --play

        pmctl drill 2015-10-21-shakespeare-sonnet --language ja
    """
    from pathlib import Path

    from pmctl.cli.parse import parse_language
    from pmctl.services.drill import drill
    from pmctl.services.project import open_project
    from pmctl.ui import console, drill_output

    found = drill(
        open_project(Path.cwd()),
        postmortem_id,
        language=parse_language(language) if language else None,
    )
    if not found.playable:
        console.warn(
            f"{found.postmortem_id} has no timeline and no detection section yet: the drill "
            "has no first page and no steps to play"
        )
    if not play:
        typer.echo(drill_output.to_markdown(found), nl=False)
        return
    # A closed standard input (`<&-`) is None: no line comes, and the drill stops at once.
    stdin = typer.get_text_stream("stdin")
    lines = iter(stdin.readline, "") if stdin is not None else iter(())
    drill_output.play(found, lines, lambda text: typer.echo(text, nl=False))
