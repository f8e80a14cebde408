"""The lint cache: per-file results, reused while a file's stat and the settings are unchanged.

Stored outside the tracked tree, in `<git-dir>/pmctl/lint-cache` (found by reading `.git`
directly, without starting git), or under `$XDG_CACHE_HOME/pmctl/` when the project
is not in a git repository. The file is a `marshal` dump: plain tuples and strings load
fastest, and a corrupt or foreign file is simply ignored.

Safety: the whole cache is dropped when the pmctl version, the settings, or the date changes
(date-dependent rules: review deadlines, overdue items). An entry is used only while the
file's (mtime_ns, ctime_ns, size, inode) are the same, and files whose mtime is within two
seconds of the moment the cache is written are not cached at all, because a write within the
file system's timestamp granularity could otherwise go unnoticed (git's "racy clean"
problem). That moment is read from the file system's clock, as git does, not from the
process's: the two differ on network file systems and under `faketime`.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pmctl.adapters.git_dir import find_git_dir

FORMAT = 1
RACY_SECONDS = 2.0

Stat = tuple[int, int, int, int]
"""(mtime_ns, ctime_ns, size, inode) of a file."""


def stat_key(result: os.stat_result) -> Stat:
    return (result.st_mtime_ns, result.st_ctime_ns, result.st_size, result.st_ino)


@dataclass(slots=True)
class LintCache:
    """Entries by root-relative path: (stat, payload). `payload` is opaque to the cache."""

    path: Path
    header: tuple[Any, ...]
    entries: dict[str, tuple[Stat, Any]] = field(default_factory=dict)
    changed: bool = False

    def get(self, key: str, stat: Stat) -> Any:
        entry = self.entries.get(key)
        if entry is None or entry[0] != stat:
            return None
        return entry[1]

    def put(self, key: str, stat: Stat, payload: Any) -> None:
        self.entries[key] = (stat, payload)
        self.changed = True

    def retain(self, keys: set[str]) -> None:
        """Forget files that no longer exist, so the cache does not grow forever."""
        stale = [key for key in self.entries if key not in keys]
        for key in stale:
            del self.entries[key]
        self.changed = self.changed or bool(stale)

    def save(self) -> None:
        """Write the cache atomically; a cache that cannot be written is not an error."""
        if not self.changed:
            return
        from pmctl.adapters.files import write_atomic

        with contextlib.suppress(OSError, ValueError):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            cutoff = _file_system_now(self.path.parent) - int(RACY_SECONDS * 1e9)
            entries = {key: entry for key, entry in self.entries.items() if entry[0][0] < cutoff}
            # Not durable: a cache cut short by a crash fails to load and is rebuilt.
            data = marshal.dumps((FORMAT, self.header, entries))
            write_atomic(self.path, data, durable=False)


def _file_system_now(directory: Path) -> int:
    """The file system's clock, in ns: the mtime of a file created there just now."""
    with tempfile.TemporaryFile(dir=directory) as probe:
        return os.fstat(probe.fileno()).st_mtime_ns


def open_cache(root: Path, *, version: str, settings_json: str, day: str) -> LintCache:
    """The cache of the project at `root`; empty when missing, stale or unreadable."""
    digest = hashlib.sha256(settings_json.encode()).hexdigest()
    return load(cache_path(root), (version, digest, day))


def load(path: Path, header: tuple[Any, ...]) -> LintCache:
    """The cache stored at `path` if it was written with this `header`, else an empty one
    (that replaces the stale file on save)."""
    try:
        loaded = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return LintCache(path, header)
    if (
        isinstance(loaded, tuple)
        and len(loaded) == 3
        and loaded[0] == FORMAT
        and loaded[1] == header
        and isinstance(loaded[2], dict)
    ):
        return LintCache(path, header, loaded[2])
    return LintCache(path, header, changed=True)


def cache_path(root: Path) -> Path:
    """`<git-dir>/pmctl/lint-cache`, or a per-project file in the user's cache directory."""
    git_dir = find_git_dir(root)
    if git_dir is not None:
        return git_dir / "pmctl" / "lint-cache"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    name = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:16]
    return Path(base) / "pmctl" / f"lint-cache-{name}"
