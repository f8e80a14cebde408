"""`pmctl import`: adopt postmortems written before pmctl, keeping every word of them.

Each source file is read as a legacy document (headings only, or front matter of another
schema mapped by the mapping), its structure recovered by `domain.legacy`, and written as a
pmctl postmortem: new front matter, then the source itself, whole. A dry run plans and
reports; a real import writes every planned file and commits them in one commit, or writes
nothing at all. A file imported before (same source and path in an `origin`) is skipped, so
running the import again imports nothing twice.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pmctl.adapters import documents
from pmctl.domain import commits, ids
from pmctl.domain.action_table import render_table
from pmctl.domain.importing import (
    ImportResult,
    Planned,
    Refused,
    Shape,
    Skipped,
    TimelineReport,
)
from pmctl.domain.legacy import compose, mapping, reading
from pmctl.domain.legacy import timeline as legacy_timeline
from pmctl.domain.legacy.durations import Kind
from pmctl.domain.legacy.front import FrontMatterError
from pmctl.domain.model import (
    SCHEMA_VERSION,
    ActionItem,
    ActionStatus,
    Language,
    Origin,
    Status,
)
from pmctl.domain.sections import section_names
from pmctl.errors import DocumentError, GitError, UsageError

if TYPE_CHECKING:
    from pmctl.adapters.config_file import Project
    from pmctl.adapters.foreign_frontmatter import ForeignFrontMatter
    from pmctl.adapters.git import Repository
    from pmctl.domain.config import FieldMap, Settings

TEXT_SUFFIXES = frozenset({"", ".md", ".markdown", ".mdown", ".mkd", ".mkdn", ".txt", ".text"})
"""Files read as possible postmortems; anything else (images, HTML, code) is skipped."""
NOT_POSTMORTEMS = frozenset(
    {
        "readme", "license", "licence", "copying", "notice", "contributing", "changelog",
        "code_of_conduct", "security", "codeowners", "summary", "index", "_index",
    }
)  # fmt: skip
"""File names (without suffix, any case) of a repository's own documents."""
_NAME_DATE = re.compile(r"(?<!\d)(\d{4})-?(\d{2})-?(\d{2})(?!\d)")
_TEMPLATE_NAME = re.compile(r"template", re.IGNORECASE)


@dataclass(frozen=True, slots=True, kw_only=True)
class ImportRequest:
    """What `pmctl import` was asked for. `owner` and `severity` are given to documents that
    name none; `status` (else the mapped one, else draft) to every document."""

    sources: tuple[Path, ...]
    map_file: Path | None = None
    owner: str | None = None
    severity: str | None = None
    status: Status | None = None
    shape: Shape = Shape.AUTO
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


@dataclass(slots=True)
class _Draft:
    """A planned postmortem before its id is final."""

    source: str
    date: dt.date
    slug: str
    fields: dict[str, Any]
    report: Planned
    block: Any
    body_lines: list[str]
    table_row: int | None
    items: list[ActionItem] = field(default_factory=list)


def import_postmortems(project: Project, request: ImportRequest, *, today: dt.date) -> ImportResult:
    """Plan the import of `request.sources` and, unless it is a dry run or a file is
    refused, write and commit every planned postmortem in one commit.

    `UsageError` for a source that does not exist or a flag value pmctl does not know;
    `ConfigError` for a mapping file that is not valid. A refused file writes nothing.
    """
    from pmctl.adapters.config_file import read_import_map

    settings = project.settings
    _check_flags(request, settings)
    rules = mapping.rules(
        mapping.DEFAULT_MAP,
        settings.import_.map,
        read_import_map(request.map_file) if request.map_file else {},
    )
    sources = [_source(path) for path in request.sources]
    before = _imported_before(project)
    planned: list[_Draft] = []
    skipped: list[Skipped] = []
    refused: list[Refused] = []
    seen: set[Path] = set()
    context = _Context(project, request, rules, today)
    for source in sources:
        for path in _files(source.given):
            if path in seen:
                continue
            seen.add(path)
            outcome = _plan(context, source, path, before)
            if isinstance(outcome, Skipped):
                skipped.append(outcome)
            elif isinstance(outcome, Refused):
                refused.append(outcome)
            else:
                planned.append(outcome)
    written = _finish(context, planned, refused)
    if request.dry_run:
        written = [_with_findings(plan, settings, today, project.root) for plan in written]
    result = ImportResult(tuple(written), tuple(skipped), tuple(refused), request.dry_run)
    if request.dry_run or refused or not written:
        return result
    return replace(result, commit=_write_and_commit(project, written, sources))


