"""`pmctl index`."""

from __future__ import annotations

import typer

from pmctl.cli.command import command_module

cli = command_module()


@cli.command("index")
def index_command(
    check: bool = typer.Option(
        False, "--check", help="Write nothing; exit 1 if INDEX.md is not up to date (for CI)."
    ),
    no_commit: bool = typer.Option(False, "--no-commit", help="Write the file, do not commit it."),
    force: bool = typer.Option(
        False, "--force", help="Replace an INDEX.md that `pmctl index` did not write."
    ),
) -> None:
    """Regenerate INDEX.md, the catalogue of every postmortem, and commit it if it changed.

    The file depends only on the postmortems, so running it twice changes nothing. Examples:

        pmctl index

        pmctl index --check
    """
    from pathlib import Path

    from pmctl.domain.wording import plural
    from pmctl.errors import ExitCode
    from pmctl.services.index import update_index
    from pmctl.services.project import open_project
    from pmctl.ui import console

    result = update_index(open_project(Path.cwd()), check=check, commit=not no_commit, force=force)
    console.warn_invalid(result.invalid, outcome="not listed")
    name = result.path.name
    if check:
        if result.stale:
            console.warn(f"{name} is out of date")
            console.note("run `pmctl index` and commit the result")
            raise typer.Exit(int(ExitCode.LINT_FAILED))
        console.success(f"{name} is up to date ({plural(result.entries, 'postmortem')})")
    elif not result.stale:
        console.success(f"{name} already up to date ({plural(result.entries, 'postmortem')})")
    elif result.commit:
        console.success(f"wrote {name} ({plural(result.entries, 'postmortem')})")
        console.committed(result.commit)
    else:
        console.success(f"wrote {name} ({plural(result.entries, 'postmortem')})")
        console.committed(None)
