"""`pmctl digest`: the monthly newsletter of postmortems, rendered and optionally sent."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from pmctl.adapters import documents
from pmctl.domain import commits, digest, digest_text
from pmctl.domain.document import Invalid
from pmctl.domain.enums import DigestFormat
from pmctl.domain.model import Postmortem
from pmctl.domain.project import Project
from pmctl.domain.report import incident_date
from pmctl.domain.sections import section_names
from pmctl.errors import NotFoundError, UsageError
from pmctl.services.corpus import load_all

_ACTION_LOG = (
    f"--grep=^{commits.TRAILER_ACTION}:",
    f"--format=%cI%x1f%(trailers:key={commits.TRAILER_ID},valueonly,separator=%x1e)"
    f"%x1f%(trailers:key={commits.TRAILER_ACTION},valueonly,separator=%x1e)%x1f%b%x1d",
)


@dataclass(frozen=True, slots=True)
class DigestResult:
    digest: digest.Digest
    invalid: tuple[Invalid, ...]


def previous_month(today: dt.date) -> str:
    """The month before `today`'s: a monthly digest goes out about the month just ended."""
    first = today.replace(day=1)
    return (first - dt.timedelta(days=1)).isoformat()[:7]


def parse_month(text: str) -> str:
    try:
        dt.date.fromisoformat(f"{text}-01")
    except ValueError:
        raise UsageError(f"--month: {text!r} is not a month", hint="e.g. --month 2026-10") from None
    return text


def build_digest(
    project: Project, *, today: dt.date, month: str, feature: str | None = None
) -> DigestResult:
    """The digest of `month` (YYYY-MM); `feature` names the postmortem of the month."""
    from pmctl.services.stats import start_reading_transitions

    transitions = start_reading_transitions(project)
    corpus = load_all(project.postmortem_dir, root=project.root)
    names = section_names(project.settings.lint.section_aliases)

    def with_lessons(path: Path, model: Postmortem) -> tuple[Postmortem, dict[str, str]]:
        return model, digest.lessons(documents.read(path).body, names)

    in_month = [
        with_lessons(path, model)
        for path, model in corpus.postmortems
        if incident_date(model).isoformat()[:7] == month
    ]
    chosen = None
    if feature is not None:
        found = next(((p, m) for p, m in corpus.postmortems if m.id == feature), None)
        if found is None:
            raise NotFoundError(
                f"--feature: no postmortem with id {feature!r}",
                hint="`pmctl status --list` shows every postmortem and its id",
            )
        chosen = with_lessons(*found)
    result = digest.build(
        in_month,
        corpus.models,
        transitions(),
        _completed(project, corpus.postmortems, month),
        month=month,
        settings=project.settings,
        today=today,
        feature=feature,
    )
    if chosen is not None and result.featured is None:
        model, found_lessons = chosen
        reasons = digest.reasons(model, found_lessons, project.settings)
        result = digest.with_feature(result, digest.Candidate(model, found_lessons, tuple(reasons)))
    return DigestResult(result, corpus.invalid)


def render(result: digest.Digest, output_format: DigestFormat) -> str:
    """The digest as Markdown, plain text or a self-contained HTML page."""
    if output_format is DigestFormat.TEXT:
        return digest_text.to_text(result)
    text = digest_text.to_markdown(result)
    if output_format is DigestFormat.MARKDOWN:
        return text
    from html import escape

    from pmctl.adapters import markdown

    title = escape(digest_text.subject(result))
    return (
        f'<!doctype html>\n<html lang="{result.language.value}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title}</title></head>\n<body>\n{markdown.render(text)}</body></html>\n"
    )


def send(project: Project, result: digest.Digest) -> list[str]:
    """Send the digest (plain text) to the configured e-mail and chat channels; warnings
    for the channels that failed."""
    settings = project.settings.notify
    if settings.email is None and settings.webhook is None and settings.apprise is None:
        raise UsageError(
            "--send: no notification channel is configured",
            hint="add [notify.email], [notify.webhook] or [notify.apprise] to pmctl.toml"
            " (docs/notifications.md)",
        )
    from pmctl.services.notify import broadcast

    return broadcast(
        settings,
        subject=digest_text.subject(result),
        text=digest_text.to_text(result),
        root=project.root,
    )


def _completed(
    project: Project, postmortems: tuple[tuple[Path, Postmortem], ...], month: str
) -> list[digest.Completion]:
    """Action items whose `pmctl action` commit in `month` set their status to done."""
    from pmctl.adapters.git import Repository

    repository = Repository.open(project.root)
    if not repository.has_commits():
        return []
    models = {model.id: model for _, model in postmortems}
    found: dict[tuple[str, str], digest.Completion] = {}
    for record in reversed(repository.start_log(*_ACTION_LOG)().split("\x1d")):
        fields = record.strip().split("\x1f")
        if len(fields) != 4 or not fields[0].startswith(month):
            continue
        date, postmortem_id, action_id, body = fields
        model = models.get(postmortem_id.strip())
        item = model.action(action_id.strip()) if model else None
        done = any(
            line.startswith("status:") and line.rstrip().endswith("-> done")
            for line in body.splitlines()
        )
        if model and item and done:
            on = dt.datetime.fromisoformat(date).date()
            found[(model.id, item.id)] = digest.Completion(model.id, item, on)
    return sorted(found.values(), key=lambda done: (done.on, done.postmortem_id, done.item.id))
