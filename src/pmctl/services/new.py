"""`pmctl new`: scaffold a postmortem from the language's template and commit it."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from pmctl.adapters import discovery, documents, templates
from pmctl.adapters.transliterate import romanize
from pmctl.domain import commits, ids, zones
from pmctl.domain.action_table import render_table
from pmctl.domain.commits import Commit
from pmctl.domain.model import Language, Status
from pmctl.domain.project import Project
from pmctl.domain.visible_text import folded, visible
from pmctl.domain.wording import plural
from pmctl.errors import DocumentError, PmctlError, TemplateError, UsageError
from pmctl.services.mutate import exclusive, write_and_commit

if TYPE_CHECKING:
    from pmctl.domain.document import ParsedDocument
    from pmctl.domain.model import Postmortem


@dataclass(frozen=True, slots=True, kw_only=True)
class NewPostmortem:
    """What `pmctl new` was asked for, every prompt answered."""

    title: str
    severity: str
    owner: str
    language: Language
    started: dt.datetime | None = None
    services: tuple[str, ...] = ()
    incident: str | None = None
    slug: str | None = None
    authors: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class Created:
    id: str
    path: Path
    commit: Commit | None


def default_owner(project: Project) -> str:
    """Who `pmctl new` suggests as owner: the author git would record, if it knows one."""
    from pmctl.adapters.git import Repository
    from pmctl.errors import PmctlError

    try:
        return Repository.open(project.root).identity()[0]
    except PmctlError:
        return ""


def known_services(project: Project) -> list[str]:
    """The services the repository's postmortems name, most named first (then by name)."""
    from collections import Counter

    from pmctl.services.corpus import load_all

    corpus = load_all(project.postmortem_dir, root=project.root)
    counts = Counter(service for model in corpus.models for service in model.services)
    return sorted(counts, key=lambda service: (-counts[service], service))


def check_editor() -> None:
    """`UsageError` before anything is made if `new --edit` would have no editor to open."""
    from pmctl.adapters.editor import choose

    choose()


def open_in_editor(path: Path) -> None:
    """Open a new postmortem in the user's editor (`new --edit`) and wait for it."""
    from pmctl.adapters.editor import edit

    edit(path)


def plan_id(request: NewPostmortem, *, today: dt.date) -> str:
    """The id the postmortem will get; `UsageError` for a bad `--slug`."""
    if request.slug is not None:
        if not ids.is_valid_slug(request.slug):
            suggested = ids.slugify(request.slug)
            raise UsageError(
                f"invalid slug {visible(request.slug)!r}",
                hint=(f"--slug {suggested}: " if suggested else "")
                + "lowercase ASCII letters, digits and single dashes, "
                f"at most {ids.MAX_SLUG_LENGTH} characters",
            )
        slug = request.slug
    else:
        romanized = romanize(request.title)
        if romanized is None:
            raise UsageError(
                f"cannot make an id from the title {request.title!r}: pmctl reads kana but "
                "not kanji",
                hint="pass --slug with a few ASCII words for the id, e.g. --slug payment-delay "
                "(or install the romaji extra: pip install 'pmctl[romaji]')",
            )
        slug = ids.slugify(romanized) or ids.fallback_slug(request.incident)
    date = request.started.date() if request.started else today
    return ids.make_id(date, slug)


def slug_needed(title: str) -> bool:
    """Whether `plan_id` cannot make a slug from `title` by itself (it has kanji and the
    romaji extra is not installed): then `--slug` is required, or a prompt asks for it."""
    return romanize(title) is None


def create(project: Project, request: NewPostmortem, *, now: dt.datetime, commit: bool) -> Created:
    """Write `postmortems/YYYY/<id>.md` and (unless `commit` is False) commit only that file.

    Nothing is left behind when any step fails: the file, and any directory made for it, is
    removed and unstaged again. Holds the repository's lock from the check that the id is
    free until the commit. Every field is taken as one line (`_one_line`); a file that would
    land outside the postmortem directory through a symbolic link is refused
    (`DocumentError`) before anything is written.
    """
    request = _one_line(request)
    settings = project.settings
    severity = settings.severity_named(request.severity)  # `sev2` as people type it
    if severity is None:
        raise UsageError(
            f"unknown severity {request.severity!r}",
            hint=f"pass --severity with one of: {', '.join(settings.severities)}",
        )
    request = replace(request, severity=severity)
    if not request.title.strip():
        raise UsageError("the title is empty", hint="pass --title with a short description")
    refuse_a_future_start(request.started, today=now.date())
    postmortem_id = plan_id(request, today=now.date())
    path = discovery.inside(
        project.postmortem_dir, project.postmortem_dir / postmortem_id[:4] / f"{postmortem_id}.md"
    )
    text = render(project, request, postmortem_id, now=now)
    with exclusive(project, purpose=f"pmctl new {postmortem_id}"), _made_for(path):
        _refuse_existing(project, path, postmortem_id)
        if not commit:
            documents.create_new(path, text)
            return Created(postmortem_id, path, None)
        from pmctl.adapters.git import Repository

        repository = Repository.open(project.root)
        repository.ensure_ready_to_commit()
        message = commits.new_postmortem(postmortem_id, request.title)
        made = write_and_commit(repository, {path: text.encode("utf-8")}, message)
    return Created(postmortem_id, path, made)


