"""`pmctl new`: scaffold a postmortem from the language's template and commit it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from pmctl.adapters import documents, templates
from pmctl.adapters.config_file import Project
from pmctl.adapters.transliterate import romanize
from pmctl.domain import commits, ids
from pmctl.domain.action_table import render_table
from pmctl.domain.model import Language
from pmctl.errors import DocumentError, TemplateError, UsageError


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
    commit: str | None


def plan_id(request: NewPostmortem, *, today: dt.date) -> str:
    """The id the postmortem will get; `UsageError` for a bad `--slug`."""
    if request.slug is not None:
        if not ids.is_valid_slug(request.slug):
            raise UsageError(
                f"invalid slug {request.slug!r}",
                hint=f"use lowercase ASCII letters, digits and single dashes, at most {ids.MAX_SLUG_LENGTH} characters",
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

    Nothing is left behind when any step fails: the file is removed and unstaged again.
    """
    settings = project.settings
    if request.severity not in settings.severities:
        raise UsageError(
            f"unknown severity {request.severity!r}",
            hint=f"pass --severity with one of: {', '.join(settings.severities)}",
        )
    if not request.title.strip():
        raise UsageError("the title is empty", hint="pass --title with a short description")
    postmortem_id = plan_id(request, today=now.date())
    directory = project.postmortem_dir
    path = directory / postmortem_id[:4] / f"{postmortem_id}.md"
    if path.exists() or any(p.stem == postmortem_id for p in documents.discover(directory)):
        raise UsageError(
            f"a postmortem with id {postmortem_id!r} already exists",
            hint="pass --slug to choose another id, or edit the existing postmortem",
        )

    repository = None
    if commit:
        from pmctl.adapters.git import Repository

        repository = Repository.open(project.root)
        repository.ensure_ready_to_commit()

    text = render(project, request, postmortem_id, now=now)
    documents.create_new(path, text)
    if repository is None:
        return Created(postmortem_id, path, None)
    try:
        sha = repository.commit([path], commits.new_postmortem(postmortem_id, request.title))
    except BaseException:
        repository.unstage_new([path])
        path.unlink(missing_ok=True)
        raise
    return Created(postmortem_id, path, sha)


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
        documents.load_text(Path(name), text)
    except DocumentError as error:
        raise TemplateError(
            f"template {name} rendered an invalid postmortem: {error}",
            hint="fix the template's front matter, or `pmctl template export` a fresh copy",
            location=name,
        ) from None
    return text
