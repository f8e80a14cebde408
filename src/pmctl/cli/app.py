"""The `pmctl` entry point: a Typer app whose commands live in small modules, loaded lazily.

Each command module (`pmctl.cli.X_cmd`) defines `cli`, a Typer of one command or of a group
of subcommands, imports only typer (and plain enums) at module level and everything heavy
inside its functions. The root group loads a module only when its command is run or
completed — Click's lazy-group pattern — so `pmctl lint` loads lint's module alone, and
`pmctl --help` none (it lists each command by the first sentence of its help, kept here).
`main` is the only place that turns a `PmctlError` into an exit code; tracebacks are shown
only with `--debug`.
"""

from __future__ import annotations

import contextlib
import importlib
import re
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, NoReturn, cast

import typer
import typer.main
from typer.core import TyperCommand, TyperGroup

from pmctl import __version__

if TYPE_CHECKING:
    from pmctl.errors import PmctlError

COMMANDS: dict[str, tuple[str, str]] = {
    "init": (
        "pmctl.cli.init_cmd",
        "Set up a postmortem repository: pmctl.toml, postmortems/, a pre-commit hook; commit them.",
    ),
    "new": (
        "pmctl.cli.new_cmd",
        "Scaffold a postmortem from the template and commit it.",
    ),
    "lint": (
        "pmctl.cli.lint_cmd",
        "Check postmortems: schema, required sections, action items, timestamps, blameless language, review deadlines and criteria.",
    ),
    "list": (
        "pmctl.cli.list_cmd",
        "List postmortems: id, status, severity, owner, review deadline, open action items.",
    ),
    "show": (
        "pmctl.cli.show_cmd",
        "Show a postmortem: its metadata, what it needs for its next status, its open action items and its reviews.",
    ),
    "status": (
        "pmctl.cli.status_cmd",
        "Show a postmortem's status and what is missing for the next one, or move it.",
    ),
    "review": (
        "pmctl.cli.review_cmd",
        "Show the review checklist, record an approval or a request for changes, show the review meeting's agenda or write its minutes into the postmortem.",
    ),
    "action": (
        "pmctl.cli.action_cmd",
        "Add, change and list a postmortem's action items (one commit per change).",
    ),
    "report": (
        "pmctl.cli.report_cmd",
        "Action items across all postmortems: open ones by default, by priority then due date.",
    ),
    "stats": (
        "pmctl.cli.stats_cmd",
        "Numbers for reviewing the postmortem process: volumes, TTD/TTM/TTR, review times.",
    ),
    "index": (
        "pmctl.cli.index_cmd",
        "Regenerate INDEX.md, the catalogue of every postmortem, and commit it if it changed.",
    ),
    "schema": (
        "pmctl.cli.schema_cmd",
        "Print the JSON Schema of the front matter (for editors and other validators).",
    ),
    "template": (
        "pmctl.cli.template_cmd",
        "Built-in templates and repository overrides.",
    ),
    "import": (
        "pmctl.cli.import_cmd",
        "Adopt existing postmortems: Markdown with headings, or with front matter of another schema (YAML, TOML or JSON).",
    ),
    "migrate": (
        "pmctl.cli.migrate_cmd",
        "Upgrade every postmortem to the current schema version, in one commit.",
    ),
    "search": (
        "pmctl.cli.search_cmd",
        "Search every postmortem, English and Japanese, ranked by relevance (BM25).",
    ),
    "related": (
        "pmctl.cli.related_cmd",
        "The postmortems most like one, each with the reasons for its rank.",
    ),
    "trends": (
        "pmctl.cli.trends_cmd",
        "Recurring causes: postmortems that share a service and a cause, over time.",
    ),
    "export": (
        "pmctl.cli.export_cmd",
        "Every postmortem's metadata as flat records, for pandas, DuckDB or a spreadsheet.",
    ),
    "drill": (
        "pmctl.cli.drill_cmd",
        "Wheel of Misfortune: a role-play drill from a past postmortem.",
    ),
    "reading-club": (
        "pmctl.cli.reading_club_cmd",
        "Propose postmortems for the reading club, or record a session.",
    ),
    "site": (
        "pmctl.cli.site_cmd",
        "A static, searchable website of every postmortem, with charts; no server needed.",
    ),
    "digest": (
        "pmctl.cli.digest_cmd",
        "The monthly digest: new postmortems, the postmortem of the month, lessons, action items and the month's numbers, in the language of pmctl.toml.",
    ),
}
"""Command name -> the module whose `cli` implements it and the first sentence of its help,
in the order `--help` lists them. `pmctl --help` lists the commands from these sentences
instead of importing the 23 modules: 120 -> 107 ms of CPU, measured interleaved at load ~5
(tests/test_help.py checks each sentence against the command typer builds)."""


