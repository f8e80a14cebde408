"""Terminal output with rich: one stdout console, one stderr console, created on first use."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from pmctl.domain.visible_text import visible

if TYPE_CHECKING:
    from rich.console import Console

    from pmctl.domain.commits import Commit
    from pmctl.errors import PmctlError


@cache
def stdout() -> Console:
    from rich.console import Console

    return Console(highlight=False, soft_wrap=True)


@cache
def stderr() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


def print_error(error: PmctlError, *, cwd: Path) -> None:
    """What someone else said (a git hook's output), verbatim; then `error: <location>:
    <message>` in red, and the hint on the next line. Paths under `cwd` are shown
    relative to it, as the user would type them."""
    from rich.markup import escape

    console = stderr()
    if error.details.strip():
        console.out(error.details.rstrip("\n"), highlight=False)
    where = f"{visible(_relative(error.location, cwd))}: " if error.location else ""
    console.print(f"[bold red]error:[/] {escape(where + _shown(_relative(error.message, cwd)))}")
    if error.hint:
        console.print(f"  [dim]hint:[/] {escape(_shown(_relative(error.hint, cwd)))}")


def _relative(text: str, cwd: Path) -> str:
    return text.replace(f"{cwd}{os.sep}", "") if cwd != Path(cwd.anchor) else text


def _shown(message: str) -> str:
    """An error message for the terminal: its own lines kept (a refused transition lists
    its gaps), control characters that a document or a file name brought into a line (an
    escape sequence, a carriage return) spelled out."""
    return "\n".join(visible(line) for line in message.split("\n"))


def committed(commit: Commit | None) -> None:
    """The one way every command says what it committed (on stderr, so that stdout stays
    the command's own output): `committed <sha>: <subject>`, where it was pushed, or that
    nothing was committed (`--no-commit`)."""
    if commit is None:
        note("not committed (--no-commit)")
        return
    note(f"committed {commit.short}: {commit.subject}")
    if commit.pushed_to:
        note(f"pushed {commit.short} to {commit.pushed_to}")


def success(message: str) -> None:
    """`✓ message` on stdout, on one line whatever the message quotes."""
    from rich.markup import escape

    stdout().print(f"[green]✓[/] {escape(visible(message))}")


def note(message: str) -> None:
    """A dim line on stderr, one line whatever it quotes."""
    from rich.markup import escape

    stderr().print(f"[dim]{escape(visible(message))}[/]")


def warn(message: str) -> None:
    """`warning: message` on stderr, on one line whatever it quotes (a file's name)."""
    from rich.markup import escape

    stderr().print(f"[yellow]warning:[/] {escape(visible(message))}")


def style_codes(style: str) -> tuple[str, str]:
    """The codes stdout's console writes before and after text in `style` (with its colour
    system, `NO_COLOR` and the rest applied), for output too long to print line by line."""
    from rich.text import Text

    console = stdout()
    with console.capture() as captured:
        console.print(Text("\0", style=style), end="")
    before, _, after = captured.get().partition("\0")
    return before, after
