"""`pmctl lint`."""

from __future__ import annotations

from pathlib import Path

import typer

from pmctl.cli.command import Command, command_module, path_of
from pmctl.ui.formats import LintFormat

cli = command_module()


@cli.command("lint", cls=Command)
def lint_command(
    paths: list[Path] | None = typer.Argument(
        None,
        metavar="PATH",
        help="Files or directories to lint (default: every postmortem).",
        parser=path_of("PATH"),
    ),
    output_format: LintFormat = typer.Option(
        LintFormat.TEXT, "--format", "-f", help="For people (text) or for tools."
    ),
    strict: bool = typer.Option(False, "--strict", help="Fail on warnings too."),
    no_cache: bool = typer.Option(
        False, "--no-cache", help="Check every file again instead of reusing cached results."
    ),
    hook: bool = typer.Option(
        False,
        "--hook",
        help="Gate a commit (pre-commit): a passed review deadline is a warning, not an error.",
    ),
) -> None:
    """Check postmortems: schema, required sections, action items, timestamps, blameless
    language, review deadlines and criteria. Exit 1 on errors (with --strict, on warnings).

    Examples:

        pmctl lint

        pmctl lint postmortems/2026/2026-11-23-checkout-latency.md

        pmctl lint --format sarif > pmctl.sarif

        pmctl lint --hook    (what the pre-commit hook of `pmctl init` runs)
    """
    from pmctl.cli import clock
    from pmctl.errors import ExitCode
    from pmctl.services.lint import lint
    from pmctl.services.project import open_project_of
    from pmctl.ui import lint_output

    cwd = Path.cwd()
    project = open_project_of(paths or (), cwd)
    result = lint(project, paths or None, today=clock.today(), use_cache=not no_cache, hook=hook)
    if output_format is LintFormat.TEXT:
        lint_output.print_text(result, cwd=cwd, strict=strict)
    else:
        typer.echo(
            lint_output.render(result, output_format, cwd=cwd, root=project.root, strict=strict)
        )
    if result.failed(strict=strict):
        raise typer.Exit(int(ExitCode.LINT_FAILED))
