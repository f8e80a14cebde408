"""`pmctl init`."""

from __future__ import annotations

from pathlib import Path

import typer

from pmctl.cli.command import Command, command_module, path_of

cli = command_module()


@cli.command("init", cls=Command)
def init_command(
    directory: Path = typer.Argument(
        Path("."), metavar="DIRECTORY", help="Directory to set up.", parser=path_of("DIRECTORY")
    ),
    language: str = typer.Option(
        "en", "--language", "-l", metavar="LANG", help="Default language: en or ja."
    ),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing pmctl.toml."),
    no_commit: bool = typer.Option(False, "--no-commit", help="Write the files, do not commit."),
) -> None:
    """Set up a postmortem repository: pmctl.toml, postmortems/, a pre-commit hook; commit them.

    Example: `pmctl init` in an empty directory runs `git init` too.
    """
    from pmctl.cli.parse import parse_language
    from pmctl.domain.wording import plural
    from pmctl.services.init import initialise
    from pmctl.ui import console

    result = initialise(
        directory, language=parse_language(language), force=force, commit=not no_commit
    )
    if result.created_git:
        console.success(f"initialised a git repository in {result.root}")
    for path in result.written:
        console.success(
            f"wrote {path.relative_to(result.root) if path.is_relative_to(result.root) else path}"
        )
    if result.pre_commit_hook is not None:
        console.note(
            ".pre-commit-config.yaml exists and was left alone; add pmctl's hook under its "
            "`repos:`:"
        )
        for line in result.pre_commit_hook.splitlines():
            console.note(line)
    if result.not_postmortems:
        shown = ", ".join(
            path.relative_to(result.root).as_posix() for path in result.not_postmortems[:3]
        )
        more = ", ..." if len(result.not_postmortems) > 3 else ""
        console.warn(
            f"postmortems/ already holds {plural(len(result.not_postmortems), 'Markdown file')} "
            f"without front matter: {shown}{more}; lint reads them as postmortems, and fails"
        )
        console.note(
            "convert postmortems written before pmctl with `pmctl import`; move other files "
            "out of postmortems/"
        )
    if result.gitignore_left:
        console.note(f".gitignore {result.gitignore_left} and was left alone; add /_site/ to it")
    if result.commit:
        console.committed(result.commit)
    elif not result.written:
        console.success(f"{result.root} is set up already: nothing to change")
    if result.hook_inactive is not None and result.hooks_path:
        console.note(
            f"git runs its hooks from {result.hook_inactive.parent} (core.hooksPath), where "
            f"`pre-commit install` does not install: have {result.hook_inactive} run "
            "`pre-commit run` to lint postmortems before each commit"
        )
    elif result.hook_inactive is not None:
        console.note(
            "the pre-commit hook runs once pre-commit is installed in this clone (and in each "
            "clone): `pre-commit install`"
        )
    console.note("next: `pmctl new` after an incident")
