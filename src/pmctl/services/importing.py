"""`pmctl import`: adopt postmortems written before pmctl, keeping every word of them.

Each source file is read as a legacy document (headings only, or front matter of another
schema mapped by the mapping), its structure recovered by `domain.legacy`, and written as a
pmctl postmortem: new front matter, then the source itself, whole. A dry run plans and
reports; a real import writes every planned file and commits them in one commit, or writes
nothing at all. A file imported before (same source and path in an `origin`) is skipped, so
running the import again imports nothing twice.
"""

from __future__ import annotations

import codecs
import datetime as dt
import os
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pmctl.adapters import discovery, documents
from pmctl.adapters.transliterate import romanize
from pmctl.domain import commits, encodings, ids
from pmctl.domain.commits import Commit
from pmctl.domain.enums import ImportShape
from pmctl.domain.importing import ImportResult, Planned, Refused, Skipped
from pmctl.domain.legacy import assemble, mapping, reading
from pmctl.domain.legacy.front import FrontMatterError
from pmctl.domain.model import Status
from pmctl.domain.sections import section_names
from pmctl.domain.visible_text import bytes_shown, folded, is_utf8
from pmctl.errors import DocumentError, GitError, UsageError
from pmctl.services.mutate import exclusive, write_and_commit

if TYPE_CHECKING:
    from pmctl.adapters.foreign_frontmatter import ForeignFrontMatter
    from pmctl.domain.config import FieldMap, Settings
    from pmctl.domain.project import Project

TEXT_SUFFIXES = frozenset(
    {"", ".md", ".markdown", ".mdown", ".mkd", ".mkdn", ".mdx", ".txt", ".text"}
)
"""Files read as possible postmortems; anything else (images, HTML, code) is skipped."""
NOT_POSTMORTEMS = frozenset(
    {
        "readme", "license", "licence", "copying", "notice", "contributing", "changelog",
        "code_of_conduct", "security", "codeowners", "summary", "_index",
    }
)  # fmt: skip
"""File names (without suffix, any case) of a repository's own documents. (`_index.md` is a
Hugo section's list page; an `index.md` may be a postmortem: see `_stem`.)"""


@dataclass(frozen=True, slots=True, kw_only=True)
class ImportRequest:
    """What `pmctl import` was asked for. `owner` and `severity` are given to documents that
    name none; `status` (else the mapped one, else draft) to every document."""

    sources: tuple[Path, ...]
    map_file: Path | None = None
    owner: str | None = None
    severity: str | None = None
    status: Status | None = None
    shape: ImportShape = ImportShape.AUTO
    dry_run: bool = False


@dataclass(frozen=True, slots=True)
class _Source:
    """A source as given, and where its files' paths are taken from."""

    given: Path
    base: Path
    label: str
    remote: str | None
    commit: str | None
    changed: frozenset[str]

    def relative(self, path: Path) -> str:
        return path.relative_to(self.base).as_posix()