class LazyGroup(TyperGroup):
    """The root group: commands are imported from `COMMANDS` when they are first needed."""

    def list_commands(self, ctx: Any) -> list[str]:
        return [*COMMANDS, *(name for name in self.commands if name not in COMMANDS)]

    def get_command(self, ctx: Any, cmd_name: str) -> TyperCommand | TyperGroup | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            module = importlib.import_module(COMMANDS[cmd_name][0])
            command = cast(TyperCommand | TyperGroup, typer.main.get_command(module.cli))
            command.name = cmd_name
            self.commands[cmd_name] = command
        found = self.commands.get(cmd_name)
        return cast(TyperCommand | TyperGroup | None, found)

    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        with _output_closed_is_quiet():  # (`pmctl --help` is written here)
            return super().make_context(*args, **kwargs)

    def invoke(self, ctx: Any) -> Any:
        with _output_closed_is_quiet(), _choice_errors_in_clicks_words():
            return super().invoke(ctx)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """The list of commands in `pmctl --help`, as typer writes it, from the first
        sentence of each command's help (a command already built gives its own)."""
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(map(len, names))
        rows = [
            (name, _summary(name, self.commands.get(name)).get_short_help_str(limit))
            for name in names
        ]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@contextlib.contextmanager
def _output_closed_is_quiet() -> Iterator[None]:
    """A reader that went away (`pmctl export | head -1`) ends pmctl as it ends `git log`:
    silently, with 141 (128 + SIGPIPE), not with Click's exit 1, which is pmctl's "lint
    failed". What is left to write goes to the null device, so that exit's flush of
    standard output does not fail again."""
    try:
        yield
    except BrokenPipeError:
        import os

        nowhere = os.open(os.devnull, os.O_WRONLY)
        os.dup2(nowhere, sys.stdout.fileno())
        os.close(nowhere)
        from pmctl.errors import ExitCode

        sys.exit(int(ExitCode.OUTPUT_CLOSED))


@contextlib.contextmanager
def _choice_errors_in_clicks_words() -> Iterator[None]:
    """A value outside an option's choices is refused in Click's words ("Invalid value for
    '--type': 'detect' is not one of 'mitigate', ..."): typer 0.29 converts options through
    pydantic, whose message for the refusal starts with its own "Value error, ". The choices
    are named as they are written (`'P0'`), which typer lower-cases for an option that takes
    them in any case (`--priority p1`)."""
    try:
        yield
    except typer.BadParameter as error:
        from typer._click.exceptions import MissingParameter

        param = error.param
        if isinstance(error, MissingParameter) and param is not None:
            # (Its list of choices is written only when the error is shown, from `param`.)
            error.param_type = param.param_type_name
            error.param_hint = param.get_error_hint()
            error.message = param.get_missing_message(error.ctx) or ""
            error.param = None
        error.message = _choices_as_written(error.message.removeprefix("Value error, "), param)
        raise


