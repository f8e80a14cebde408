"""Reading postmortem files: bytes -> text -> front matter -> model, with positions.

`read` never raises for a bad document: it returns what it could read plus `problems`, so
lint can report everything. `load` is for commands that need a valid postmortem and raises
a `DocumentError` pointing at `file:line` instead.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pmctl.adapters import yaml_engine
from pmctl.domain import frontmatter
from pmctl.domain.document import ParsedDocument, Problem
from pmctl.domain.visible_text import is_utf8, visible
from pmctl.errors import DocumentError

if TYPE_CHECKING:
    from pmctl.domain.model import Postmortem

MAX_BYTES = 1_000_000
"""Postmortems are a few KB; anything over 1 MB is refused unread (a 50 MB file, a binary)."""

BOM = b"\xef\xbb\xbf"


def read(path: Path) -> ParsedDocument:
    """Read and split a postmortem; problems are collected, never raised."""
    return read_with_stat(path)[0]


def read_with_stat(path: Path) -> tuple[ParsedDocument, os.stat_result | None]:
    """`read`, plus the stat of the file read (None if it could not be opened).

    The stat is taken from the open file before reading it, so it describes the content read
    or an older one, never a newer one: a cache keyed by it can only be too cautious.
    """
    try:
        # os-level calls: a quarter of the per-file cost of open() + read() in a cold lint.
        descriptor = os.open(path, os.O_RDONLY)
        try:
            stat = os.fstat(descriptor)
            if stat.st_size > MAX_BYTES:
                return _too_large(path, stat.st_size), stat
            raw = _read_all(descriptor, stat.st_size)
        finally:
            os.close(descriptor)
    except OSError as error:
        return ParsedDocument(
            path,
            problems=(
                Problem(
                    "unreadable", error.strerror or str(error), "check the path and its permissions"
                ),
            ),
        ), None
    return parse_bytes(path, raw), stat


def read_text_and_body(path: Path) -> tuple[str, str]:
    """The text of a postmortem (`\\n` newlines, no BOM) and its body, without parsing its
    front matter: for a page rendered from a model already loaded and validated. A file that
    cannot be read now, or is too large, gives empty strings (its model is what is shown).
    """
    try:
        descriptor = os.open(path, os.O_RDONLY)
        try:
            size = os.fstat(descriptor).st_size
            raw = b"" if size > MAX_BYTES else _read_all(descriptor, size)
        finally:
            os.close(descriptor)
        text = raw.removeprefix(BOM).decode("utf-8").replace("\r\n", "\n")
    except (OSError, UnicodeDecodeError):
        return "", ""
    return text, frontmatter.split(text).body


def _read_all(descriptor: int, size: int) -> bytes:
    """The content of the open file `descriptor`, whose size was `size` (more if it grew),
    up to the first byte over `MAX_BYTES`: what is longer is refused unparsed, and a device
    that never ends (`pmctl lint /dev/zero`) was read until memory ran out."""
    raw = os.read(descriptor, size + 1)  # a short read is the end of a regular file
    if len(raw) <= size:
        return raw
    chunks = [raw]
    read = len(raw)
    while read <= MAX_BYTES and (chunk := os.read(descriptor, 1 << 16)):
        chunks.append(chunk)
        read += len(chunk)
    return b"".join(chunks)


def _too_large(path: Path, size: int) -> ParsedDocument:
    return ParsedDocument(
        path,
        problems=(
            Problem(
                "too-large",
                f"file is {size:,} bytes; postmortems are limited to {MAX_BYTES:,}",
                "move logs and dumps to a linked file; keep the postmortem prose",
            ),
        ),
    )


def parse_bytes(path: Path, raw: bytes) -> ParsedDocument:
    """Decode, split and parse `raw` as the content of `path`.

    Content over `MAX_BYTES` is refused unparsed, as `read` refuses such a file: a command
    that edits a postmortem accepts exactly what lint accepts, and never writes more.
    """
    if len(raw) > MAX_BYTES:
        return _too_large(path, len(raw))
    problems: list[Problem] = []
    bom = raw.startswith(BOM)
    if bom:
        raw = raw[len(BOM) :]
        problems.append(
            Problem(
                "bom",
                "file starts with a UTF-8 byte-order mark",
                "save the file as UTF-8 without BOM",
            )
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        problems.append(
            Problem(
                "encoding",
                f"byte 0x{raw[error.start]:02x} is not valid UTF-8",
                "save the file as UTF-8 (e.g. `iconv -f SHIFT_JIS -t UTF-8`)",
                line,
                column,
            )
        )
        return ParsedDocument(path, bom=bom, problems=tuple(problems))
    crlf = "\r\n" in text
    if crlf:
        text = text.replace("\r\n", "\n")
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        problems.append(
            Problem("encoding", "file contains NUL bytes", "this looks like a binary file", line)
        )
        return ParsedDocument(path, text=text, crlf=crlf, bom=bom, problems=tuple(problems))
    if not text or text.isspace():  # (strip() would copy the whole text)
        problems.append(
            Problem("empty", "file is empty", "run `pmctl new` to start from the template")
        )
        return ParsedDocument(path, text=text, crlf=crlf, bom=bom, problems=tuple(problems))

    parts = frontmatter.split(text)
    data = _front_matter_data(parts, problems)
    return ParsedDocument(
        path,
        text=text,
        crlf=crlf,
        bom=bom,
        front_matter=parts.front_matter,
        front_matter_line=parts.front_matter_line,
        body=parts.body,
        body_line=parts.body_line,
        data=data,
        problems=tuple(problems),
    )


def _front_matter_data(parts: frontmatter.Split, problems: list[Problem]) -> dict[str, Any] | None:
    """The front matter parsed as a mapping, or None with the reason added to `problems`."""
    if parts.front_matter is None:
        problems.append(
            Problem(
                "no-front-matter",
                "no YAML front matter",
                "start the file with a `---` line, the metadata, and another `---`",
            )
        )
        return None
    if not parts.closed:
        problems.append(
            Problem(
                "unclosed-front-matter",
                "front matter is not closed",
                "add a `---` line after the metadata",
                1,
            )
        )
        return None
    try:
        data = yaml_engine.parse(parts.front_matter)
    except yaml_engine.YamlProblem as problem:
        problems.append(
            Problem(
                "yaml",
                f"invalid YAML: {problem.message}",
                "fix the YAML syntax; quote values that contain `:` or `#`",
                parts.front_matter_line + problem.line - 1,
                problem.column,
            )
        )
        return None
    if not isinstance(data, dict):
        kind = "empty" if data is None else ("a list" if isinstance(data, list) else "a scalar")
        problems.append(
            Problem(
                "front-matter-not-mapping",
                f"front matter is {kind}, not a mapping of keys",
                "write the metadata as `key: value` lines",
                parts.front_matter_line,
            )
        )
        return None
    return data


def load(path: Path) -> tuple[ParsedDocument, Postmortem]:
    """Read a postmortem that a command will act on; raise `DocumentError` if it is not valid."""
    return validated(read(path))


def load_text(path: Path, text: str) -> tuple[ParsedDocument, Postmortem]:
    """Like `load`, for text not (yet) on disk, e.g. a freshly rendered template."""
    return validated(parse_bytes(path, text.encode("utf-8")))


def validated(document: ParsedDocument) -> tuple[ParsedDocument, Postmortem]:
    """The document and its model; `DocumentError` at `file:line` of the first problem."""
    from pydantic import ValidationError

    from pmctl.domain.model import Postmortem

    path = document.path
    data = data_to_validate(document)
    if data is None:
        blocking = [p for p in document.problems if p.code != "bom"]
        problem = (blocking or list(document.problems))[0]
        raise DocumentError(problem.message, hint=problem.hint, location=f"{path}:{problem.line}")
    try:
        return document, Postmortem.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = visible(".".join(str(part) for part in first["loc"]))  # keys are the author's
        raise DocumentError(
            f"{where}: {first['msg']}",
            hint="run `pmctl lint` on the file for every problem and how to fix it",
            location=f"{path}:{document.line_of(tuple(first['loc']))}",
        ) from None


def data_to_validate(document: ParsedDocument) -> dict[str, Any] | None:
    """The front matter `validated` checks against the model; None if a problem of the
    file itself (encoding, YAML, no front matter...) stops it before that. A BOM does not."""
    data: dict[str, Any] | None = document.data  # (the reader makes it a mapping or None)
    if data is None or any(p.code != "bom" for p in document.problems):
        return None
    return data


def create_new(path: Path, text: str) -> None:
    """Write a new document; `UsageError` if the file already exists."""
    from pmctl.adapters.files import create_exclusive
    from pmctl.errors import UsageError

    try:
        create_exclusive(path, text.encode("utf-8"))
    except FileExistsError:
        raise UsageError(
            f"{path} already exists", hint="pass --slug to choose another id"
        ) from None


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
    """`*.md` files that are links leading out of `within`, each with where it leads (itself
    for a loop of links)."""
    not_utf8: list[Path]
    """`*.md` files whose path below the directory is not valid UTF-8: no id can match such
    a name, and no index, page or report can hold it as it is."""


def survey(directory: Path, *, within: Path | None = None) -> Survey:
    """Walk `directory` once (hidden entries skipped, linked directories not walked into,
    as `os.walk` does not) and sort what is in it: see `Survey`."""
    found: list[Path] = []
    strays: list[Path] = []
    out: list[tuple[Path, Path]] = []
    not_utf8: list[Path] = []
    boundary: Path | None = None
    top = str(directory)
    for base, entries in _listings(top):
        folder = Path(base)
        below_utf8 = is_utf8(base[len(top) :])
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
            found.append(path)
    # Sorting by the parts tuple gives the same order as comparing Paths, ten times faster.
    return Survey(
        sorted(found, key=_parts),
        sorted(strays, key=_parts),
        sorted(out, key=lambda link: link[0].parts),
        sorted(not_utf8, key=_parts),
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
    for base, entries in _listings(str(directory)):
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
            found.append((prefix + entry.name, entry))
    found.sort()  # by key: keys are unique, so the entries are never compared
    return found


def _listings(directory: str) -> Iterator[tuple[str, list[os.DirEntry[str]]]]:
    """Each directory under `directory` (itself included) with its entries that are not
    directories; hidden entries skipped, linked directories not walked into."""
    pending = [directory]
    while pending:
        base = pending.pop()
        try:
            with os.scandir(base) as listing:
                entries = [entry for entry in listing if not entry.name.startswith(".")]
        except OSError:  # a directory that cannot be listed holds nothing to read
            continue
        files = []
        for entry in entries:
            if not _is_dir(entry):
                files.append(entry)
            elif not entry.is_symlink():
                pending.append(entry.path)
        yield base, files


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
        raise NotFoundError(
            f"no postmortem with id {postmortem_id!r} in {directory}",
            hint="`pmctl list` shows every postmortem and its id",
        )
    return inside(directory, path)


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