def import_postmortems(project: Project, request: ImportRequest, *, today: dt.date) -> ImportResult:
    """Plan the import of `request.sources` and, unless it is a dry run or a file is
    refused, write and commit every planned postmortem in one commit.

    `UsageError` for a source that does not exist or a flag value pmctl does not know;
    `ConfigError` for a mapping file that is not valid. A refused file writes nothing.
    """
    from pmctl.adapters.config_file import read_import_map

    settings = project.settings
    severity = _check_flags(request, settings)
    rules = mapping.rules(
        mapping.DEFAULT_MAP,
        settings.import_.map,
        read_import_map(request.map_file) if request.map_file else {},
    )
    sources = [_source(path) for path in request.sources]
    before = _imported_before(project)
    drafts: list[assemble.Draft] = []
    skipped: list[Skipped] = []
    refused: list[Refused] = []
    seen: set[Path] = set()
    given = assemble.Given(
        owner=folded(request.owner) if request.owner is not None else None,  # as `new` does
        severity=severity,
        status=request.status,
        severities=tuple(settings.severities),
        today=today,
    )
    context = _Context(project, request, rules, given)
    for source in sources:
        paths, unlisted = _files(source.given)
        refused.extend(
            Refused(
                _shown(directory),
                f"cannot be read: {error.strerror or error}",
                "make the directory readable, or move it out of the directory imported",
            )
            for directory, error in unlisted
        )
        for path in paths:
            if path in seen:
                continue
            seen.add(path)
            outcome = _plan(context, source, path, before)
            if isinstance(outcome, Skipped):
                skipped.append(outcome)
            elif isinstance(outcome, Refused):
                refused.append(outcome)
            else:
                drafts.append(outcome)
    plans = _finish(context, drafts, refused)
    if request.dry_run:
        plans = [_with_findings(plan, settings, today, project.root) for plan in plans]
    result = ImportResult(tuple(plans), tuple(skipped), tuple(refused), request.dry_run)
    if request.dry_run or refused or not plans:
        return result
    return replace(result, commit=_write_and_commit(project, plans, sources))


@dataclass(frozen=True, slots=True)
class _Context:
    project: Project
    request: ImportRequest
    rules: dict[str, FieldMap]
    given: assemble.Given


def _check_flags(request: ImportRequest, settings: Settings) -> str | None:
    """`UsageError` for a flag pmctl cannot take; the severity `--severity` names, if given
    (`sev2` as people type it is `SEV2`)."""
    severity = None if request.severity is None else settings.severity_named(request.severity)
    if request.severity is not None and severity is None:
        raise UsageError(
            f"unknown severity {request.severity!r}",
            hint=f"pass --severity with one of: {', '.join(settings.severities)}",
        )
    if request.owner is not None and not request.owner.strip():
        raise UsageError("--owner is empty", hint="pass --owner with a name")
    if not request.sources:
        raise UsageError("nothing to import", hint="name the files or directories to import")
    return severity


def _source(path: Path) -> _Source:
    from pmctl.adapters.git import Repository

    # os.path: a name too long to be a file's (ENAMETOOLONG) does not exist, where
    # Path.exists raises on Python 3.11.
    if not os.path.exists(path):
        raise UsageError(f"{path} does not exist", hint="name a file or directory to import")
    given = path.resolve()
    directory = given if given.is_dir() else given.parent
    try:
        repository = Repository.open(directory)
    except GitError:
        return _Source(given, directory, str(directory), None, None, frozenset())
    snapshot = repository.snapshot()
    return _Source(
        given,
        repository.root,
        snapshot.remote or str(repository.root),
        snapshot.remote,
        snapshot.head,
        snapshot.changed,
    )


def _files(path: Path) -> tuple[list[Path], list[tuple[Path, OSError]]]:
    """`path` itself, or every file under it but hidden ones (`.git`), in path order; and
    each directory under it that could not be listed, with why (its files were passed over
    without a word). A named pipe or device named is itself, to be skipped saying so, not a
    directory; so is a symbolic link to a directory found under it, which is not followed."""
    if not path.is_dir():
        return [path], []
    found: list[Path] = []
    unlisted: list[tuple[Path, OSError]] = []

    def not_listed(error: OSError) -> None:
        unlisted.append((Path(error.filename), error))

    for current, subdirectories, names in os.walk(path, onerror=not_listed):
        shown = [d for d in subdirectories if not d.startswith(".")]
        links = {d for d in shown if os.path.islink(os.path.join(current, d))}
        subdirectories[:] = sorted(d for d in shown if d not in links)
        found.extend(Path(current) / name for name in [*names, *links] if not name.startswith("."))
    return sorted(found, key=lambda item: item.parts), unlisted