@dataclass(frozen=True, slots=True)
class _Context:
    project: Project
    request: ImportRequest
    rules: dict[str, FieldMap]
    today: dt.date


def _check_flags(request: ImportRequest, settings: Settings) -> None:
    if request.severity is not None and request.severity not in settings.severities:
        raise UsageError(
            f"unknown severity {request.severity!r}",
            hint=f"pass --severity with one of: {', '.join(settings.severities)}",
        )
    if request.owner is not None and not request.owner.strip():
        raise UsageError("--owner is empty", hint="pass --owner with a name")
    if not request.sources:
        raise UsageError("nothing to import", hint="name the files or directories to import")


def _source(path: Path) -> _Source:
    from pmctl.adapters.git import Repository

    if not path.exists():
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


def _files(path: Path) -> list[Path]:
    """`path` itself, or every file under it but hidden ones (`.git`), in path order."""
    if path.is_file():
        return [path]
    found: list[Path] = []
    for current, subdirectories, names in os.walk(path):
        subdirectories[:] = sorted(d for d in subdirectories if not d.startswith("."))
        found.extend(Path(current) / name for name in names if not name.startswith("."))
    return sorted(found, key=lambda item: item.parts)


def _imported_before(project: Project) -> dict[tuple[str, str], str]:
    """(origin source, origin path) -> id of every postmortem imported before."""
    from pmctl.services.corpus import load_all

    corpus = load_all(project.postmortem_dir, root=project.root)
    return {
        (model.origin.source, model.origin.path): model.id
        for model in corpus.models
        if model.origin is not None
    }


def _plan(
    context: _Context, source: _Source, path: Path, before: dict[tuple[str, str], str]
) -> _Draft | Skipped | Refused:
    shown = _shown(path)
    relative = source.relative(path)
    name = path.name
    stem, suffix = os.path.splitext(name)
    if suffix.lower() not in TEXT_SUFFIXES:
        return Skipped(shown, "not a Markdown or text file")
    if stem.casefold() in NOT_POSTMORTEMS:
        return Skipped(shown, f"not a postmortem ({name})")
    previous = before.get((source.label, relative))
    if previous is not None:
        return Skipped(shown, f"imported before, as {previous}")
    if path.stat().st_size > documents.MAX_BYTES:
        return Skipped(shown, f"larger than {documents.MAX_BYTES:,} bytes: not a postmortem")
    raw = path.read_bytes()
    if b"\0" in raw:
        return Skipped(shown, "not text (it holds NUL bytes)")
    try:
        text = raw.removeprefix(documents.BOM).decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return Refused(
            f"{shown}:{line}",
            f"byte 0x{raw[error.start]:02x} is not valid UTF-8",
            "convert the file to UTF-8 first (e.g. `iconv -f SHIFT_JIS -t UTF-8`)",
        )
    return _plan_text(context, source, path, text.replace("\r\n", "\n"))


def _plan_text(
    context: _Context, source: _Source, path: Path, text: str
) -> _Draft | Skipped | Refused:
    from pmctl.adapters import foreign_frontmatter

    shown = _shown(path)
    request = context.request
    foreign: ForeignFrontMatter | None = None
    if request.shape is not Shape.HEADINGS:
        try:
            foreign = foreign_frontmatter.read(text)
        except FrontMatterError as error:
            return Refused(
                f"{shown}:{error.line}",
                error.message,
                "fix the front matter, or pass --shape headings to read the file as Markdown",
            )
        if foreign is None and request.shape is Shape.FRONT_MATTER:
            return Refused(shown, "no front matter", "pass --shape auto or --shape headings")
        if foreign is not None and _is_pmctl(foreign.data):
            return Skipped(shown, "already a pmctl postmortem")
    body = foreign.block.body if foreign else text
    body_line = foreign.block.body_line if foreign else 1
    settings = context.project.settings
    read = reading.read(body, section_names(settings.lint.section_aliases))
    stem = path.stem
    if _TEMPLATE_NAME.search(stem) or read.looks_like_template:
        return Skipped(shown, f"a template ({read.title or path.name})")
    sections = [key for key, _ in read.sections]
    if len(sections) < (1 if foreign else 2):
        others = ", ".join(read.other_headings[:6]) or "none"
        return Skipped(
            shown,
            f"not a postmortem: {len(sections)} postmortem section(s) (other headings: {others}); "
            "if it is one, add its headings to [lint.section_aliases]",
        )
    zone = read.timeline.zone if read.timeline else None
    mapped = mapping.apply(
        foreign.data if foreign else None,
        read.header,
        context.rules,
        zone=zone,
        header_line=body_line,
    )
    return _draft(context, source, path, text, foreign, read, mapped, body_line)


