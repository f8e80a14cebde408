"""Answers for `pmctl new`: from flags, else from prompts on a terminal, else an error.

Each answer is checked as it is given: on a terminal a wrong answer is asked again at
once, not reported after every question has been answered.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from pmctl.cli.parse import parse_datetime, parse_language, parse_list
from pmctl.domain import ids
from pmctl.domain.enums import Language
from pmctl.domain.project import Project
from pmctl.errors import UsageError
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
    interactive = prompts.can_prompt(no_input=no_input)
    settings = project.settings
    title = _required(title, interactive, "--title", "a title", "Title of the incident:")
    return NewPostmortem(
        title=title,
        started=_started(started, interactive),
        severity=_severity(severity, interactive, settings.severities),
        owner=_owner(owner, interactive, project),
        language=_language(language, interactive, settings.default_language),
        services=_services(services, interactive, project),
        incident=_optional(incident, interactive, "Incident number (empty for none):"),
        slug=_slug(slug, interactive, title),
        authors=parse_list(authors),
    )


def _required(
    value: str | None, interactive: bool, flag: str, what: str, question: str, default: str = ""
) -> str:
    if value and value.strip():
        return value.strip()
    if not interactive:
        raise prompts.missing(flag, what)
    return prompts.ask_text(
        question,
        default=default,
        validate=lambda answer: bool(answer.strip()) or f"{what} is required",
    )


def _slug(value: str | None, interactive: bool, title: str) -> str | None:
    """The id's slug: as given, else asked for on a terminal when pmctl cannot read the
    title (kanji without the `romaji` extra), else None (made from the title)."""
    if value is not None or not interactive or not slug_needed(title):
        return value
    return prompts.ask_text(
        "Slug for the id in ASCII, e.g. payment-delay (IDに使う英数字):",
        validate=lambda answer: (
            ids.is_valid_slug(answer) or "lowercase ASCII letters, digits and single dashes"
        ),
    )


def _optional(value: str | None, interactive: bool, question: str) -> str | None:
    if value is not None or not interactive:
        return value
    return prompts.ask_text(question) or None


def _started(value: str | None, interactive: bool) -> dt.datetime | None:
    if value is None and interactive:
        value = prompts.ask_text(
            "When did it start? (ISO 8601, e.g. 2026-11-23 14:50, empty for unknown)",
            validate=_valid_started,
        )
    return parse_datetime(value, flag="--started") if value else None


def _valid_started(answer: str) -> bool | str:
    """True, or why not: asked again at once, a start after today among them."""
    if not answer.strip():
        return True
    from pmctl.cli import clock
    from pmctl.services.new import refuse_a_future_start

    try:
        refuse_a_future_start(parse_datetime(answer, flag="--started"), today=clock.today())
    except UsageError as error:
        return f"{error.message}; {error.hint}"
    return True


def _severity(value: str | None, interactive: bool, severities: Sequence[str]) -> str:
    if value is None and interactive:
        return prompts.ask_choice("Severity:", severities)
    return _required(value, interactive, "--severity", "a severity", "Severity:")


def _owner(value: str | None, interactive: bool, project: Project) -> str:
    if value is None and interactive:
        from pmctl.services.new import default_owner

        default = default_owner(project)
        return _required(
            None, interactive, "--owner", "an owner", "Owner (the one accountable person):", default
        )
    return _required(value, interactive, "--owner", "an owner", "Owner:")


def _language(value: str | None, interactive: bool, default: Language) -> Language:
    if value is None and interactive:
        value = prompts.ask_choice("Language:", [item.value for item in Language], default=default)
    return parse_language(value) if value else default


def _services(value: str | None, interactive: bool, project: Project) -> tuple[str, ...]:
    if value is not None or not interactive:
        return parse_list(value)
    from pmctl.services.new import known_services

    known = known_services(project)
    chosen = prompts.ask_checkboxes("Affected services:", known) if known else []
    more = prompts.ask_text(
        "Other affected services (comma-separated, empty for none):"
        if known
        else "Affected services (comma-separated):"
    )
    return tuple(dict.fromkeys([*chosen, *parse_list(more)]))
