"""`pmctl migrate`."""

from __future__ import annotations

import typer

from pmctl.cli.app import app


@app.command("migrate")
def migrate_command(
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Write nothing; list the postmortems that would be upgraded."
    ),
    output_format: str = typer.Option(
        "text", "--format", "-f", metavar="FORMAT", help="text or json."
    ),
) -> None:
    """Upgrade every postmortem to the current schema version, in one commit.

    Only the lines the new version needs change (for 1 -> 2, the `schema:` line); comments,
    key order and quoting stay as written. Examples:

        pmctl migrate --dry-run

        pmctl migrate
    """
    from pathlib import Path

    from pmctl.adapters.config_file import load_project
    from pmctl.errors import UsageError
    from pmctl.services.migrate import migrate
    from pmctl.ui import console, migrate_output

    if output_format not in ("text", "json"):
        raise UsageError(f"--format: unknown format {output_format!r}", hint="use text or json")
    result = migrate(load_project(Path.cwd()), dry_run=dry_run)
    if output_format == "json":
        typer.echo(migrate_output.to_json(result), nl=False)
        return
    typer.echo(migrate_output.to_text(result), nl=False)
    for skipped in result.not_migrated:
        console.warn(f"{skipped.location}: not migrated: {skipped.reason}")
