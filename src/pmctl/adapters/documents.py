"""Reading postmortem files: bytes -> text -> front matter -> model, with positions.

`read` never raises for a bad document: it returns what it could read plus `problems`, so
lint can report everything. `load` is for commands that need a valid postmortem and raises
a `DocumentError` pointing at `file:line` instead.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pmctl.adapters import yaml_engine
from pmctl.domain import frontmatter, merge_conflicts
from pmctl.domain.document import ParsedDocument, Problem
from pmctl.domain.visible_text import visible
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
        from pmctl.domain.encodings import conversion_hint

        line = raw[: error.start].count(b"\n") + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        problems.append(
            Problem(
                "encoding",
                f"byte 0x{raw[error.start]:02x} is not valid UTF-8",
                conversion_hint(raw),
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

    problems.extend(_merge_conflicts(text))
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


def _merge_conflicts(text: str) -> list[Problem]:
    """A problem for each merge conflict git left in the file (`<<<<<<< HEAD` ...), first
    among the problems: a conflict in the front matter also makes its YAML invalid, and the
    conflict is what to fix."""
    return [
        Problem(
            "merge-conflict",
            "unresolved merge conflict (a `<<<<<<<` / `>>>>>>>` line)",
            merge_conflicts.HINT,
            line,
        )
        for line in merge_conflicts.conflict_lines(text)
    ]


_LFS_POINTER = "version https://git-lfs.github.com/spec/"
"""How a Git LFS pointer file starts: what a checkout without LFS has in place of the file."""


def _front_matter_data(parts: frontmatter.Split, problems: list[Problem]) -> dict[str, Any] | None:
    """The front matter parsed as a mapping, or None with the reason added to `problems`."""
    if parts.front_matter is None and parts.body.startswith("---\r"):
        problems.append(
            Problem(
                "no-front-matter",
                "lines end in a lone carriage return (CR, as classic Mac OS wrote them), "
                "so no `---` line and no front matter is found",
                "save the file with LF (or CRLF) line endings, e.g. `tr '\\r' '\\n' < old.md > new.md`",
            )
        )
        return None
    if parts.front_matter is None and parts.body.startswith(_LFS_POINTER):
        problems.append(
            Problem(
                "no-front-matter",
                "a Git LFS pointer, not the postmortem: the checkout did not fetch the file "
                "from LFS",
                "run `git lfs pull` (in CI, check out with LFS, e.g. `lfs: true`); or keep "
                "postmortems out of LFS: they are text (`git lfs untrack`)",
            )
        )
        return None
    if parts.front_matter is None:
        problems.append(
            Problem(
                "no-front-matter",
                "no YAML front matter",
                "start the file with a `---` line, the metadata, and another `---`; a "
                "postmortem written before pmctl is converted by `pmctl import FILE`",
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
                frontmatter.yaml_hint(
                    parts.front_matter,
                    problem.line,
                    problem.message,
                    first_line=parts.front_matter_line,
                ),
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
        from pmctl.domain.lint.schema_rules import value_hint

        raise DocumentError(
            f"{where}: {first['msg']}",
            hint=value_hint(first)
            or "run `pmctl lint` on the file for every problem and how to fix it",
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
