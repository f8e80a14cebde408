"""Telling people about committed transitions and reviews: e-mail, a chat webhook, and the
services apprise reaches (Slack, Microsoft Teams, Google Chat, Mattermost, Discord, ...).

Notifications are optional (`[notify]` in `pmctl.toml`) and best effort. They are sent after
the change is committed, so `notify` and `broadcast` never raise: every failure (server
down, timeout, HTTP error, login refused, a missing environment variable, a broken
template) becomes one warning for the caller to show, and the commit stands. Each attempt
is bounded in wall time by `timeout_seconds`; transient failures are retried (`retries`,
`retry_backoff_seconds`); rendering and secrets are not, they cannot change. Ctrl-C
stops the sending and is one more warning, not an interruption of the command. A warning
shows what a server said only with its control characters spelled out, and only so much
of it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, Protocol

from pmctl.adapters import notifications, smtp, webhook
from pmctl.adapters.delivery import DeliveryFailed, Retries, bounded
from pmctl.adapters.templates import render
from pmctl.domain.config import EmailSettings, NotifySettings, WebhookSettings
from pmctl.domain.events import Event
from pmctl.domain.visible_text import folded, visible
from pmctl.errors import PmctlError, TemplateError

SUBJECT_PREFIX = "Subject:"
REASON_LIMIT = 500
"""Characters of a failure's reason that a warning shows at most."""

# Slack rejects a section text longer than this (counted as its JavaScript counts: UTF-16).
_BLOCK_TEXT_LIMIT = 3000
_CUT_MARK = "…"
# After an @, it stops "@channel" or "@everyone" in a title from pinging a whole channel.
_ZERO_WIDTH_SPACE = "\u200b"


class _MissingSecret(Exception):
    """An environment variable that the config names is unset or empty."""


class _Messages(Protocol):
    """What each kind of channel sends: (subject, body) or the chat text."""

    def email(self) -> tuple[str, str]: ...

    def webhook(self) -> str: ...

    def chat(self) -> tuple[str, str]: ...


def notify(settings: NotifySettings, event: Event, *, root: Path) -> list[str]:
    """Send `event` to every configured channel; return one warning per channel that failed.

    An empty list means every configured channel accepted the message, or none is
    configured, or `settings.events` does not include this kind of event. Messages are
    rendered from `notify/<language>/{email,webhook,chat}.txt.j2`, repository overrides first.
    """
    if event.kind not in settings.events:
        return []
    return _send_all(settings, _OfEvent(event, root), root)


def broadcast(settings: NotifySettings, *, subject: str, text: str, root: Path) -> list[str]:
    """Send an already-rendered message to every configured channel, whatever
    `settings.events` says; return one warning per channel that failed. Never raises.

    `text` is plain text: e-mail gets it as the body under `subject`, the webhook gets both
    escaped for Slack mrkdwn (the subject in bold), apprise channels get `subject` as the
    title and `text` as the body, each `@` followed by a zero-width space.
    """
    return _send_all(settings, _Given(subject, text), root)


def _send_all(settings: NotifySettings, messages: _Messages, root: Path) -> list[str]:
    warnings = []
    channels = _channels(settings, messages, root)
    for number, (name, send) in enumerate(channels):
        try:
            send()
        except KeyboardInterrupt:
            # Ctrl-C stops the sending, not the command: the change is committed already.
            unsent = ", ".join(visible(other, limit=REASON_LIMIT) for other, _ in channels[number:])
            warnings.append(f"notifications interrupted (Ctrl-C); not sent: {unsent}")
            break
        except (DeliveryFailed, _MissingSecret) as error:
            reason = str(error)
        except PmctlError as error:
            reason = f"{error} ({error.hint})" if error.hint else str(error)
        except Exception as error:
            # The change is already committed: even a bug here must not turn it into a failure.
            reason = f"{type(error).__name__}: {error}"
        else:
            continue
        # The names of variables come from pmctl.toml, the reasons from servers: neither is
        # printed as it is.
        channel, why = visible(name, limit=REASON_LIMIT), visible(reason, limit=REASON_LIMIT)
        warnings.append(f"{channel} notification not sent: {why}")
    return warnings


def _channels(
    settings: NotifySettings, messages: _Messages, root: Path
) -> list[tuple[str, Callable[[], None]]]:
    """(name, send) of every configured channel, in the order they are tried."""
    timeout = settings.timeout_seconds
    retries = Retries(count=settings.retries, backoff=settings.retry_backoff_seconds)
    channels: list[tuple[str, Callable[[], None]]] = []
    if settings.email is not None:
        email = partial(_send_email, settings.email, messages, root, timeout, retries)
        channels.append(("email", email))
    if settings.webhook is not None:
        hook = partial(_send_webhook, settings.webhook, messages, timeout, retries)
        channels.append(("webhook", hook))
    if settings.apprise is not None:
        for variable in settings.apprise.urls_env:
            chat = partial(_send_apprise, variable, messages, timeout, retries)
            channels.append((f"apprise ({variable})", chat))
    return channels


def _attempts(retries: Retries, send: Callable[[], None], *, timeout: float, what: str) -> None:
    retries.run(partial(bounded, send, seconds=timeout, what=what))


def _secret(variable: str) -> str:
    value = os.environ.get(variable, "")
    if not value:
        raise _MissingSecret(f"environment variable {variable} is not set")
    return value


def _send_email(
    settings: EmailSettings, messages: _Messages, root: Path, timeout: float, retries: Retries
) -> None:
    subject, body = messages.email()
    login = None
    if settings.username_env is not None and settings.password_env is not None:
        login = (_secret(settings.username_env), _secret(settings.password_env))
    server = smtp.Server(
        host=settings.host,
        port=settings.port,
        tls=settings.security,
        ca_file=root / settings.ca_file if settings.ca_file is not None else None,
        login=login,
        timeout=timeout,
    )
    message = smtp.compose(sender=settings.sender, to=settings.to, subject=subject, body=body)
    where = f"SMTP server {settings.host}:{settings.port}"
    _attempts(retries, partial(smtp.send, server, message), timeout=timeout, what=where)


