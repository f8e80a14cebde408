"""`pmctl template list|export`."""

from __future__ import annotations

import typer

from pmctl.cli.command import Command, command_module

cli = command_module("Built-in templates and repository overrides.", no_args_is_help=True)


@cli.command("list")
def list_command() -> None:
    """List the built-in templates."""
    from pmctl.services.templates import builtin_names

    for name in builtin_names():
        typer.echo(name)


@cli.command("export", cls=Command)
def export_command(
    name: str = typer.Argument(
        "en/postmortem.md.j2", metavar="NAME", help="Template to copy, see `pmctl template list`."
    ),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing override."),
) -> None:
    """Copy a built-in template to .pmctl/templates/ to start a repository override from it.

    Example: `pmctl template export ja/postmortem.md.j2`
    """
    from pathlib import Path

    from pmctl.services.project import open_project
    from pmctl.services.templates import export
    from pmctl.ui import console

    project = open_project(Path.cwd())
    target = export(project, name, force=force)
    console.success(f"exported {name} to {target.relative_to(project.root)}; edit it to taste")