def _is_pmctl(data: dict[str, Any]) -> bool:
    return data.get("schema") in (1, 2) and "id" in data and "severity" in data


def _draft(
    context: _Context,
    source: _Source,
    path: Path,
    text: str,
    foreign: ForeignFrontMatter | None,
    read: reading.Reading,
    mapped: mapping.Mapped,
    body_line: int,
) -> _Draft | Refused:
    shown = _shown(path)
    request = context.request
    settings = context.project.settings
    values = mapped.values
    notes = list(mapped.notes)

    title = values.get("title") or read.title
    if not title:
        title = " ".join(_NAME_DATE.sub(" ", path.stem).replace("_", " ").replace("-", " ").split())
        notes.append("title from the file name")
    date = _incident_date(values, mapped, read, path, notes)
    if date is None:
        return Refused(
            shown,
            "no incident date: none mapped, none in the file name, no dated timeline entry",
            "map the key that holds it to `date` (see docs/adopting.md), or put the date "
            "(YYYY-MM-DD) in the file name",
        )
    severity = values.get("severity") or request.severity
    if severity is None:
        return Refused(shown, "no severity", "pass --severity, or map the key that holds it")
    if severity not in settings.severities:
        return Refused(
            shown,
            f"severity {severity!r} is not one of {', '.join(settings.severities)}",
            f"translate it in the mapping: values = {{ {severity!r} = "
            f"{settings.severities[0]!r} }}, or add it to `severities`",
        )
    owner = values.get("owner") or request.owner
    if not owner:
        return Refused(shown, "no owner", "pass --owner, or map the key that holds it")
    status = request.status
    if status is None:
        try:
            status = Status(values.get("status", Status.DRAFT))
        except ValueError:
            return Refused(
                shown,
                f"status {values['status']!r} is not a pmctl status",
                "pass --status, or translate it in the mapping's `values`",
            )
    language = _language(values.get("language"), read)
    slug = values.get("slug") or _slug(title) or ids.slugify(_NAME_DATE.sub("", path.stem))
    relative = source.relative(path)
    commit = source.commit if relative not in source.changed else None
    if source.commit and commit is None:
        notes.append("not committed in the source repository: no commit recorded")
    origin = Origin(
        source=source.label,
        path=relative,
        commit=commit,
        imported=context.today,
        status=status,
    )
    items = [_item(index, action) for index, action in enumerate(read.actions, start=1)]
    stated = _durations(read, values, notes)
    impact = {
        key: values.get(f"impact.{key}")
        for key in ("user_visible_minutes", "data_loss", "billing", "affected_users", "description")
    } | {
        key.removeprefix("impact."): value
        for key, value in values.items()
        if key.startswith("impact.")
    }
    fields: dict[str, Any] = {
        "schema": SCHEMA_VERSION,
        "title": title,
        "status": status.value,
        "severity": severity,
        **({"incident": values["incident"]} if values.get("incident") else {}),
        "language": language.value,
        "owner": owner,
        "authors": values.get("authors", []),
        "created": values.get("created", date),
        "timestamps": {
            key: _iso(values.get(f"timestamps.{key}"))
            for key in ("started", "detected", "mitigated", "resolved")
        },
        "impact": {key: _whole(value) for key, value in impact.items()},
        "criteria": values.get("criteria", []),
        "services": values.get("services", []),
        "tags": values.get("tags", []),
        "related": [],
        "action_items": [_item_fields(item) for item in items],
        "reviews": [],
        "shared_with": values.get("shared_with", []),
        "origin": {
            "source": origin.source,
            "path": origin.path,
            "commit": origin.commit,
            "imported": origin.imported,
            "status": origin.status.value,
        },
        "durations": {f"{kind}_minutes": _whole(minutes) for kind, minutes in stated.items()},
    }
    report = Planned(
        source=shown,
        origin=origin,
        id="",
        target="",
        shape=f"{foreign.block.fence.value} front matter" if foreign else "Markdown headings",
        fields=mapped.fields,
        unmapped=mapped.unmapped,
        sections=tuple(key for key, _ in read.sections),
        other_headings=read.other_headings,
        alias_hints=tuple(read.suggestions().items()),
        timeline=_timeline_report(read, body_line),
        actions=len(items),
        actions_done=sum(item.status is ActionStatus.DONE for item in items),
        durations=tuple(
            (stated_one.kind.value, stated_one.minutes) for stated_one in read.durations
        ),
        notes=tuple(notes),
        text="",
    )
    return _Draft(
        shown,
        date,
        slug or "incident",
        fields,
        report,
        foreign.block if foreign else None,
        text.split("\n") if foreign is None else foreign.block.body.split("\n"),
        read.table_row,
        items,
    )