def _send_webhook(
    settings: WebhookSettings, messages: _Messages, timeout: float, retries: Retries
) -> None:
    url = _secret(settings.url_env)
    text = messages.webhook()
    payload: dict[str, Any] = {"text": text}
    if settings.blocks:
        section = {"type": "mrkdwn", "text": _block_text(text)}
        payload["blocks"] = [{"type": "section", "text": section}]
    post = partial(webhook.post_json, url, payload, timeout=timeout)
    _attempts(retries, post, timeout=timeout, what="webhook")


def _send_apprise(variable: str, messages: _Messages, timeout: float, retries: Retries) -> None:
    title, body = messages.chat()
    service = notifications.service(_secret(variable))
    send = partial(notifications.send, service, title=title, body=body)
    _attempts(retries, send, timeout=timeout, what=f"the service in {variable}")


@dataclass(frozen=True, slots=True)
class _OfEvent:
    """The messages of an event, rendered from the templates in its document's language."""

    event: Event
    root: Path

    def email(self) -> tuple[str, str]:
        name = f"notify/{self.event.language.value}/email.txt.j2"
        return split_subject(render(name, template_context(self.event), root=self.root), name)

    def webhook(self) -> str:
        context = {key: _mrkdwn(value) for key, value in template_context(self.event).items()}
        name = f"notify/{self.event.language.value}/webhook.txt.j2"
        return render(name, context, root=self.root).strip()

    def chat(self) -> tuple[str, str]:
        context = {key: _unmentioned(value) for key, value in template_context(self.event).items()}
        name = f"notify/{self.event.language.value}/chat.txt.j2"
        return split_subject(render(name, context, root=self.root), name)


@dataclass(frozen=True, slots=True)
class _Given:
    """An already-rendered message, the same for every channel."""

    subject: str
    text: str

    def email(self) -> tuple[str, str]:
        return self.subject, self.text

    def webhook(self) -> str:
        return f"*{_slack_escaped(self.subject)}*\n{_slack_escaped(self.text)}"

    def chat(self) -> tuple[str, str]:
        # As for an event: a title "@everyone down" in the digest pinged a whole Discord.
        return _mentionless(self.subject), _mentionless(self.text)


def template_context(event: Event) -> dict[str, str | None]:
    """The variables a notification template receives (documented in docs/notifications.md)."""
    return {
        "kind": event.kind.value,
        "postmortem_id": event.postmortem_id,
        # One line each, as the subject line they go into (a title's "\n" cut the subject
        # there and sent the rest of the title as the first line of the body).
        "title": folded(event.title),
        "language": event.language.value,
        "actor": folded(event.actor),
        "from_status": event.from_status.value if event.from_status else None,
        "to_status": event.to_status.value if event.to_status else None,
        "verdict": event.verdict.value if event.verdict else None,
        "note": event.note,
        "commit": event.commit,
    }


def split_subject(rendered: str, name: str) -> tuple[str, str]:
    """(subject, body) of a rendered template: `Subject: ...`, a blank line, the body."""
    first, _, body = rendered.partition("\n")
    if not first.startswith(SUBJECT_PREFIX):
        raise TemplateError(
            f"template {name} does not start with a '{SUBJECT_PREFIX} ...' line",
            hint="make the first line of the template the subject, e.g. 'Subject: [pmctl] ...'",
            location=name,
        )
    return first.removeprefix(SUBJECT_PREFIX).strip(), body.lstrip("\n")


def _block_text(text: str) -> str:
    """`text` as a Slack section holds it: whole if it fits, else cut on a boundary and
    ended with "…". A cut at the 3,000th character split `&amp;` (Slack then showed `&am`
    and the rest of the entity's text) or a character from the marks that combine with it."""
    end = _fitting(text, _BLOCK_TEXT_LIMIT)
    if end == len(text):
        return text
    end = _fitting(text, _BLOCK_TEXT_LIMIT - len(_CUT_MARK))
    entity = text.rfind("&", max(0, end - len("&amp;") + 1), end)
    if entity != -1 and ";" not in text[entity:end]:
        end = entity
    while end > 0 and _joins_previous(text[end], text[end - 1]):
        end -= 1
    return text[:end] + _CUT_MARK


def _fitting(text: str, limit: int) -> int:
    """How many characters of `text` fit in `limit` UTF-16 code units."""
    units = 0
    for index, char in enumerate(text):
        units += 2 if ord(char) > 0xFFFF else 1
        if units > limit:
            return index
    return len(text)


def _joins_previous(char: str, previous: str) -> bool:
    """Whether a cut before `char` would split a character from what it is written with: a
    combining mark, a variation selector or skin tone, either side of a zero-width joiner."""
    import unicodedata

    return (
        unicodedata.category(char) in ("Mn", "Mc", "Me")
        or "\ufe00" <= char <= "\ufe0f"
        or "\U0001f3fb" <= char <= "\U0001f3ff"  # skin tones
        or "\u200d" in (char, previous)
    )


def _mrkdwn(value: str | None) -> str | None:
    return None if value is None else _slack_escaped(value)


def _slack_escaped(text: str) -> str:
    # Slack's only escapes; they also stop a title like "<!channel>" from pinging everyone.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _unmentioned(value: str | None) -> str | None:
    return None if value is None else _mentionless(value)


def _mentionless(text: str) -> str:
    return text.replace("@", "@" + _ZERO_WIDTH_SPACE)
