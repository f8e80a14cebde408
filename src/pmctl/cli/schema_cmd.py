"""`pmctl schema`."""

from __future__ import annotations

import typer

from pmctl.cli.command import command_module

cli = command_module()


@cli.command("schema")
def schema_command() -> None:
    """Print the JSON Schema of the front matter (for editors and other validators).

    Example: `pmctl schema > postmortem.schema.json`
    """
    from pmctl.services.schema import postmortem_schema_text

    typer.echo(postmortem_schema_text(), nl=False)
