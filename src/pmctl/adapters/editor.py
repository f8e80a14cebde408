"""The user's text editor, as git and most command-line tools choose it."""

from __future__ import annotations

import os
import shlex
import subprocess
from pathlib import Path

from pmctl.errors import UsageError


def edit(path: Path) -> None:
    """Open `path` in `$VISUAL`, else `$EDITOR`, else `vi`, and wait until it is closed.

    `UsageError` when the editor cannot be started or exits with an error, or there is none
    (`choose`); the file is left as the editor left it.
    """
    command = [*shlex.split(choose()), str(path)]
    try:
        result = subprocess.run(command, check=False)
    except OSError as error:
        raise UsageError(
            f"cannot start the editor {command[0]!r}: {error.strerror or error}",
            hint="set VISUAL or EDITOR to your editor, e.g. EDITOR=nano",
        ) from None
    if result.returncode != 0:
        raise UsageError(
            f"the editor {command[0]!r} exited with {result.returncode}",
            hint=f"your edits, if any, are in {path}",
        )


def choose() -> str:
    """The editor's command line: `$VISUAL`, else `$EDITOR`, else `vi` if it has a terminal
    to read keys from; `UsageError` when none may be used. Without a terminal (a CI job, a
    script) `vi` waited for ever: `pmctl new --edit </dev/null` never ended."""
    import sys

    chosen = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if chosen:
        return chosen
    if sys.stdin is not None and sys.stdin.isatty():
        return "vi"
    raise UsageError(
        "no editor to open: VISUAL and EDITOR are not set, and there is no terminal for vi",
        hint="set EDITOR (e.g. EDITOR=nano), or leave out --edit",
    )
