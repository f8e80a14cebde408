"""The Typer command class for pmctl commands that take arguments: clean names in --help."""

from __future__ import annotations

# typer exports neither the help formatter's type nor a public path to it; `typer.core`
# is loaded by `import typer` anyway, so this costs nothing at start-up.
from typer import _click
from typer.core import TyperArgument, TyperCommand


class Command(TyperCommand):
    """Lists each argument under its metavar alone: `ID`, not `ID <str>`.

    typer 0.29 writes the value's type after an argument in --help even when it has a
    metavar (after an option, the metavar replaces it), and `typer.Argument` has no switch
    to turn that off. Use it as `@app.command("name", cls=Command)`; give every argument and
    every option that takes a value a `metavar=`.
    """

    def format_options(self, ctx: _click.Context, formatter: _click.HelpFormatter) -> None:
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


def _argument_name(argument: TyperArgument) -> str:
    name = argument.metavar or (argument.name or "").upper()
    return name if argument.nargs == 1 else f"{name}..."
