"""The `pmctl` entry point: a Typer app whose commands live in small modules.

Command modules import only typer at module level and load everything heavy inside the
command, so `pmctl --help` stays fast. `main` is the only place that turns a `PmctlError`
into an exit code; tracebacks are shown only with `--debug`.
"""

from __future__ import annotations

import importlib
import sys

import typer

from pmctl import __version__

app = typer.Typer(
    name="pmctl",
    help="Blameless incident postmortems as Markdown files in git: new, lint, review, report.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    # Examples in --help are long command lines: let wide terminals show them unwrapped.
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 120},
)

COMMAND_MODULES = (
    "pmctl.cli.init_cmd",
    "pmctl.cli.lint_cmd",
    "pmctl.cli.new_cmd",
    "pmctl.cli.schema_cmd",
    "pmctl.cli.template_cmd",
    "pmctl.cli.status_cmd",
    "pmctl.cli.review_cmd",
    "pmctl.cli.report_cmd",
    "pmctl.cli.stats_cmd",
    "pmctl.cli.index_cmd",
    "pmctl.cli.action_cmd",
    "pmctl.cli.search_cmd",
    "pmctl.cli.related_cmd",
    "pmctl.cli.trends_cmd",
    "pmctl.cli.export_cmd",
    "pmctl.cli.drill_cmd",
    "pmctl.cli.reading_club_cmd",
)
"""Each module registers its commands on `app` when imported; command `X` lives in `X_cmd`
(`a-b` in `a_b_cmd`)."""


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


def _modules_for(args: list[str]) -> tuple[str, ...]:
    """The command modules `args` need: only the named command's, else all of them.

    Importing and registering all of them costs ~10 ms that a status transition or a
    pre-commit `pmctl lint` does not need. `--help` (even `pmctl --help status`), an
    unknown command or anything not following the `X` -> `X_cmd` naming gets every command.
    """
    for arg in args:
        if arg in {"-h", "--help"}:
            break
        if not arg.startswith("-"):
            module = f"pmctl.cli.{arg.replace('-', '_')}_cmd"
            return (module,) if module in COMMAND_MODULES else COMMAND_MODULES
    return COMMAND_MODULES


def main(argv: list[str] | None = None) -> None:
    """Run pmctl; exit with the documented exit code."""
    args = sys.argv[1:] if argv is None else argv
    for module in _modules_for(args):
        importlib.import_module(module)
    from pmctl.errors import ExitCode, PmctlError

    try:
        app(args=args, prog_name="pmctl", standalone_mode=True)
    except PmctlError as error:
        if "--debug" in args:
            raise
        from pmctl.ui.console import print_error

        print_error(error)
        sys.exit(int(error.exit_code))
    except KeyboardInterrupt:
        sys.stderr.write("pmctl: interrupted; nothing was committed\n")
        sys.exit(int(ExitCode.INTERRUPTED))
    except Exception as error:  # a bug in pmctl: say so in one line, not with a traceback
        if "--debug" in args:
            raise
        sys.stderr.write(
            f"error: internal error: {type(error).__name__}: {error}\n"
            "  hint: this is a bug in pmctl; rerun with `pmctl --debug ...` and report the traceback\n"
        )
        sys.exit(int(ExitCode.INTERNAL))
