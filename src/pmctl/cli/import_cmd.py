"""`pmctl import`."""

from __future__ import annotations

from pathlib import Path

import typer

from pmctl.cli.command import Command, command_module, path_of
from pmctl.domain.enums import ImportShape, Status
from pmctl.ui.formats import TextFormat

cli = command_module()


@cli.command("import", cls=Command)
def import_command(
    sources: list[Path] = typer.Argument(
        ...,
        metavar="SRC",
        help="Files or directories of postmortems written before pmctl.",
        parser=path_of("SRC"),
    ),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Write nothing; show what each file would become."
    ),
    map_file: Path | None = typer.Option(
        None,
        "--map",
        metavar="FILE",
        parser=path_of("--map"),
        help="TOML mapping of foreign front-matter keys to pmctl fields (adds to [import.map]).",
    ),
    owner: str | None = typer.Option(
        None, "--owner", metavar="NAME", help="Owner of the documents that name none."
    ),
    severity: str | None = typer.Option(
        None, "--severity", metavar="SEV", help="Severity of the documents that give none."
    ),
    status: Status | None = typer.Option(
        None,
        "--status",
        metavar="STATUS",
        help="Status of every imported document (default: the mapped one, else draft).",
        case_sensitive=False,
    ),
    shape: ImportShape = typer.Option(
        ImportShape.AUTO,
        "--shape",
        help="auto, headings (Markdown only: a leading --- is not front matter) or front-matter.",
    ),
    output_format: TextFormat = typer.Option(
        TextFormat.TEXT, "--format", "-f", help="text or json."
    ),
) -> None:
    """Adopt existing postmortems: Markdown with headings, or with front matter of another
    schema (YAML, TOML or JSON). Every word of each file is kept; all files are committed in
    one commit, or none. Files imported before are skipped. Exit 1 if a file is refused.

    Examples:

        pmctl import ../old-postmortems --dry-run

        pmctl import ../old-postmortems --status closed --owner sre-team --severity SEV3

        pmctl import ../site/content/postmortems --map hugo-map.toml --format json --dry-run
    """
    from pmctl.cli import clock
    from pmctl.errors import ExitCode
    from pmctl.services.importing import ImportRequest, import_postmortems
    from pmctl.services.project import open_project
    from pmctl.ui import console, import_output

    project = open_project(Path.cwd())
    result = import_postmortems(
        project,
        ImportRequest(
            sources=tuple(sources),
            map_file=map_file,
            owner=owner,
            severity=severity,
            status=status,
            shape=shape,
            dry_run=dry_run,
        ),
        today=clock.today(),
    )
    if output_format is TextFormat.JSON:
        typer.echo(import_output.to_json(result), nl=False)
    else:
        typer.echo(import_output.to_text(result), nl=False)
        if result.commit:
            console.committed(result.commit)
    if result.failed:
        raise typer.Exit(int(ExitCode.LINT_FAILED))
