"""pmctl's caches of per-file work: a value per file, reused while the file's stat is unchanged.

Each cache is its own file: `lint-cache` (each file's findings, see `services/lint.py`),
`record-cache` (each valid postmortem's record, what `report`, `stats`, `index` and `list`
read, see `services/corpus.py` and `domain/record.py`) and `model-cache` (each file's parsed
front matter, for the commands that need the whole model). They live in `<git-dir>/pmctl/` (found by reading `.git` directly,
without starting git), or under `$XDG_CACHE_HOME/pmctl/` when the project is not in a git
repository. A file is a `marshal` dump of plain data, the fastest load there is; a corrupt
or foreign file is simply ignored.

Safety: a cache is dropped as a whole when its `header` changes (the pmctl version, and
for lint the settings and the date). An entry is used only while the file's
(mtime_ns, ctime_ns, size, inode) are the same, and files whose mtime is within two seconds
of the moment the cache is written are not cached at all, because a write within the file
system's timestamp granularity could otherwise go unnoticed (git's "racy clean" problem).
That moment is read from the file system's clock, as git does, not from the process's: the
two differ on network file systems and under `faketime`.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from pmctl.adapters.git_dir import find_git_dir

FORMAT = 6
"""Bumped when what is cached would differ for the same file and settings, so that old
entries are not reused (3: numbered and emphasised headings open their sections, and lint's
findings changed for blaming words in technical phrases; 4: a number is no date or moment,
and setext headings open their sections; 5: a merge conflict left in a file makes it
invalid, PM016; 6: a trigger copied from the root causes is found, PM105)."""
RACY_SECONDS = 2.0

V = TypeVar("V")

Stat = tuple[int, int, int, int]
"""(mtime_ns, ctime_ns, size, inode) of a file."""

Entry = tuple[Stat, V]
"""A file's cached value and the stat of the file it was computed from."""


def stat_key(result: os.stat_result) -> Stat:
    return (result.st_mtime_ns, result.st_ctime_ns, result.st_size, result.st_ino)


@dataclass(slots=True)
class Cache(Generic[V]):
    """Entries by key (a path); the values are plain data that `marshal` can store."""

    path: Path
    header: tuple[Any, ...]
    entries: dict[str, Entry[V]] = field(default_factory=dict)
    changed: bool = False

    def get(self, key: str, stat: Stat) -> V | None:
        """The value cached for `key` if it was computed from a file with this `stat`."""
        entry = self.entries.get(key)
        if entry is None or entry[0] != stat:
            return None
        return entry[1]

    def put(self, key: str, stat: Stat, value: V) -> None:
        self.entries[key] = (stat, value)
        self.changed = True

    def retain(self, keys: set[str]) -> None:
        """Forget files that no longer exist, so the cache does not grow forever."""
        stale = [key for key in self.entries if key not in keys]
        for key in stale:
            del self.entries[key]
        self.changed = self.changed or bool(stale)

    def save(self) -> None:
        """Write the cache atomically if it changed; a cache that cannot be written is not
        an error."""
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


def open_cache(root: Path, name: str, header: tuple[Any, ...]) -> Cache[Any]:
    """The cache `name` of the project at `root` if it was written with this `header`;
    else an empty one, which replaces the file on save."""
    path = cache_path(root, name)
    try:
        loaded = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return Cache(path, header)
    if (
        isinstance(loaded, tuple)
        and len(loaded) == 3
        and loaded[0] == FORMAT
        and loaded[1] == header
        and isinstance(loaded[2], dict)
    ):
        return Cache(path, header, loaded[2])
    return Cache(path, header, changed=True)


def cache_path(root: Path, name: str) -> Path:
    """`<git-dir>/pmctl/<name>`, or a per-project file in the user's cache directory."""
    git_dir = find_git_dir(root)
    if git_dir is not None:
        return git_dir / "pmctl" / name
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    project = hashlib.sha256(os.fsencode(root.resolve())).hexdigest()[:16]  # (any bytes)
    return Path(base) / "pmctl" / f"{name}-{project}"
