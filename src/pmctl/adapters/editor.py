"""The user's text editor, as git and most command-line tools choose it."""

from __future__ import annotations

import os
import shlex
import subprocess
from pathlib import Path

from pmctl.errors import UsageError


def edit(path: Path) -> None:
    """Open `path` in `$VISUAL`, else `$EDITOR`, else `vi`, and wait until it is closed.

    `UsageError` when the editor cannot be started or exits with an error; the file is left
    as the editor left it.
    """
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    command = [*shlex.split(editor), str(path)]
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
