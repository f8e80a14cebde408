"""Answers for `pmctl new`: from flags, else from prompts on a terminal, else an error."""

from __future__ import annotations

from pmctl.adapters.config_file import Project
from pmctl.cli.parse import parse_datetime, parse_language, parse_list
from pmctl.domain import ids
from pmctl.services.new import NewPostmortem, slug_needed
from pmctl.ui import prompts


def collect(
    project: Project,
    *,
    title: str | None,
    started: str | None,
    severity: str | None,
    owner: str | None,
    language: str | None,
    services: str | None,
    incident: str | None,
    slug: str | None,
    authors: str | None,
    no_input: bool,
) -> NewPostmortem:
    """A complete request; prompts only for what is missing, and only on a terminal."""
    settings = project.settings
    interactive = prompts.can_prompt(no_input=no_input)

    def required(value: str | None, flag: str, what: str, ask: str) -> str:
        if value and value.strip():
            return value.strip()
        if not interactive:
            raise prompts.missing(flag, what)
        return prompts.ask_text(
            ask, validate=lambda answer: bool(answer.strip()) or f"{what} is required"
        )

    title = required(title, "--title", "a title", "Title of the incident:")
    if slug is None and interactive and slug_needed(title):
        slug = prompts.ask_text(
            "Slug for the id in ASCII, e.g. payment-delay (IDに使う英数字):",
            validate=lambda answer: (
                ids.is_valid_slug(answer) or "lowercase ASCII letters, digits and single dashes"
            ),
        )
    if started is None and interactive:
        started = prompts.ask_text("When did it start? (ISO 8601, empty for unknown)") or None
    if severity is None and interactive:
        severity = prompts.ask_choice("Severity:", settings.severities)
    severity = required(severity, "--severity", "a severity", "Severity:")
    owner = required(owner, "--owner", "an owner", "Owner (the one accountable person):")
    if language is None and interactive:
        language = prompts.ask_choice(
            "Language:", ["en", "ja"], default=settings.default_language.value
        )
    if services is None and interactive:
        services = prompts.ask_text("Affected services (comma-separated):")
    if incident is None and interactive:
        incident = prompts.ask_text("Incident number (empty for none):") or None
    return NewPostmortem(
        title=title,
        severity=severity,
        owner=owner,
        language=parse_language(language) if language else settings.default_language,
        started=parse_datetime(started, flag="--started") if started else None,
        services=parse_list(services),
        incident=incident,
        slug=slug,
        authors=parse_list(authors),
    )
