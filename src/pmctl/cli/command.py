"""The Typer command class for pmctl commands that take arguments: clean names in --help."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from enum import Enum
from pathlib import Path
from typing import Any, Protocol

import typer
from typer.core import TyperArgument, TyperCommand


class _HelpFormatter(Protocol):
    """What of Click's help formatter this class uses (typer exports no name for its type)."""

    def section(self, name: str) -> AbstractContextManager[None]: ...

    def write_dl(self, rows: Sequence[tuple[str, str]]) -> None: ...


class Command(TyperCommand):
    """Lists each argument under its metavar alone: `ID`, not `ID <str>`.

    typer 0.29 writes the value's type after an argument in --help even when it has a
    metavar (after an option, the metavar replaces it), and `typer.Argument` has no switch
    to turn that off. Use it as `@cli.command("name", cls=Command)`; give every argument and
    every option that takes a value a `metavar=` (options with choices show their choices).
    """

    def format_options(self, ctx: Any, formatter: _HelpFormatter) -> None:
        arguments: list[tuple[str, str]] = []
        options: list[tuple[str, str]] = []
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is None:
                continue
            if isinstance(param, TyperArgument):
                arguments.append((_argument_name(param), record[1]))
            else:
                options.append(record)
        for title, records in (("Arguments", arguments), ("Options", options)):
            if records:
                with formatter.section(title):
                    formatter.write_dl(records)


def choices_metavar(kind: type[Enum]) -> str:
    """The metavar of an option that takes one of `kind`'s values in any case: its choices
    as they are written (`<P0|P1|P2|P3>`), which typer would show in lower case."""
    return "<" + "|".join(str(member.value) for member in kind) + ">"


def _argument_name(argument: TyperArgument) -> str:
    name = argument.metavar or (argument.name or "").upper()
    return name if argument.nargs == 1 else f"{name}..."


def command_module(help: str | None = None, *, no_args_is_help: bool = False) -> typer.Typer:
    """The Typer a command module exposes as `cli`: one command, or a group of them.

    Plain help like the root's (no rich panels); shell completion is the root's alone.
    """
    return typer.Typer(
        help=help,
        no_args_is_help=no_args_is_help,
        add_completion=False,
        rich_markup_mode=None,
        pretty_exceptions_enable=False,
    )


def path_of(name: str) -> Callable[[str], Path]:
    """The parser of a file or directory argument `name` (`SRC`, `--map`): an empty one is a
    usage error. `Path("")` is the current directory, so `pmctl import "$SRC"` with SRC unset
    imported and committed every Markdown file under it, `pmctl lint ""` linted all of it, and
    `pmctl init "$DIR"` set up the current directory. (Here, not in `parse`, which
    `pmctl lint ONE.md` would then import for nothing but this.)"""

    def parse(value: str) -> Path:
        if not value:
            from pmctl.errors import UsageError

            raise UsageError(
                f"{name} is an empty string, which names no file",
                hint=f"give {name} a path (`.` for the current directory)",
            )
        return Path(value)

    return parse
