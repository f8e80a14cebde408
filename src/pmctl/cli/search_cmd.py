"""`pmctl search`."""

from __future__ import annotations

import typer

from pmctl.cli.command import Command, command_module
from pmctl.ui.formats import TableFormat

cli = command_module()


@cli.command("search", cls=Command)
def search_command(
    words: list[str] = typer.Argument(
        ..., metavar="QUERY", help='Words, "phrases", exclusions and filters (see below).'
    ),
    limit: int = typer.Option(10, "--limit", "-n", metavar="N", min=1, help="Show the N best."),
    output_format: TableFormat = typer.Option(
        TableFormat.TABLE, "--format", "-f", help="table (terminal) or json."
    ),
) -> None:
    """Search every postmortem, English and Japanese, ranked by relevance (BM25).

    All words must match; an English word also finds its other forms (failures: failure);
    Japanese is found inside sentences, two characters (障害) or more. "a phrase" matches
    exactly, NOT word excludes, a OR b lets either match. Filters: service:NAME tag:NAME
    severity:SEV1 status:closed owner:NAME since:DATE until:DATE date:2025 or
    date:2025-01..2025-06 (several values: service:a,b). The index is kept in the git
    directory and brought up to date with the files on every search. Examples:

        pmctl search cascading failure service:search

        pmctl search '"file descriptor" leak' since:2025-01-01 --format json

        pmctl search 障害 tag:capacity status:closed
    """
    from pathlib import Path

    from pmctl.services.project import open_project
    from pmctl.services.search import search
    from pmctl.ui import console, search_output

    outcome = search(open_project(Path.cwd()), " ".join(words), limit=limit)
    console.warn_invalid(outcome.invalid)
    if output_format is TableFormat.JSON:
        typer.echo(search_output.to_json(outcome.results), nl=False)
    else:
        search_output.print_results(outcome.results)
