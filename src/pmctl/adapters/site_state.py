"""What the last `pmctl site build` into a directory wrote, for the next build to skip.

Kept outside the output (nothing of it is published), beside lint's cache:
`<git-dir>/pmctl/site-<hash of the output path>/`, as `marshal` dumps (plain data, the
fastest to load). `main` holds, per postmortem, its stat, content hash and page fingerprint;
`segment-N` holds the search tokens (one string a document, a token a line) of the documents
in search segment N, so a rebuild loads only the segments it changes. A missing, stale or
corrupt state is an empty one: the build is then a cold one, never a wrong one.

A build running leaves `building.<stage>` here (its stage is its process id) until it has
published or discarded what it staged. One left behind names a build that was killed
before it could clean up (SIGKILL, or Ctrl-C while a child still wrote a page): the next
build removes what it staged once that process has ended (`abandoned`).
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pmctl.adapters.cache import cache_path
from pmctl.adapters.files import write_atomic
from pmctl.adapters.processes import running

FORMAT = 6
"""Bumped when what a build keeps changes, so that an old state is not reused (3: search
tokens without HTML comments; 4: numbered and emphasised headings open their sections; 5: so
do setext headings, and a number is no date or moment; 6: headings have ids, images are
copied, a search entry's status is in the site's words)."""
BUILDING = "building."


def state_dir(root: Path, out: Path) -> Path:
    name = hashlib.sha256(os.fsencode(out.resolve())).hexdigest()[:16]  # (a path of any bytes)
    return cache_path(root, f"site-{name}")


def load(directory: Path, name: str, header: Any) -> dict[str, Any]:
    """The mapping stored as `name` with this `header`; empty when missing or stale."""
    try:
        stored = marshal.loads((directory / name).read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    if (
        isinstance(stored, tuple)
        and len(stored) == 3
        and stored[0] == FORMAT
        and stored[1] == header
        and isinstance(stored[2], dict)
    ):
        return stored[2]
    return {}


def save(directory: Path, name: str, header: Any, data: dict[str, Any], *, stage: str = "") -> None:
    """Store `data` as `name` (with `stage`: staged, until `publish(directory, stage)`); a
    state that cannot be written only costs a cold build."""
    staged = f"{name}.{stage}.staged" if stage else name
    with contextlib.suppress(OSError, ValueError):
        directory.mkdir(parents=True, exist_ok=True)
        write_atomic(directory / staged, marshal.dumps((FORMAT, header, data)), durable=False)


def publish(directory: Path, stage: str) -> None:
    """Put every state staged as `stage` in place (the site files it describes are)."""
    _each_staged(directory, stage, lambda path, name: path.replace(directory / name))


def discard(directory: Path, stage: str) -> None:
    """Drop every state staged as `stage` (its build failed: the site is as it was)."""
    _each_staged(directory, stage, lambda path, _: path.unlink())


def _each_staged(directory: Path, stage: str, do: Callable[[Path, str], object]) -> None:
    suffix = f".{stage}.staged"
    with contextlib.suppress(OSError):
        for path in directory.iterdir():
            if path.name.endswith(suffix):
                with contextlib.suppress(OSError):
                    do(path, path.name.removesuffix(suffix))


def begin(directory: Path, stage: str) -> None:
    """Say that the build `stage` runs, until `end`; a state directory that cannot be
    written only means its leftovers, if it is killed, are not removed for it."""
    with contextlib.suppress(OSError):
        directory.mkdir(parents=True, exist_ok=True)
        (directory / f"{BUILDING}{stage}").touch()


def end(directory: Path, stage: str) -> None:
    with contextlib.suppress(OSError):
        (directory / f"{BUILDING}{stage}").unlink()


def abandoned(directory: Path) -> list[str]:
    """The stages of builds that began here and whose process is no longer running."""
    try:
        names = os.listdir(directory)
    except OSError:
        return []
    stages = [name.removeprefix(BUILDING) for name in names if name.startswith(BUILDING)]
    return sorted(stage for stage in stages if not running(stage))


def clear(directory: Path) -> None:
    shutil.rmtree(directory, ignore_errors=True)
