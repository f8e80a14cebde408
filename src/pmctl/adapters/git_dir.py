"""Finding a work tree's git directory by reading `.git`, without running git or GitPython.

For the caches and the repository lock, which must not cost a process start.
"""

from __future__ import annotations

import contextlib
from pathlib import Path


def find_git_dir(start: Path) -> Path | None:
    """The git directory of the work tree containing `start`; None outside a repository."""
    for directory in (start, *start.parents):
        dot_git = directory / ".git"
        if dot_git.is_dir():
            return dot_git
        if dot_git.is_file():
            # A worktree or submodule: `.git` is a file saying `gitdir: <path>`.
            with contextlib.suppress(OSError, UnicodeDecodeError):
                text = dot_git.read_text(encoding="utf-8").strip()
                if text.startswith("gitdir:"):
                    return (directory / text.removeprefix("gitdir:").strip()).resolve()
            return None
    return None