def _incident_date(
    values: dict[str, Any],
    mapped: mapping.Mapped,
    read: reading.Reading,
    path: Path,
    notes: list[str],
) -> dt.date | None:
    """The incident's date: mapped, else the day of a mapped start or of a date-only
    date-time, else the file name's, else the first dated timeline entry's."""
    if values.get("date"):
        date: dt.date = values["date"]
        return date
    started = values.get("timestamps.started")
    if isinstance(started, dt.datetime):
        return started.date()
    if mapped.days:
        return mapped.days[0]
    match = _NAME_DATE.search(path.stem)
    if match:
        try:
            day = dt.date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            day = None
        if day is not None:
            notes.append("incident date from the file name")
            return day
    entries = read.timeline.entries if read.timeline else ()
    day = next((entry.day for entry in entries if entry.day is not None), None)
    if day is not None:
        notes.append("incident date from the first dated timeline entry")
    return day


def _language(value: Any, read: reading.Reading) -> Language:
    if isinstance(value, str) and value.lower() in Language.__members__.values():
        return Language(value.lower())
    return Language.JA if read.japanese else Language.EN


def _slug(title: str) -> str:
    """The id's slug from the title, without a date in it (the id starts with the date)."""
    from pmctl.adapters.transliterate import romanize

    return ids.slugify(romanize(_NAME_DATE.sub(" ", title)))


def _durations(
    read: reading.Reading, values: dict[str, Any], notes: list[str]
) -> dict[str, float | None]:
    """Minutes per kind: mapped, else stated in the body (when every statement agrees)."""
    result: dict[str, float | None] = {}
    for kind in Kind:
        mapped_value = values.get(f"durations.{kind}_minutes")
        if mapped_value is not None:
            result[kind.value] = mapped_value
            continue
        stated = {one.minutes for one in read.durations if one.kind is kind}
        known = {minutes for minutes in stated if minutes is not None}
        if len(known) > 1:
            notes.append(f"time to {kind} is stated differently more than once: left empty")
        result[kind.value] = known.pop() if len(known) == 1 else None
    return result


def _item(number: int, action: Any) -> ActionItem:
    return ActionItem(
        id=f"AI-{number}",
        title=action.title,
        type=action.type,
        owner=action.owner,
        priority=action.priority,
        status=action.status,
        due=action.due,
        tracker=action.tracker,
    )


def _item_fields(item: ActionItem) -> dict[str, Any]:
    fields: dict[str, Any] = {"id": item.id, "title": item.title}
    for key in ("type", "owner", "priority", "status", "due", "tracker"):
        value = getattr(item, key)
        if value is not None:  # left out, as `pmctl action add` leaves out what is unset
            fields[key] = value.value if hasattr(value, "value") else value
    return fields


def _timeline_report(read: reading.Reading, body_line: int) -> TimelineReport | None:
    found = read.timeline
    if found is None:
        return None
    first = body_line + read.timeline_start
    return TimelineReport(
        entries=len(found.entries),
        unread=tuple(
            (first + row, read.body.lines[read.timeline_start + row].strip())
            for row in found.unread
        ),
        out_of_order=tuple(
            (first + entry.row, entry.written, previous.written)
            for entry, previous in legacy_timeline.out_of_order(found.entries)
        ),
        zone=found.zone.describe() if found.zone else None,
    )