def _choices_as_written(message: str, param: Any) -> str:
    """`message` with each of `param`'s choices that typer lower-cased written as it is."""
    descriptor = getattr(param, "type_descriptor", None)
    for choice in getattr(descriptor, "choices", None) or ():
        written = str(getattr(choice, "value", choice))
        message = re.sub(rf"(?<![\w-]){re.escape(written.casefold())}(?![\w-])", written, message)
    return message


def _summary(name: str, built: Any) -> TyperCommand | TyperGroup:
    """Command `name` as built, or a stand-in with the first sentence of its help (all that
    the list of commands shows of it) and no parameters."""
    if built is not None:
        return cast(TyperCommand | TyperGroup, built)
    return TyperCommand(name=name, help=COMMANDS[name][1])


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
    from pmctl.errors import ExitCode, PmctlError, file_system_refusal, interruption_in

    args = [_from_utf8(arg) for arg in sys.argv[1:]] if argv is None else argv
    _standard_streams()
    try:
        app(args=args, prog_name="pmctl", standalone_mode=True)
    except PmctlError as error:
        if "--debug" in args:
            raise
        _exit_with(error)
    except (Exception, KeyboardInterrupt) as error:
        if "--debug" in args:
            raise
        interruption = interruption_in(error)
        if interruption is not None or isinstance(error, KeyboardInterrupt):
            sys.stderr.write("pmctl: interrupted; nothing was committed\n")
            sys.exit(interruption.exit_code if interruption else int(ExitCode.INTERRUPTED))
        refusal = file_system_refusal(error)
        if refusal is not None:
            _exit_with(refusal)
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


def _standard_streams() -> None:
    """Standard output and error in UTF-8, as every file pmctl writes, whatever the locale;
    one that the caller closed (`pmctl lint >&-`) writes to nowhere.

    In a locale whose encoding cannot carry pmctl's text (a Latin-1 locale, `LANG=C` with
    `PYTHONUTF8=0`, `PYTHONIOENCODING=ascii`), its first `✓` or Japanese title raised
    UnicodeEncodeError: exit 70, and output cut short. UTF-8 is what Python itself writes
    in the C locale (its UTF-8 mode). A closed one is None in Python: lint, search and
    export exited 70; the null device also keeps its descriptor from being the next file
    pmctl opens. A file name that is not UTF-8 is written to standard output as its bytes,
    as `ls` writes it (`surrogateescape`); in a UTF-8 locale Python's `strict` raised on it.
    """
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is None:
            import os

            nowhere = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 (the process's)
            setattr(sys, name, nowhere)
            continue
        encoding = (getattr(stream, "encoding", None) or "utf-8").lower().replace("_", "-")
        current = getattr(stream, "errors", None)
        # (standard error keeps its `backslashreplace`, which never raises)
        errors = "surrogateescape" if name == "stdout" else current
        changed = encoding not in ("utf-8", "utf8") or errors != current
        if changed and hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors=errors)


def _from_utf8(arg: str) -> str:
    """An argument as the UTF-8 it was typed in: in such a locale Python decodes what it
    cannot as surrogates (`new --title 障害`), which no file could then hold (exit 70).
    Bytes that are not UTF-8 at all become U+FFFD, unless the argument names a file as it
    is (`pmctl lint café.md` in Latin-1): then it stays its bytes, to name that file."""
    if arg.isascii():  # (nearly every argument: nothing imported for it)
        return arg
    from pmctl.domain.visible_text import is_utf8

    if is_utf8(arg):
        return arg
    import os

    decoded = os.fsencode(arg).decode("utf-8", errors="replace")
    return arg if "\ufffd" in decoded and os.path.lexists(arg) else decoded


def _exit_with(error: PmctlError) -> NoReturn:
    """The error as one line on stderr (and its hint), and its exit code."""
    from pathlib import Path

    from pmctl.ui.console import print_error

    print_error(error, cwd=Path.cwd())
    sys.exit(int(error.exit_code))
