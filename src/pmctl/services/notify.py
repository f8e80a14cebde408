"""Telling people about committed transitions and reviews: e-mail and a chat webhook.

Notifications are optional (`[notify]` in `pmctl.toml`) and best effort. They are sent after
the change is committed, so `notify` never raises: every failure (server down, timeout, HTTP
error, login refused, a missing environment variable, a broken template) becomes one warning
for the caller to show, and the commit stands. Transient failures are retried first
(`retries`, `retry_backoff_seconds`); rendering and secrets are not, they cannot change.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from pmctl.adapters import smtp, webhook
from pmctl.adapters.delivery import DeliveryFailed, Retries
from pmctl.adapters.templates import render
from pmctl.domain.config import EmailSettings, NotifySettings, WebhookSettings
from pmctl.domain.events import Event
from pmctl.errors import PmctlError, TemplateError

SUBJECT_PREFIX = "Subject:"
# Slack rejects a section text longer than this.
_BLOCK_TEXT_LIMIT = 3000


class _MissingSecret(Exception):
    """An environment variable that the config names is unset or empty."""


def notify(settings: NotifySettings, event: Event, *, root: Path) -> list[str]:
    """Send `event` to every configured channel; return one warning per channel that failed.

    An empty list means every configured channel accepted the message, or none is
    configured, or `settings.events` does not include this kind of event. Messages are
    rendered from `notify/<language>/{email,webhook}.txt.j2`, repository overrides first.
    """
    if event.kind not in settings.events:
        return []
    timeout = settings.timeout_seconds
    retries = Retries(count=settings.retries, backoff=settings.retry_backoff_seconds)
    channels: list[tuple[str, Callable[[], None]]] = []
    if settings.email is not None:
        email = partial(_send_email, settings.email, event, root, timeout, retries)
        channels.append(("email", email))
    if settings.webhook is not None:
        hook = partial(_send_webhook, settings.webhook, event, root, timeout, retries)
        channels.append(("webhook", hook))
    return _send_all(channels)


def _send_all(channels: list[tuple[str, Callable[[], None]]]) -> list[str]:
    warnings = []
    for name, send in channels:
        try:
            send()
        except (DeliveryFailed, _MissingSecret) as error:
            warnings.append(f"{name} notification not sent: {error}")
        except PmctlError as error:
            hint = f" ({error.hint})" if error.hint else ""
            warnings.append(f"{name} notification not sent: {error}{hint}")
        except Exception as error:
            # The change is already committed: even a bug here must not turn it into a failure.
            warnings.append(f"{name} notification not sent: {type(error).__name__}: {error}")
    return warnings


def _secret(variable: str) -> str:
    value = os.environ.get(variable, "")
    if not value:
        raise _MissingSecret(f"environment variable {variable} is not set")
    return value


def _send_email(
    settings: EmailSettings, event: Event, root: Path, timeout: float, retries: Retries
) -> None:
    name = f"notify/{event.language.value}/email.txt.j2"
    subject, body = split_subject(render(name, template_context(event), root=root), name)
    _deliver_email(settings, subject, body, root, timeout, retries)


def _deliver_email(
    settings: EmailSettings, subject: str, body: str, root: Path, timeout: float, retries: Retries
) -> None:
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
    retries.run(partial(smtp.send, server, message))


def _send_webhook(
    settings: WebhookSettings, event: Event, root: Path, timeout: float, retries: Retries
) -> None:
    context = {key: _mrkdwn(value) for key, value in template_context(event).items()}
    text = render(f"notify/{event.language.value}/webhook.txt.j2", context, root=root).strip()
    _deliver_webhook(settings, text, timeout, retries)


def _deliver_webhook(
    settings: WebhookSettings, text: str, timeout: float, retries: Retries
) -> None:
    url = _secret(settings.url_env)
    payload: dict[str, Any] = {"text": text}
    if settings.blocks:
        section = {"type": "mrkdwn", "text": text[:_BLOCK_TEXT_LIMIT]}
        payload["blocks"] = [{"type": "section", "text": section}]
    retries.run(partial(webhook.post_json, url, payload, timeout=timeout))


def broadcast(settings: NotifySettings, *, subject: str, text: str, root: Path) -> list[str]:
    """Send `text` (plain text; `subject` for e-mail) to every configured channel, whatever
    `settings.events` says; return one warning per channel that failed, never raise.

    For messages that are not about one event, such as `pmctl digest --send`.
    """
    timeout = settings.timeout_seconds
    retries = Retries(count=settings.retries, backoff=settings.retry_backoff_seconds)
    channels: list[tuple[str, Callable[[], None]]] = []
    if settings.email is not None:
        channels.append(
            (
                "email",
                partial(_deliver_email, settings.email, subject, text, root, timeout, retries),
            )
        )
    if settings.webhook is not None:
        chat = f"*{_mrkdwn(subject)}*\n\n{_mrkdwn(text)}"
        channels.append(
            ("webhook", partial(_deliver_webhook, settings.webhook, chat, timeout, retries))
        )
    return _send_all(channels)


def template_context(event: Event) -> dict[str, str | None]:
    """The variables a notification template receives (documented in docs/notifications.md)."""
    return {
        "kind": event.kind.value,
        "postmortem_id": event.postmortem_id,
        "title": event.title,
        "language": event.language.value,
        "actor": event.actor,
        "from_status": event.from_status.value if event.from_status else None,
        "to_status": event.to_status.value if event.to_status else None,
        "verdict": event.verdict.value if event.verdict else None,
        "note": event.note,
        "commit": event.commit,
    }


def split_subject(rendered: str, name: str) -> tuple[str, str]:
    """(subject, body) of a rendered e-mail template: `Subject: ...`, a blank line, the body."""
    first, _, body = rendered.partition("\n")
    if not first.startswith(SUBJECT_PREFIX):
        raise TemplateError(
            f"e-mail template {name} does not start with a '{SUBJECT_PREFIX} ...' line",
            hint="make the first line of the template the subject, e.g. 'Subject: [pmctl] ...'",
            location=name,
        )
    return first.removeprefix(SUBJECT_PREFIX).strip(), body.lstrip("\n")


def _mrkdwn(value: str | None) -> str | None:
    # Slack's only escapes; they also stop a title like "<!channel>" from pinging everyone.
    if value is None:
        return None
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