def _imported_before(project: Project) -> dict[tuple[str, str], str]:
    """(origin source, origin path) -> the id of every postmortem imported before, as the
    reason to skip its source says it; and, for a source that is a directory, ("", the
    file's absolute path) -> the same: a directory that is no git repository is the base of
    its files' paths, so importing it, then a directory or a file in it, gave the same file
    another origin and imported it twice."""
    from pmctl.services.corpus import load_all

    corpus = load_all(project.postmortem_dir, root=project.root)
    imported = [
        (path, model.id, model.origin)
        for path, model in corpus.postmortems
        if model.origin is not None
    ]
    committed = _committed(project) if imported else None
    before: dict[tuple[str, str], str] = {}
    for path, postmortem_id, origin in imported:
        shown = postmortem_id
        if committed is not None and path.relative_to(project.root).as_posix() not in committed:
            # The files of an import stopped by SIGKILL (or a power cut) are all there and
            # none committed: the next import said 'nothing to import', as if all were well.
            shown += " (not committed: commit it, or remove it to import it again)"
        before[origin.source, origin.path] = shown
        if os.path.isabs(origin.source):
            before["", os.path.join(origin.source, origin.path)] = shown
    return before


def _committed(project: Project) -> frozenset[str] | None:
    """The postmortem files HEAD holds; None when the project is no git repository."""
    from pmctl.adapters.git import Repository

    try:
        return Repository.open(project.root).committed_files(project.postmortem_dir)
    except GitError:
        return None


def _plan(
    context: _Context, source: _Source, path: Path, before: dict[tuple[str, str], str]
) -> assemble.Draft | Skipped | Refused:
    shown = _shown(path)
    relative = source.relative(path)
    name = path.name
    stem, suffix = os.path.splitext(name)
    if suffix.lower() not in TEXT_SUFFIXES:
        return Skipped(shown, "not a Markdown or text file")
    if stem.casefold() in NOT_POSTMORTEMS:
        return Skipped(shown, f"not a postmortem ({name})")
    if not is_utf8(relative):  # (the origin it would record cannot hold it)
        return Refused(
            shown,
            "its name is not valid UTF-8",
            "rename it in UTF-8 first (e.g. `convmv -f latin1 -t utf8 --notest FILE`)",
        )
    previous = before.get((source.label, relative)) or before.get(("", path.as_posix()))
    if previous is not None:
        return Skipped(shown, f"imported before, as {previous}")
    try:
        found = path.stat()
    except OSError as error:  # a symbolic link to nothing, or in a loop (ELOOP)
        return Skipped(shown, f"cannot be read: {error.strerror or error}")
    if path.is_symlink():
        # Its target is imported as itself when it is in the directory imported (a link to
        # it imported it twice), and is not to be read when it is not (a link out of the
        # source took any file of the machine into the commit).
        return Skipped(
            shown,
            f"a symbolic link (to {bytes_shown(os.readlink(path))}): not followed; "
            "name its target to import it",
        )
    if not stat.S_ISREG(found.st_mode):  # a named pipe would be waited on for ever
        return Skipped(shown, "not a regular file")
    if found.st_size > documents.MAX_BYTES:
        return Skipped(shown, f"larger than {documents.MAX_BYTES:,} bytes: not a postmortem")
    try:
        # At most one byte past the limit: a file that claims no size (under /proc, or one
        # still growing) is not read to the end of memory.
        with path.open("rb") as file:
            raw = file.read(documents.MAX_BYTES + 1)
    except OSError as error:  # there, but not to be read by us (permissions, EIO, ESTALE)
        return Refused(
            shown,
            f"cannot be read: {error.strerror or error}",
            "make it readable (check the disk it is on), or move it out of the directory imported",
        )
    if len(raw) > documents.MAX_BYTES:
        return Skipped(shown, f"larger than {documents.MAX_BYTES:,} bytes: not a postmortem")
    mark, encoding = _encoding(raw)
    content = raw[len(mark) :]
    if encoding == "utf-8" and b"\0" in content:
        return Skipped(shown, "not text (it holds NUL bytes)")
    try:
        text = content.decode(encoding)
    except UnicodeDecodeError as error:
        if not mark and encoding != "utf-8":  # UTF-16 by its NUL bytes, wrongly
            return Skipped(shown, "not text (it holds NUL bytes)")
        line = _with_lf(content[: error.start].decode(encoding, "replace")).count("\n") + 1
        return Refused(
            f"{shown}:{line}",
            f"byte 0x{content[error.start]:02x} is not valid {encoding.upper()}",
            encodings.conversion_hint(content),
        )
    if "\0" in text:
        return Skipped(shown, "not text (it holds NUL characters)")
    if not text or text.isspace():  # (it was 'not a postmortem: 0 postmortem sections')
        return Skipped(shown, "empty")
    return _plan_text(context, source, path, _with_lf(text))


_BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # (before UTF-16's, which it starts with)
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
    (documents.BOM, "utf-8"),
)


def _encoding(raw: bytes) -> tuple[bytes, str]:
    """(byte-order mark, encoding) of a source file: UTF-8, unless a mark says UTF-16 or
    UTF-32 (Windows tools and wiki exports write them), which was skipped as no text for
    the NUL bytes every ASCII character has in them; or UTF-16 without a mark, by what
    it reads as."""
    marked = next(((mark, name) for mark, name in _BYTE_ORDER_MARKS if raw.startswith(mark)), None)
    if marked is not None:
        return marked
    return b"", (encodings.utf16_without_mark(raw) if b"\0" in raw else None) or "utf-8"


def _with_lf(text: str) -> str:
    """`text` with each line break as LF: CRLF, and a lone CR too (classic Mac OS, some
    Windows exports), which Markdown reads as a line break; left as it was, pmctl found no
    section in a file written with them and skipped it as no postmortem."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _plan_text(
    context: _Context, source: _Source, path: Path, text: str
) -> assemble.Draft | Skipped | Refused:
    from pmctl.adapters import foreign_frontmatter

    shown = _shown(path)
    request = context.request
    foreign: ForeignFrontMatter | None = None
    if request.shape is not ImportShape.HEADINGS:
        try:
            foreign = foreign_frontmatter.read(text)
        except FrontMatterError as error:
            return Refused(
                f"{shown}:{error.line}",
                error.message,
                error.hint
                or "fix the front matter, or pass --shape headings to read the file as Markdown",
            )
        if foreign is None and request.shape is ImportShape.FRONT_MATTER:
            return Refused(shown, "no front matter", "pass --shape auto or --shape headings")
        if foreign is not None and _is_pmctl(foreign.data):
            return Skipped(shown, "already a pmctl postmortem")
    body = foreign.block.body if foreign else text
    body_line = foreign.block.body_line if foreign else 1
    settings = context.project.settings
    read = reading.read(body, section_names(settings.lint.section_aliases))
    relative = source.relative(path)
    file = assemble.SourceFile(
        shown=shown,
        stem=_stem(path),
        origin_source=source.label,
        origin_path=relative,
        commit=source.commit if relative not in source.changed else None,
        uncommitted=source.commit is not None and relative in source.changed,
    )
    reason = assemble.skip_reason(file, read, front_matter=foreign is not None)
    if reason is not None:
        return Skipped(shown, reason)
    mapped = mapping.apply(
        foreign.data if foreign else None,
        read.header,
        context.rules,
        zone=read.timeline.zone if read.timeline else None,
        header_line=body_line,
    )
    return assemble.draft(
        file,
        context.given,
        block=foreign.block if foreign else None,
        body_lines=body.split("\n"),
        body_line=body_line,
        read=read,
        mapped=mapped,
        romanize=romanize,
    )


def _stem(path: Path) -> str:
    """The name a file's title and date fall back on: its own without the suffix, but for
    an `index.md`, its directory's. A Hugo page bundle (`2023-03-01-db-outage/index.md`), a
    Docusaurus or Jekyll folder page is named by its directory; all such postmortems were
    skipped as 'not a postmortem (index.md)'."""
    return path.parent.name if path.stem.casefold() == "index" else path.stem


def _is_pmctl(data: dict[str, Any]) -> bool:
    return data.get("schema") in (1, 2) and "id" in data and "severity" in data


def _shown(path: Path) -> str:
    """`path` as the user would type it from here (`../old-postmortems/2023/db.md`); a byte
    of a name that is not UTF-8 as `\\xe9`."""
    try:
        shown = Path(os.path.relpath(path)).as_posix()
    except ValueError:  # another drive (Windows)
        shown = str(path)
    return bytes_shown(shown)


# -- ids, texts, validation --------------------------------------------------------------


def _finish(
    context: _Context, drafts: list[assemble.Draft], refused: list[Refused]
) -> list[Planned]:
    """Each draft with its final id (suffixed when taken) and text, validated by the one
    reader; a draft that does not validate is refused instead."""
    project = context.project
    taken = {path.stem for path in discovery.discover(project.postmortem_dir)}
    planned: list[Planned] = []
    for draft in drafts:
        wanted = ids.make_id(draft.date, draft.slug)
        postmortem_id = wanted
        suffix = 2
        while postmortem_id in taken:
            postmortem_id = f"{wanted}-{suffix}"
            suffix += 1
        target = discovery.inside(
            project.postmortem_dir,
            project.postmortem_dir / postmortem_id[:4] / f"{postmortem_id}.md",
        )
        text = assemble.text(draft, postmortem_id)
        try:
            documents.load_text(target, text)
        except DocumentError as error:
            refused.append(
                Refused(draft.source, f"the import would not be valid: {error}", error.hint)
            )
            continue
        taken.add(postmortem_id)
        planned.append(
            replace(
                draft.report,
                id=postmortem_id,
                target=target.relative_to(project.root).as_posix(),
                text=text,
                renamed_from=wanted if postmortem_id != wanted else None,
            )
        )
    return planned


def _with_findings(plan: Planned, settings: Settings, today: dt.date, root: Path) -> Planned:
    from pmctl.domain.lint import check_document

    document = documents.parse_bytes(root / plan.target, plan.text.encode("utf-8"))
    return replace(plan, findings=tuple(check_document(document, settings, today=today)))


# -- writing -----------------------------------------------------------------------------


def _write_and_commit(
    project: Project, planned: Sequence[Planned], sources: Iterable[_Source]
) -> Commit:
    """Write every planned file and commit them in one commit, holding the repository's
    lock; on any failure (a hook's refusal, Ctrl-C) every file written, and every directory
    made for it, is removed again. Refused before anything is written if git is not ready
    to commit or a target file has appeared since the plan was made."""
    from pmctl.adapters.git import Repository

    message = commits.imported(
        [(f"{plan.origin.path}", plan.id) for plan in planned],
        _source_trailers(sources),
    )
    files = {project.root / plan.target: plan.text.encode("utf-8") for plan in planned}
    with exclusive(project, purpose="pmctl import"):
        repository = Repository.open(project.root)
        repository.ensure_ready_to_commit()
        appeared = next((path for path in files if path.exists()), None)
        if appeared is not None:
            raise UsageError(
                f"{appeared} appeared while importing; nothing was imported",
                hint="run the import again",
            )
        # Not flushed file by file: 1,000 fsyncs would take seconds; the commit keeps them.
        return write_and_commit(repository, files, message, durable=False)


def _source_trailers(sources: Iterable[_Source]) -> list[tuple[str, str | None, str | None]]:
    seen: dict[str, tuple[str, str | None, str | None]] = {}
    for source in sources:
        seen.setdefault(str(source.given), (str(source.given), source.remote, source.commit))
    return list(seen.values())
