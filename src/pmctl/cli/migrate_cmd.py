"""`pmctl migrate`."""

from __future__ import annotations

import typer

from pmctl.cli.command import command_module
from pmctl.ui.formats import TextFormat

cli = command_module()


@cli.command("migrate")
def migrate_command(
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Write nothing; list the postmortems that would be upgraded."
    ),
    output_format: TextFormat = typer.Option(
        TextFormat.TEXT, "--format", "-f", help="text or json."
    ),
) -> None:
    """Upgrade every postmortem to the current schema version, in one commit.

    Only the lines the new version needs change (for 1 -> 2, the `schema:` line); comments,
    key order and quoting stay as written. Examples:

        pmctl migrate --dry-run

        pmctl migrate
    """
    from pathlib import Path

    from pmctl.services.migrate import migrate
    from pmctl.services.project import open_project
    from pmctl.ui import console, migrate_output

    result = migrate(open_project(Path.cwd()), dry_run=dry_run)
    if output_format is TextFormat.JSON:
        typer.echo(migrate_output.to_json(result), nl=False)
        return
    typer.echo(migrate_output.to_text(result), nl=False)
    if result.commit:
        console.committed(result.commit)
    for skipped in result.not_migrated:
        console.warn(f"{skipped.location}: not migrated: {skipped.reason}")
        if skipped.hint:
            console.note(f"  hint: {skipped.hint}")
