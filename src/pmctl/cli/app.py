"""The `pmctl` entry point: a Typer app whose commands live in small modules, loaded lazily.

Each command module (`pmctl.cli.X_cmd`) defines `cli`, a Typer of one command or of a group
of subcommands, imports only typer (and plain enums) at module level and everything heavy
inside its functions. The root group loads a module only when its command is run, listed
or completed — Click's lazy-group pattern — so `pmctl lint` loads lint's module alone.
`main` is the only place that turns a `PmctlError` into an exit code; tracebacks are shown
only with `--debug`.
"""

from __future__ import annotations

import importlib
import inspect
import sys
from typing import Any, cast

import typer
import typer.main
from typer.core import TyperCommand, TyperGroup
from typer.models import TyperInfo

from pmctl import __version__

COMMANDS: dict[str, str] = {
    "init": "pmctl.cli.init_cmd",
    "new": "pmctl.cli.new_cmd",
    "lint": "pmctl.cli.lint_cmd",
    "list": "pmctl.cli.list_cmd",
    "show": "pmctl.cli.show_cmd",
    "status": "pmctl.cli.status_cmd",
    "review": "pmctl.cli.review_cmd",
    "action": "pmctl.cli.action_cmd",
    "report": "pmctl.cli.report_cmd",
    "stats": "pmctl.cli.stats_cmd",
    "index": "pmctl.cli.index_cmd",
    "schema": "pmctl.cli.schema_cmd",
    "template": "pmctl.cli.template_cmd",
    "import": "pmctl.cli.import_cmd",
    "migrate": "pmctl.cli.migrate_cmd",
    "search": "pmctl.cli.search_cmd",
    "related": "pmctl.cli.related_cmd",
    "trends": "pmctl.cli.trends_cmd",
    "export": "pmctl.cli.export_cmd",
    "drill": "pmctl.cli.drill_cmd",
    "reading-club": "pmctl.cli.reading_club_cmd",
    "site": "pmctl.cli.site_cmd",
    "digest": "pmctl.cli.digest_cmd",
}
"""Command name -> the module whose `cli` implements it, in the order `--help` lists them."""


class LazyGroup(TyperGroup):
    """The root group: commands are imported from `COMMANDS` when they are first needed."""

    def list_commands(self, ctx: Any) -> list[str]:
        return [*COMMANDS, *(name for name in self.commands if name not in COMMANDS)]

    def get_command(self, ctx: Any, cmd_name: str) -> TyperCommand | TyperGroup | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            module = importlib.import_module(COMMANDS[cmd_name])
            command = cast(TyperCommand | TyperGroup, typer.main.get_command(module.cli))
            command.name = cmd_name
            self.commands[cmd_name] = command
        found = self.commands.get(cmd_name)
        return cast(TyperCommand | TyperGroup | None, found)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """The list of commands in `pmctl --help`, as typer writes it, from each command's
        help text alone.

        Building a command reads the signatures and type hints of all its parameters: for
        the 23 commands that was ~20 ms of a ~145 ms `pmctl --help`, for one line each.
        """
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(map(len, names))
        rows = [
            (name, _summary(name, self.commands.get(name)).get_short_help_str(limit))
            for name in names
        ]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


def _summary(name: str, built: Any) -> TyperCommand | TyperGroup:
    """Command `name` as built, or a stand-in with the help text typer would give it and
    no parameters."""
    if built is not None:
        return cast(TyperCommand | TyperGroup, built)
    cli: typer.Typer = importlib.import_module(COMMANDS[name]).cli
    if len(cli.registered_commands) == 1 and not (
        cli.registered_callback or cli.info.callback or cli.registered_groups
    ):  # one command, as `typer.main.get_command` decides
        info = cli.registered_commands[0]
        text = inspect.getdoc(info.callback) if info.help is None else inspect.cleandoc(info.help)
        return TyperCommand(name=name, help=text, short_help=info.short_help)
    group = typer.main.solve_typer_info_defaults(TyperInfo(cli))
    return TyperGroup(name=name, help=group.help, short_help=group.short_help)


app = typer.Typer(
    name="pmctl",
    cls=LazyGroup,
    help="Blameless incident postmortems as Markdown files in git: new, lint, review, report.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    # Examples in --help are long command lines: let wide terminals show them unwrapped.
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 120},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"pmctl {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks of unexpected errors."),
    today: str | None = typer.Option(
        None,
        "--today",
        metavar="DATE",
        help="Act as if today were DATE (also PMCTL_TODAY); for CI, demos and tests.",
    ),
) -> None:
    """Blameless incident postmortems as Markdown files in git."""
    from pmctl.cli import clock

    clock.pin(today)


def main(argv: list[str] | None = None) -> None:
    """Run pmctl; exit with the documented exit code."""
    from pmctl.errors import ExitCode, PmctlError, interruption_in

    args = sys.argv[1:] if argv is None else argv
    try:
        app(args=args, prog_name="pmctl", standalone_mode=True)
    except PmctlError as error:
        if "--debug" in args:
            raise
        from pathlib import Path

        from pmctl.ui.console import print_error

        print_error(error, cwd=Path.cwd())
        sys.exit(int(error.exit_code))
    except (Exception, KeyboardInterrupt) as error:
        if "--debug" in args:
            raise
        interruption = interruption_in(error)
        if interruption is not None or isinstance(error, KeyboardInterrupt):
            sys.stderr.write("pmctl: interrupted; nothing was committed\n")
            sys.exit(interruption.exit_code if interruption else int(ExitCode.INTERRUPTED))
        # A bug in pmctl: say so in one line, not with a traceback.
        sys.stderr.write(
            f"error: internal error: {type(error).__name__}: {error}\n"
            "  hint: this is a bug in pmctl; rerun with `pmctl --debug ...` and report the traceback\n"
        )
        sys.exit(int(ExitCode.INTERNAL))
    except BaseException as error:
        interruption = interruption_in(error)
        if interruption is None:
            raise
        sys.stderr.write("pmctl: interrupted; nothing was committed\n")
        sys.exit(interruption.exit_code)
