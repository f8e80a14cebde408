"""Terminal output: lines of text and styles written directly (notes, warnings, errors, the
search results), and one rich console for stdout and one for stderr, created on first use,
for everything else (tables, checklists)."""

from __future__ import annotations

import errno
import os
import sys
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from pmctl.domain.visible_text import visible

if TYPE_CHECKING:
    from collections.abc import Iterable

    from rich.console import Console

    from pmctl.domain.commits import Commit
    from pmctl.domain.document import Invalid
    from pmctl.errors import PmctlError


@cache
def stdout() -> Console:
    return _console_class()(highlight=False, soft_wrap=True)


@cache
def stderr() -> Console:
    return _console_class()(stderr=True, highlight=False, soft_wrap=True)


@cache
def _console_class() -> type[Console]:
    """rich's console, except that a reader gone away (`pmctl stats | head -1`) raises
    `BrokenPipeError` as any other write does, for the command line to end every such
    command alike; rich's own ends the process with exit 1, pmctl's "lint failed"."""
    from rich.console import Console

    class _Console(Console):
        def on_broken_pipe(self) -> None:
            raise BrokenPipeError(errno.EPIPE, os.strerror(errno.EPIPE))

    return _Console


def print_error(error: PmctlError, *, cwd: Path) -> None:
    """What someone else said (a git hook's output), verbatim; then `error: <location>:
    <message>` in red, and the hint on the next line. Paths under `cwd` are shown
    relative to it, as the user would type them."""
    if error.details.strip():
        # Verbatim but for the codes that would redraw the line (bell, backspace, CR...).
        sys.stderr.write(error.details.rstrip("\n").translate(_REDRAWING) + "\n")
    where = (
        f"{visible(_relative(error.location, cwd), limit=MAX_ERROR_LINE)}: "
        if error.location
        else ""
    )
    write_line(
        sys.stderr, ("bold red", "error:"), f" {where}{_shown(_relative(error.message, cwd))}"
    )
    if error.hint:
        write_line(sys.stderr, "  ", ("dim", "hint:"), f" {_shown(_relative(error.hint, cwd))}")


def _relative(text: str, cwd: Path) -> str:
    return text.replace(f"{cwd}{os.sep}", "") if cwd != Path(cwd.anchor) else text


MAX_ERROR_LINE = 2_000
"""Characters of a line of an error message at most: the longest pmctl writes (a hint that
lists every built-in template) is ~700; one that quotes an argument or a value back may
quote 100 KB of it."""


def _shown(message: str) -> str:
    """An error message for the terminal: its own lines kept (a refused transition lists
    its gaps), control characters that a document or a file name brought into a line (an
    escape sequence, a carriage return) spelled out, and a line that quotes something huge
    cut to `MAX_ERROR_LINE`."""
    return "\n".join(visible(line, limit=MAX_ERROR_LINE) for line in message.split("\n"))


def committed(commit: Commit | None) -> None:
    """The one way every command says what it committed (on stderr, so that stdout stays
    the command's own output): `committed <sha>: <subject>`, where it was pushed, or that
    nothing was committed (`--no-commit`)."""
    if commit is None:
        note("not committed (--no-commit)")
        return
    note(f"committed {commit.short}: {commit.subject}")
    if commit.reformatted:
        note(f"a git hook reformatted {', '.join(commit.reformatted)}: its version is committed")
    if commit.pushed_to:
        note(f"pushed {commit.short} to {commit.pushed_to}")


def warn_shallow(shallow: bool) -> None:
    """The warning that lifecycle times come from a history cut short (a shallow clone)."""
    if shallow:
        warn(
            "this is a shallow clone: status changes before its first commit are not in its "
            "history, so times in each status are missing or short; fetch the whole history "
            "(`git fetch --unshallow`; in CI, `fetch-depth: 0`)"
        )


def success(message: str) -> None:
    """`✓ message` on stdout, on one line whatever the message quotes."""
    write_line(sys.stdout, ("green", "✓"), f" {visible(message)}")


def note(message: str) -> None:
    """A dim line on stderr, one line whatever it quotes."""
    write_line(sys.stderr, ("dim", visible(message)))


def warn(message: str) -> None:
    """`warning: message` on stderr, on one line whatever it quotes (a file's name)."""
    write_line(sys.stderr, ("yellow", "warning:"), f" {visible(message)}")


def warn_invalid(files: Iterable[Invalid], *, outcome: str = "skipped") -> None:
    """A warning for each file the command left out (`outcome`: "skipped", "left out", "not
    listed") because it is not a valid postmortem: where, and its first problem (lint has
    them all)."""
    for file in files:
        warn(f"{file.location}: {outcome}, not a valid postmortem: {file.message}")


# These lines are written without rich: importing it took ~35 ms of a status transition's
# ~300 (idle), ~75 ms under load, for one `committed <sha>: <subject>` line; and 35-40 ms of a
# later search's ~450 (idle) for its list of results.
_CODES = {
    "bold": ("1", "1"),
    "dim": ("2", "2"),
    "green": ("32", ""),
    "yellow": ("33", ""),
    "bold red": ("1;31", "1"),
    "bold yellow": ("1;33", "1"),
}
"""Style -> its SGR parameters in colour, and with `NO_COLOR` (no colours; bold and dim stay)."""
_REDRAWING = dict.fromkeys((7, 8, 11, 12, 13))
"""What rich strips from text it prints: bell, backspace, vertical tab, form feed, CR."""


def write_line(stream: TextIO, *pieces: str | tuple[str, str]) -> None:
    """One line of `pieces`, each text as it is or `(style, text)` (a style of `_CODES`):
    what rich's console writes for the same markup (no wrapping; escape codes only where it
    would write them; emoji codes such as `:fire:` left as written). The text must already be
    `visible`."""
    styled = _styles(stream)
    no_color = os.environ.get("NO_COLOR", "") != ""
    written = []
    for piece in pieces:
        if isinstance(piece, str):
            written.append(piece)
            continue
        style, text = piece
        code = _CODES[style][no_color] if styled else ""
        written.append(f"\x1b[{code}m{text}\x1b[0m" if code else text)
    stream.write("".join(written) + "\n")
    stream.flush()


def _styles(stream: TextIO) -> bool:
    """Whether rich would style output to `stream` (`Console.is_terminal` and not a dumb
    terminal): `TTY_COMPATIBLE`, then `FORCE_COLOR`, then the stream itself decide."""
    forced = os.environ.get("TTY_COMPATIBLE", "")
    if forced in ("0", "1"):
        terminal = forced == "1"
    elif "FORCE_COLOR" in os.environ:
        terminal = os.environ["FORCE_COLOR"] != ""
    else:
        try:
            terminal = stream.isatty()
        except ValueError:  # a closed stream
            terminal = False
    return terminal and os.environ.get("TERM", "").lower() not in ("dumb", "unknown")


def style_codes(style: str) -> tuple[str, str]:
    """The codes stdout's console writes before and after text in `style` (with its colour
    system, `NO_COLOR` and the rest applied), for output too long to print line by line."""
    from rich.text import Text

    console = stdout()
    with console.capture() as captured:
        console.print(Text("\0", style=style), end="")
    before, _, after = captured.get().partition("\0")
    return before, after
