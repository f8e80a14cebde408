"""`pmctl schema`."""

from __future__ import annotations

import typer

from pmctl.cli.command import command_module

cli = command_module()


@cli.command("schema")
def schema_command(
    version: int | None = typer.Option(
        None,
        "--version",
        metavar="N",
        help="The schema version (default: the current one, which pmctl writes).",
    ),
) -> None:
    """Print the JSON Schema of the front matter (for editors and other validators).

    Examples:

        pmctl schema > postmortem.schema.json

        pmctl schema --version 1
    """
    from pmctl.domain.model import SCHEMA_VERSION
    from pmctl.services.schema import postmortem_schema_text

    typer.echo(postmortem_schema_text(SCHEMA_VERSION if version is None else version), nl=False)
