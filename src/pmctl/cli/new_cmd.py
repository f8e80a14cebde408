"""`pmctl new`."""

from __future__ import annotations

import typer

from pmctl.cli.command import command_module

cli = command_module()


@cli.command("new")
def new_command(
    title: str | None = typer.Option(
        None, "--title", "-t", metavar="TEXT", help="Short title of the incident."
    ),
    started: str | None = typer.Option(
        None,
        "--started",
        metavar="TIME",
        help="When the incident started (ISO 8601; local time without a zone).",
    ),
    severity: str | None = typer.Option(
        None, "--severity", "-s", metavar="SEV", help="e.g. SEV2 (see pmctl.toml)."
    ),
    owner: str | None = typer.Option(
        None, "--owner", "-o", metavar="NAME", help="The one accountable owner."
    ),
    language: str | None = typer.Option(
        None, "--language", "-l", metavar="LANG", help="en or ja (default: pmctl.toml)."
    ),
    services: list[str] | None = typer.Option(
        None,
        "--services",
        "--service",
        metavar="NAMES",
        help="Affected services, comma-separated or the option repeated.",
    ),
    incident: str | None = typer.Option(
        None, "--incident", metavar="KEY", help="External incident number or key."
    ),
    slug: str | None = typer.Option(
        None, "--slug", metavar="SLUG", help="Id slug, instead of one made from the title."
    ),
    authors: list[str] | None = typer.Option(
        None,
        "--authors",
        "--author",
        metavar="NAMES",
        help="Authors, comma-separated or the option repeated (default: the owner).",
    ),
    no_input: bool = typer.Option(
        False, "--no-input", help="Never prompt; fail on a missing answer."
    ),
    no_commit: bool = typer.Option(False, "--no-commit", help="Write the file, do not commit it."),
    edit: bool = typer.Option(
        False, "--edit", "-e", help="Then open it in $VISUAL or $EDITOR to start writing."
    ),
) -> None:
    """Scaffold a postmortem from the template and commit it.

    On a terminal, asks for what the flags do not give, each answer checked as it is given.
    Examples:

        pmctl new

        pmctl new --title "Checkout latency" --severity SEV2 --owner alice --no-input

        pmctl new --title "Checkout latency" --severity SEV2 --owner alice --edit
    """
    from pathlib import Path

    from pmctl.cli import clock
    from pmctl.cli.new_answers import collect
    from pmctl.services.new import check_editor, create, open_in_editor
    from pmctl.services.project import open_project
    from pmctl.ui import console

    project = open_project(Path.cwd())
    if edit:
        check_editor()
    request = collect(
        project,
        title=title,
        started=started,
        severity=severity,
        owner=owner,
        language=language,
        # A repeated option is its values comma-separated: `--services api --services db`
        # kept only db.
        services=",".join(services) if services is not None else None,
        incident=incident,
        slug=slug,
        authors=",".join(authors) if authors is not None else None,
        no_input=no_input,
    )
    created = create(project, request, now=clock.now(), commit=not no_commit)
    typer.echo(
        created.path.relative_to(Path.cwd())
        if created.path.is_relative_to(Path.cwd())
        else created.path
    )
    console.committed(created.commit)
    if edit:
        open_in_editor(created.path)
        console.note("your edits are not committed yet: commit them when the draft is ready")
