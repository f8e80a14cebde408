"""The one error hierarchy of pmctl.

Everything below the CLI raises a `PmctlError`; only the CLI turns it into a red line on
stderr and an exit code. The exit codes are documented in `docs/exit-codes.md`.
"""

from __future__ import annotations

import errno
from enum import IntEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path


class ExitCode(IntEnum):
    """Process exit codes; stable and documented."""

    OK = 0
    LINT_FAILED = 1
    USAGE = 2
    CONFIG = 3
    GIT = 4
    TRANSITION_REFUSED = 5
    DOCUMENT = 6
    TEMPLATE = 7
    NOT_FOUND = 8
    COMMITTED_THEN_INTERRUPTED = 9
    FILE_SYSTEM = 10
    NOT_SENT = 11
    INTERNAL = 70
    INTERRUPTED = 130
    OUTPUT_CLOSED = 141
    TERMINATED = 143


class PmctlError(Exception):
    """An error with a message for the user, a hint on how to fix it and an exit code.

    `location` is `file:line` (or `file`) when the error is about a place in a file;
    `details` is output of someone else's worth showing before the message, verbatim (what
    a git hook printed when it refused a commit).
    """

    exit_code: ExitCode = ExitCode.USAGE

    def __init__(
        self, message: str, *, hint: str = "", location: str = "", details: str = ""
    ) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.location = location
        self.details = details

    def __str__(self) -> str:
        prefix = f"{self.location}: " if self.location else ""
        return f"{prefix}{self.message}"


class UsageError(PmctlError):
    """The command was called with missing or contradictory input."""

    exit_code = ExitCode.USAGE


class ConfigError(PmctlError):
    """`pmctl.toml` is missing, unreadable or invalid."""

    exit_code = ExitCode.CONFIG


class GitError(PmctlError):
    """Git refused, or the repository is in a state pmctl will not touch."""

    exit_code = ExitCode.GIT


class TransitionRefused(PmctlError):
    """A lifecycle transition's guard is not met; nothing was written."""

    exit_code = ExitCode.TRANSITION_REFUSED


class DocumentError(PmctlError):
    """A postmortem cannot be read or parsed well enough to act on it."""

    exit_code = ExitCode.DOCUMENT


class TemplateError(PmctlError):
    """A template is missing, invalid, or tried something the sandbox forbids."""

    exit_code = ExitCode.TEMPLATE


class NotFoundError(PmctlError):
    """A postmortem, file or template that was named does not exist."""

    exit_code = ExitCode.NOT_FOUND


class CommittedThenInterrupted(PmctlError):
    """Ctrl-C or SIGTERM arrived while git made the commit, and the commit exists."""

    exit_code = ExitCode.COMMITTED_THEN_INTERRUPTED


class FileSystemRefused(PmctlError):
    """The file system refused a write or a read: no space, a quota or file-size limit, a
    read-only file system, no permission, an I/O error, too many open files. Not a bug;
    the command put back what it wrote."""

    exit_code = ExitCode.FILE_SYSTEM


_REFUSALS = {
    errno.ENOSPC: "free some space",
    errno.EDQUOT: "free some space or raise the quota",
    errno.EFBIG: "raise the file-size limit (`ulimit -f`)",
    errno.EROFS: "make the file system writable",
    errno.EACCES: "fix the permissions",
    errno.EPERM: "fix the permissions",
    errno.EIO: "check the disk or the network file system (`dmesg`)",
    errno.ESTALE: "the network file system lost track of the file; check its mount",
    errno.EMFILE: "raise the open-file limit (`ulimit -n`)",
    errno.ENFILE: "close some programs: the system has too many files open",
}
"""The refusals and failures of a file system, which the user can lift or mend, and how:
not bugs in pmctl (exit 10, not 70)."""


def file_system_refusal(
    error: BaseException, *, path: Path | None = None
) -> FileSystemRefused | None:
    """`error` as a `FileSystemRefused`, if it is an `OSError` the user can lift; about
    `path` when given (else the file the error names, if any)."""
    if not isinstance(error, OSError) or error.errno not in _REFUSALS:
        return None
    named = path or error.filename
    where = f"{named}: " if named else ""
    return FileSystemRefused(
        f"the file system refused: {where}{error.strerror}",
        hint=f"{_REFUSALS[error.errno]}, then run the command again; what it wrote is put back",
    )


class NotSent(PmctlError):
    """A message that was the command's whole job (`pmctl digest --send`) did not reach
    every channel; the warnings above name each one and why."""

    exit_code = ExitCode.NOT_SENT


class Interrupted(BaseException):
    """Ctrl-C (SIGINT), SIGTERM, or a prompt cancelled: the command stops, nothing committed.

    A `BaseException`, like `KeyboardInterrupt`, so that no `except Exception` swallows it,
    but not a `KeyboardInterrupt`, which the command-line framework would turn into a
    silent exit. The CLI exits with 128 + the signal's number.
    """

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        return 128 + self.signum


def interruption_in(error: BaseException) -> Interrupted | None:
    """The `Interrupted` that `error` is, or that caused it.

    A signal that arrives while Python creates a class is re-raised as a `RuntimeError`
    whose cause is the `Interrupted`: an interruption, not a bug.
    """
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        if isinstance(current, Interrupted):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None