def refuse_a_future_start(started: dt.datetime | None, *, today: dt.date) -> None:
    """`UsageError` if the incident's start is after today (a day's grace for its zone, as
    PM303 gives): a typo in the year — 2027-01-03 typed on 2026-01-03 — was written and
    committed, dated a year ahead, its review deadline out of reach."""
    if started is None or not zones.after_today(started.date(), today):
        return
    raise UsageError(
        f"--started {started.isoformat()} is after today ({today.isoformat()})",
        hint="check the year and the month: an incident cannot start in the future",
    )


def _one_line(request: NewPostmortem) -> NewPostmortem:
    """`request` with every field on one line: a title pasted with a line break in it (or a
    terminal escape) must not split the document's heading or leave a line of its own."""
    return replace(
        request,
        title=folded(request.title),
        severity=folded(request.severity),
        owner=folded(request.owner),
        incident=folded(request.incident) if request.incident is not None else None,
        services=tuple(folded(service) for service in request.services),
        authors=tuple(folded(author) for author in request.authors),
    )


@contextlib.contextmanager
def _made_for(path: Path) -> Iterator[None]:
    """Remove again, if the block fails, the directories the block made for `path`."""
    missing = [parent for parent in path.parents if not parent.exists()]
    try:
        yield
    except BaseException:
        for directory in missing:  # deepest first; one holding anything else stays
            with contextlib.suppress(OSError):
                directory.rmdir()
        raise


def _refuse_existing(project: Project, path: Path, postmortem_id: str) -> None:
    if not (path.exists() or discovery.paths_named(project.postmortem_dir, path.name)):
        return
    hint = "pass --slug to choose another id, or edit the existing postmortem"
    if path.exists() and not path.is_file():  # (the hint to commit it was no way forward)
        hint = (
            f"{path.relative_to(project.root).as_posix()} is {discovery.kind_of(path)}: "
            "remove or rename it, or pass --slug to choose another id"
        )
    elif path.exists() and not _committed(project, path):
        shown = path.relative_to(project.root).as_posix()
        hint = (
            f"{shown} was written but never committed (by `pmctl new --no-commit`, or a "
            f"pmctl that was stopped): commit it (`git add {shown} && git commit`), or remove "
            "it and run `pmctl new` again; --slug chooses another id"
        )
    raise UsageError(f"a postmortem with id {postmortem_id!r} already exists", hint=hint)


def _committed(project: Project, path: Path) -> bool:
    """Whether HEAD holds `path` (True where git cannot tell: the usual hint then stands)."""
    from pmctl.adapters.git import Repository

    try:
        repository = Repository.open(project.root)
        return repository.relative(path) in repository.committed_files(path.parent)
    except PmctlError:
        return True


def render(
    project: Project, request: NewPostmortem, postmortem_id: str, *, now: dt.datetime
) -> str:
    """The new document's text; `TemplateError` if a template yields an invalid postmortem."""
    context = {
        "id": postmortem_id,
        "title": request.title,
        "severity": request.severity,
        "incident": request.incident,
        "owner": request.owner,
        "authors": list(request.authors or (request.owner,)),
        "created": now.date().isoformat(),
        "started": request.started.isoformat() if request.started else None,
        "services": list(request.services),
        "criteria": dict(project.settings.criteria),
        "action_table": render_table([], request.language),
        "language": request.language.value,
    }
    name = f"{request.language.value}/postmortem.md.j2"
    text = templates.render(name, context, root=project.root)
    try:
        document, postmortem = documents.load_text(Path(name), text)
    except DocumentError as error:
        # Where the error is in what the template rendered, not in the template's file.
        line = (error.location or "").rpartition(":")[2]
        where = f" (line {line} of what it rendered)" if line.isdigit() else ""
        raise TemplateError(
            f"rendered an invalid postmortem{where}: {error.message}",
            hint="fix the template's front matter, or `pmctl template export` a fresh copy",
            location=templates.origin(name, project.root),
        ) from None
    _refuse_other_than_asked(
        document, postmortem, request, postmortem_id, origin=templates.origin(name, project.root)
    )
    return text


def _refuse_other_than_asked(
    document: ParsedDocument,
    postmortem: Postmortem,
    request: NewPostmortem,
    postmortem_id: str,
    *,
    origin: str,
) -> None:
    """`TemplateError` unless the template rendered a new draft with the id, language and
    severity asked for. A template writing its own (`id: 2020-01-01-other`, `status:
    reviewed`, `language: ja` in the English one) was committed under the id pmctl chose:
    lint then failed on the new file (PM702), a draft was born reviewed without a review,
    or an English postmortem was read as Japanese."""
    asked = (  # key, what the template rendered, what was asked, how the template writes it
        ("id", postmortem.id, postmortem_id, "{{ id }}"),
        ("language", postmortem.language.value, request.language.value, "{{ language }}"),
        ("severity", postmortem.severity, request.severity, "{{ severity | yaml }}"),
        ("status", postmortem.status.value, Status.DRAFT.value, "draft"),
    )
    for key, rendered, wanted, written in asked:
        if rendered != wanted:
            raise TemplateError(
                f"rendered `{key}: {visible(rendered)}` (line {document.line_of((key,))} of "
                f"what it rendered), not the new postmortem's {key}, {visible(wanted)}",
                hint=f"write `{key}: {written}` in the template's front matter",
                location=origin,
            )
    if postmortem.reviews:
        raise TemplateError(
            f"rendered {plural(len(postmortem.reviews), 'review')} (line "
            f"{document.line_of(('reviews',))} of what it rendered): a new postmortem has "
            "none yet",
            hint="write `reviews: []` in the template's front matter",
            location=origin,
        )