def _iso(value: Any) -> str | None:
    return value.isoformat() if isinstance(value, dt.datetime) else None


def _whole(value: Any) -> Any:
    """80.0 as 80: minutes are written as whole numbers when they are."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _shown(path: Path) -> str:
    """`path` as the user would type it from here (`../old-postmortems/2023/db.md`)."""
    try:
        return Path(os.path.relpath(path)).as_posix()
    except ValueError:  # another drive (Windows)
        return str(path)


# -- ids, texts, validation --------------------------------------------------------------


def _finish(context: _Context, drafts: list[_Draft], refused: list[Refused]) -> list[Planned]:
    """Each draft with its final id (suffixed when taken) and text, validated by the one
    reader; a draft that does not validate is refused instead."""
    project = context.project
    taken = {path.stem for path in documents.discover(project.postmortem_dir)}
    planned: list[Planned] = []
    for draft in drafts:
        wanted = ids.make_id(draft.date, draft.slug)
        postmortem_id = wanted
        suffix = 2
        while postmortem_id in taken:
            postmortem_id = f"{wanted}-{suffix}"
            suffix += 1
        target = project.postmortem_dir / postmortem_id[:4] / f"{postmortem_id}.md"
        text = _text(draft, postmortem_id)
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


def _text(draft: _Draft, postmortem_id: str) -> str:
    fields = {"id": postmortem_id, **draft.fields}
    language = Language(fields["language"])
    table = render_table(draft.items, language) if draft.table_row is not None else None
    return compose.document(
        compose.front_matter(fields),
        block=draft.block,
        body_lines=draft.body_lines,
        table=table,
        table_row=draft.table_row,
    )


def _with_findings(plan: Planned, settings: Settings, today: dt.date, root: Path) -> Planned:
    from pmctl.domain.lint import check_document

    document = documents.parse_bytes(root / plan.target, plan.text.encode("utf-8"))
    return replace(plan, findings=tuple(check_document(document, settings, today=today)))


# -- writing -----------------------------------------------------------------------------


def _write_and_commit(
    project: Project, planned: Sequence[Planned], sources: Iterable[_Source]
) -> str:
    """Write every planned file and commit them in one commit; on any failure (a hook's
    refusal, Ctrl-C), remove every file written and unstage it, and return the repository
    to what it was. Refused before anything is written if git is not ready to commit."""
    from pmctl.adapters.files import create_exclusive
    from pmctl.adapters.git import Repository

    repository = Repository.open(project.root)
    repository.ensure_ready_to_commit()
    message = commits.imported(
        [(f"{plan.origin.path}", plan.id) for plan in planned],
        _source_trailers(sources),
    )
    paths = [project.root / plan.target for plan in planned]
    created_directories = [d for d in _new_directories(paths) if not d.exists()]
    written: list[Path] = []
    try:
        for path, plan in zip(paths, planned, strict=True):
            create_exclusive(path, plan.text.encode("utf-8"), durable=False)
            written.append(path)
        return repository.commit(paths, message)
    except BaseException as error:
        _undo(repository, written, created_directories)
        if isinstance(error, FileExistsError):
            raise UsageError(
                f"{error.filename} appeared while importing; nothing was imported",
                hint="run the import again",
            ) from None
        raise


def _source_trailers(sources: Iterable[_Source]) -> list[tuple[str, str | None, str | None]]:
    seen: dict[str, tuple[str, str | None, str | None]] = {}
    for source in sources:
        seen.setdefault(str(source.given), (str(source.given), source.remote, source.commit))
    return list(seen.values())


def _new_directories(paths: Iterable[Path]) -> list[Path]:
    """The parent directories of `paths` (and theirs), deepest first."""
    directories = {parent for path in paths for parent in path.parents}
    return sorted(directories, key=lambda directory: len(directory.parts), reverse=True)


def _undo(repository: Repository, written: list[Path], directories: list[Path]) -> None:
    """Remove the files written (not relying on git), unstage them, and remove the
    directories the import created for them."""
    for path in written:
        path.unlink(missing_ok=True)
    for directory in directories:
        with contextlib.suppress(OSError):
            directory.rmdir()
    if written:
        repository.unstage_new(written)
