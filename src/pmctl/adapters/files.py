"""Atomic file writes: a crash or Ctrl-C leaves the old file or the new one, never half."""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO


def write_atomic(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Write `data` to `path` via a temp file in the same directory and an atomic rename.

    The file's permission bits are kept when it exists. `durable=False` skips flushing the
    data to disk before the rename (tens of ms for a cache of some MB): after a crash the
    file may then be empty or cut short, which is fine only for a file that can be rebuilt.
    """
    with _replacing(path, durable=durable) as stream:
        stream.write(data)


def write_lines_out(path: Path, lines: Iterable[str]) -> None:
    """`lines`, encoded as UTF-8, to a file the user named (`--out`), each written as it
    comes: the whole text is never held (`pmctl export`).

    A regular file (or a new one) is written as `write_atomic` writes: if taking a line
    fails, `path` is left as it was. A device, a pipe or a socket (`/dev/null`,
    `/dev/stdout`, a FIFO) is written into as it is: renaming a file over it would replace
    it (as root: `--out /dev/null` left a regular file there) or cannot (anyone else).
    """
    try:
        special = not stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):  # no such file (yet): the atomic write says what is wrong
        special = False
    with path.open("wb") if special else _replacing(path, durable=True) as stream:
        for line in lines:
            stream.write(line.encode("utf-8"))


@contextlib.contextmanager
def _replacing(path: Path, *, durable: bool) -> Iterator[BinaryIO]:
    """A temp file beside `path` to write, renamed over it once the block ends; removed,
    and `path` left as it was, if the block fails or is interrupted."""
    mode = path.stat().st_mode & 0o7777 if path.exists() else None
    handle, temp_name = _temporary_beside(path)
    try:
        with os.fdopen(handle, "wb") as stream:
            yield stream
            if durable:
                stream.flush()
                os.fsync(stream.fileno())
        os.chmod(temp_name, mode if mode is not None else _default_mode())
        os.replace(temp_name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp_name)
        raise


def create_exclusive(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Create a new file atomically; raise `FileExistsError` if it already exists.

    `durable=False` skips flushing the data to disk first, for many files committed right
    after (git holds them then): a thousand flushes take seconds.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = _temporary_beside(path)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            if durable:
                stream.flush()
                os.fsync(stream.fileno())
        os.chmod(temp_name, _default_mode())
        os.link(temp_name, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp_name)


def _temporary_beside(path: Path) -> tuple[int, str]:
    """A new temp file (descriptor, name) in `path`'s directory, named for `path` and this
    process: `.NAME.PID.RANDOM.tmp`, hidden, as `remove_stale_temporaries` recognises it."""
    return tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp")


_TEMPORARY = re.compile(r"\.(?P<name>.+)\.(?P<pid>[0-9]+)\.[a-z0-9_]{8}\.tmp")
"""`_temporary_beside`'s names; `tempfile` draws the random part from `[a-z0-9_]`."""


def remove_stale_temporaries(directories: Iterable[Path]) -> None:
    """Remove from `directories` the temp files a write of pmctl's left behind when its
    process was killed (SIGKILL, the OOM killer) between writing and renaming: a hidden,
    untracked file that kept `git status` dirty for good. Only files of pmctl's own naming
    whose process is gone are removed: another process's write in progress is left alone.
    """
    for directory in set(directories):
        try:
            names = os.listdir(directory)
        except OSError:  # not there (yet), or not readable: nothing of ours to clean
            continue
        for name in names:
            match = _TEMPORARY.fullmatch(name)
            if match and not _running(int(match["pid"])):
                with contextlib.suppress(OSError):
                    os.unlink(directory / name)


def _running(pid: int) -> bool:
    """True if a process `pid` exists (this one included), also one of another user's."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


def _default_mode() -> int:
    """0o666 less the process umask: what `open(path, "w")` would have given."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def outermost_missing(path: Path) -> Path | None:
    """The outermost directory on the way to `path` (itself included) that does not exist
    yet: the first that `mkdir -p path` creates, and the one to remove to undo it. None when
    `path` exists."""
    missing = None
    while not os.path.lexists(path) and path.parent != path:
        missing, path = path, path.parent
    return missing
