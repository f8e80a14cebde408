"""Finding postmortem files: one walk of the postmortem directory, an id to its file, and
the boundary of the repository that no link may lead out of.

File names are ids (`2025-03-14-checkout-latency.md`); hidden entries are skipped everywhere,
and a file that is a symbolic link leading out of the directory is never read or written.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pmctl.adapters.documents import BOM
from pmctl.domain.visible_text import is_utf8, visible
from pmctl.errors import DocumentError


def discover(directory: Path, *, within: Path | None = None) -> list[Path]:
    """Every postmortem file (`*.md`) under `directory`, sorted; hidden entries skipped, and
    files that are symbolic links leading out of `within` (default: `directory`) left out
    unread: a read-only command would otherwise show, or a site publish, a file from
    elsewhere on the machine. Names that are not UTF-8 are left out too (`Survey.not_utf8`).
    Lint reports both (`survey`)."""
    return survey(directory, within=within).postmortems


ATTACHMENTS = frozenset(
    {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".pdf", ".csv", ".json", ".log", ".har"}
)
"""Files that sit beside postmortems as their attachments (screenshots, graphs, exports)."""


@dataclass(frozen=True, slots=True)
class Survey:
    """What one walk of a directory found, each list sorted."""

    postmortems: list[Path]
    """What `discover` returns."""
    strays: list[Path]
    """Files that are neither postmortems (`*.md`) nor attachments: what lint would
    otherwise never read (`x.markdown`, `x.MD`, `notes`)."""
    links_out: list[tuple[Path, Path]]
    """`*.md` files, and directories, that are links leading out of `within`, each with
    where it leads (itself for a loop of links). A linked year directory is not walked
    into: its postmortems were left out of every command without a word."""
    not_utf8: list[Path]
    """`*.md` files whose path below the directory is not valid UTF-8: no id can match such
    a name, and no index, page or report can hold it as it is."""
    not_files: list[Path]
    """`*.md` entries that are not regular files (a named pipe, a socket, a device), or links
    to one: opening a named pipe waits for a writer for ever, and every command hung."""


def survey(directory: Path, *, within: Path | None = None) -> Survey:
    """Walk `directory` once (hidden entries skipped, linked directories not walked into,
    as `os.walk` does not) and sort what is in it: see `Survey`."""
    found: list[Path] = []
    strays: list[Path] = []
    out: list[tuple[Path, Path]] = []
    not_utf8: list[Path] = []
    not_files: list[Path] = []
    boundary: Path | None = None
    top = str(directory)
    for base, entries, linked in _listings(top):
        folder = Path(base)
        below_utf8 = is_utf8(base[len(top) :])
        for entry in linked:
            boundary = boundary or (within or directory).resolve()
            target = _target(entry.path)
            if target is None or not target.is_relative_to(boundary):
                out.append((folder / entry.name, target or folder / entry.name))
        for entry in entries:
            path = folder / entry.name
            if not entry.name.endswith(".md"):
                if os.path.splitext(entry.name)[1].lower() not in ATTACHMENTS:
                    strays.append(path)
                continue
            if not (below_utf8 and is_utf8(entry.name)):
                not_utf8.append(path)
                continue
            if entry.is_symlink():  # (free: the directory listing says so, no stat)
                boundary = boundary or (within or directory).resolve()
                target = _target(path)
                if target is None or not target.is_relative_to(boundary):
                    out.append((path, target or path))
                    continue
            if not _regular(entry):
                not_files.append(path)
                continue
            found.append(path)
    # Sorting by the parts tuple gives the same order as comparing Paths, ten times faster.
    return Survey(
        sorted(found, key=_parts),
        sorted(strays, key=_parts),
        sorted(out, key=lambda link: link[0].parts),
        sorted(not_utf8, key=_parts),
        sorted(not_files, key=_parts),
    )


def _parts(path: Path) -> tuple[str, ...]:
    return path.parts


def _target(path: str | Path) -> Path | None:
    """Where the link `path` leads; None for a loop of links."""
    try:
        return Path(path).resolve()
    except (OSError, RuntimeError):
        return None


def postmortem_files(directory: Path, root: Path) -> list[tuple[str, os.DirEntry[str]]]:
    """The files `discover` finds, each as its key (its path from `root`, with `/`) and its
    directory entry (which holds its stat once asked), sorted by key.

    Strings and directory entries, not `Path`s: a search of an up-to-date index of 10,000
    files spent 0.22 s building, relating and stat()ing Paths (`discover`, `relative_key`,
    `os.stat`), against 0.05 s this way."""
    found: list[tuple[str, os.DirEntry[str]]] = []
    boundary: Path | None = None
    for base, entries, _ in _listings(str(directory)):
        prefix = os.path.relpath(base, root).replace(os.sep, "/")
        prefix = "" if prefix == "." else prefix + "/"
        for entry in entries:
            if not entry.name.endswith(".md") or not is_utf8(prefix + entry.name):
                continue  # (a name that is not UTF-8: lint reports it, `survey`)
            if entry.is_symlink():  # (free: the directory listing says so, no stat)
                boundary = boundary or directory.resolve()
                target = _target(entry.path)
                if target is None or not target.is_relative_to(boundary):
                    continue
            if not _regular(entry):
                continue  # (a named pipe: lint reports it, `survey`)
            found.append((prefix + entry.name, entry))
    found.sort()  # by key: keys are unique, so the entries are never compared
    return found


def files_beside(directory: Path, suffixes: frozenset[str]) -> list[tuple[str, os.DirEntry[str]]]:
    """The regular files under `directory` whose suffix (in lower case) is one of
    `suffixes`, each as its key (its path from `directory`, with `/`) and its directory
    entry, sorted by key; hidden entries and symbolic links left out (a site publishing
    them would publish the file a link leads to, from anywhere on the machine)."""
    found: list[tuple[str, os.DirEntry[str]]] = []
    for base, entries, _ in _listings(str(directory)):
        prefix = os.path.relpath(base, directory).replace(os.sep, "/")
        prefix = "" if prefix == "." else prefix + "/"
        for entry in entries:
            if os.path.splitext(entry.name)[1].lower() not in suffixes:
                continue
            if is_utf8(prefix + entry.name) and not entry.is_symlink() and entry.is_file():
                found.append((prefix + entry.name, entry))
    found.sort()
    return found


def _listings(
    directory: str,
) -> Iterator[tuple[str, list[os.DirEntry[str]], list[os.DirEntry[str]]]]:
    """Each directory under `directory` (itself included) with its entries that are not
    directories, and its links to directories, which are not walked into; hidden entries
    skipped."""
    pending = [directory]
    while pending:
        base = pending.pop()
        try:
            with os.scandir(base) as listing:
                entries = [entry for entry in listing if not entry.name.startswith(".")]
        except OSError:  # a directory that cannot be listed holds nothing to read
            continue
        files = []
        linked = []
        for entry in entries:
            if not _is_dir(entry):
                files.append(entry)
            elif entry.is_symlink():
                linked.append(entry)
            else:
                pending.append(entry.path)
        yield base, files, linked


def _regular(entry: os.DirEntry[str]) -> bool:
    """Whether `entry` is a regular file, or a link to one, or a link leading nowhere (which
    is reported as unreadable when read). For an entry that is not a link the listing says
    so: no stat."""
    try:
        return entry.is_file() or (entry.is_symlink() and not os.path.exists(entry.path))
    except OSError:
        return True  # (read, and reported as unreadable)


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:  # a loop of links (`loop.md -> loop.md`): a file that cannot be read
        return False


def find_by_id(directory: Path, postmortem_id: str) -> Path:
    """The one file of postmortem `postmortem_id` under `directory` (file names are ids).

    `NotFoundError` if there is none; `DocumentError` naming every file when more than one
    has that name (pmctl will not pick one), or when the file is a symbolic link leading out
    of `directory` (pmctl writes only inside the repository). Hidden directories are skipped,
    as `discover` skips them.
    """
    from pmctl.errors import NotFoundError

    postmortem_id = id_of_argument(directory, postmortem_id)
    name = f"{postmortem_id}.md"
    matches = paths_named(directory, name)
    if len(matches) > 1:
        listed = ", ".join(visible(str(path)) for path in matches)
        raise DocumentError(
            f"{len(matches)} files have the id {postmortem_id!r}: {listed}",
            hint="keep one: rename or remove the others (`pmctl lint` reports them as PM701)",
        )
    # A year directory that is a symbolic link is not walked into: try its place directly
    # (for a name that cannot be a path of its own).
    direct = directory / postmortem_id[:4] / name
    path = matches[0] if matches else direct
    plain = not any(char in name for char in (os.sep, "\0")) and not name.startswith(".")
    # os.path.exists, not Path.exists: a name longer than a file name may be (ENAMETOOLONG)
    # is simply no file, where Path.exists raises on Python 3.11.
    if not matches and not (plain and os.path.exists(direct)):
        misnamed = _file_holding_id(directory, postmortem_id)
        if misnamed is not None:  # `pmctl list` shows its id: pointing there would go round
            raise NotFoundError(
                f"no file {visible(name)} in {directory}: the postmortem with id "
                f"{visible(postmortem_id)!r} is {visible(str(misnamed))}",
                hint=f"rename it to {visible(name)}: file names are ids "
                "(`pmctl lint` reports the mismatch)",
            )
        close = _closest_id(directory, postmortem_id)
        raise NotFoundError(
            f"no postmortem with id {visible(postmortem_id)!r} in {directory}",
            hint=(f"did you mean {visible(close)}? " if close else "")
            + "`pmctl list` shows every postmortem and its id",
        )
    found = inside(directory, path)
    if os.path.exists(found) and not os.path.isfile(found):  # (opening a pipe would wait)
        raise DocumentError(
            f"{visible(found.name)} is {kind_of(found)}",
            hint="remove it, or put the postmortem file itself in its place",
            location=str(found),
        )
    return found


def kind_of(path: Path) -> str:
    """What `path`, which exists and is no regular file, is: the end of "X is ..."."""
    if os.path.isdir(path):
        return "a directory, not a postmortem file"
    return "not a regular file (a named pipe, a socket or a device)"


def id_of_argument(directory: Path, argument: str) -> str:
    """The id an argument names, as people give one: pasted with blanks around it, or as
    the file's name or path (`postmortems/2026/<id>.md`, which a shell completes), that must
    then be the file of that id under `directory`."""
    from pmctl.errors import NotFoundError

    argument = argument.strip()
    if not argument.endswith(".md"):
        return argument
    postmortem_id = os.path.basename(argument)[: -len(".md")]
    if os.sep in argument or "/" in argument:
        given = Path(argument).resolve()
        if not given.is_relative_to(directory.resolve()):
            raise NotFoundError(
                f"{visible(argument)} is not a file in {directory}",
                hint="give a postmortem's id, or the path of its file in the postmortem "
                "directory (`pmctl list` shows every postmortem and its id)",
            )
    return postmortem_id


def _file_holding_id(directory: Path, postmortem_id: str) -> Path | None:
    """The first file under `directory` whose front matter gives `postmortem_id` as its id
    (a copied postmortem whose id was changed, not its name); asked only when no file has
    that name, from the first 4 KB of each file."""
    import re

    if not postmortem_id or "\n" in postmortem_id or "\r" in postmortem_id:
        return None
    line = re.compile(
        rb"(?m)^id:[ \t]*([\"']?)" + re.escape(postmortem_id.encode()) + rb"\1[ \t]*\r?$"
    )
    for path in discover(directory):
        try:
            with path.open("rb") as file:
                head = file.read(4096)
        except OSError:
            continue
        end = head.find(b"\n---", 3)
        if head.lstrip(BOM).startswith(b"---") and line.search(
            head, 0, end if end > 0 else len(head)
        ):
            return path
    return None


def _closest_id(directory: Path, postmortem_id: str) -> str | None:
    """The id of a file under `directory` that `postmortem_id` nearly names (in another case,
    or mistyped), for the hint of an id not found."""
    import difflib

    ids = {path.stem.lower(): path.stem for path in discover(directory)}
    close = difflib.get_close_matches(postmortem_id.lower(), ids, n=1, cutoff=0.85)
    return ids[close[0]] if close else None


def paths_named(directory: Path, name: str) -> list[Path]:
    """Every file called `name` under `directory`, sorted; hidden directories skipped.

    Compares names only, without making a `Path` of every file: a tenth of `discover`'s
    time in a repository of 10,000 postmortems, where every status change asks.
    """
    found: list[Path] = []
    for current, subdirectories, files in os.walk(directory):
        subdirectories[:] = [d for d in subdirectories if not d.startswith(".")]
        if name in files:
            found.append(Path(current, name))
    return sorted(found, key=lambda path: path.parts)


def inside(directory: Path, path: Path) -> Path:
    """`path`, if it (symbolic links followed) is inside `directory`; else `DocumentError`.

    A postmortem, or the directory it is in, may be a link; one that leads out of the
    directory would have pmctl read and write a file elsewhere on the machine.
    """
    resolved = path.resolve()
    if resolved.is_relative_to(directory.resolve()):
        return path
    raise DocumentError(
        f"leads to {visible(str(resolved))}, outside {directory}, through a symbolic link",
        hint="pmctl reads and writes only inside the repository: replace the link with the "
        "file or directory itself",
        location=str(path),
    )
