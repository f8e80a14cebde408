"""`pmctl lint`."""

from __future__ import annotations

from pathlib import Path

import typer

from pmctl.cli.app import app
from pmctl.cli.command import Command


@app.command("lint", cls=Command)
def lint_command(
    paths: list[Path] | None = typer.Argument(
        None, metavar="PATH", help="Files or directories to lint (default: every postmortem)."
    ),
    output_format: str = typer.Option(
        "text",
        "--format",
        "-f",
        metavar="FORMAT",
        help="text, json, sarif, github, junit or gitlab (Code Quality).",
    ),
    strict: bool = typer.Option(False, "--strict", help="Fail on warnings too."),
    no_cache: bool = typer.Option(
        False, "--no-cache", help="Check every file again instead of reusing cached results."
    ),
) -> None:
    """Check postmortems: schema, required sections, action items, timestamps, blameless
    language, review deadlines and criteria. Exit 1 on errors (with --strict, on warnings).

    Examples:

        pmctl lint

        pmctl lint postmortems/2026/2026-11-23-checkout-latency.md

        pmctl lint --format sarif > pmctl.sarif
    """
    from pmctl.adapters.config_file import load_project
    from pmctl.cli import clock
    from pmctl.errors import ExitCode, UsageError
    from pmctl.services.lint import lint
    from pmctl.ui import lint_output

    if output_format not in lint_output.FORMATS:
        raise UsageError(
            f"unknown format {output_format!r}",
            hint=f"use one of: {', '.join(lint_output.FORMATS)}",
        )
    cwd = Path.cwd()
    project = load_project(cwd)
    result = lint(project, paths or None, today=clock.today(), use_cache=not no_cache)
    if output_format == "text":
        lint_output.print_text(result, cwd=cwd, strict=strict)
    else:
        typer.echo(
            lint_output.render(result, output_format, cwd=cwd, root=project.root, strict=strict)
        )
    if result.failed(strict=strict):
        raise typer.Exit(int(ExitCode.LINT_FAILED))
