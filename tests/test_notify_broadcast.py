"""`broadcast`: an already-rendered message to every configured channel (for `pmctl digest
--send`), against a real SMTP server and a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from pmctl.domain.config import AppriseSettings, NotifySettings, WebhookSettings
from pmctl.services.notify import broadcast
from tests.test_notify import (
    BACKOFF,
    TIMEOUT,
    Hook,
    Mailbox,
    email_settings,
    free_port,
    run_hook,
    run_smtp,
)

SUBJECT = "Postmortems of November 2026 <!channel>"
TEXT = "3 reviewed, 1 overdue.\nPostmortem of the month: 決済 API の遅延 & その教訓"


@pytest.fixture
def smtp_server() -> Iterator[Mailbox]:
    yield from run_smtp()


@pytest.fixture
def hook(monkeypatch: pytest.MonkeyPatch) -> Iterator[Hook]:
    for server in run_hook():
        monkeypatch.setenv("PMCTL_TEST_WEBHOOK", server.url)
        monkeypatch.setenv(
            "PMCTL_TEST_APPRISE", f"json://127.0.0.1:{server.server_address[1]}/json"
        )
        yield server


def every_channel(smtp_port: int) -> NotifySettings:
    return email_settings(smtp_port).model_copy(
        update={
            "webhook": WebhookSettings(url_env="PMCTL_TEST_WEBHOOK"),
            "apprise": AppriseSettings(urls_env=["PMCTL_TEST_APPRISE"]),
            "events": [],  # broadcast sends whatever the events say
        }
    )


def test_every_channel_gets_the_message(smtp_server: Mailbox, hook: Hook, tmp_path: Path) -> None:
    warnings = broadcast(every_channel(smtp_server.port), subject=SUBJECT, text=TEXT, root=tmp_path)

    assert warnings == []
    [message] = smtp_server.messages
    assert message["Subject"] == SUBJECT
    assert message.get_content() == TEXT + "\n"
    webhook_request, apprise_request = hook.requests
    assert json.loads(webhook_request.body) == {
        "text": "*Postmortems of November 2026 &lt;!channel&gt;*\n"
        "3 reviewed, 1 overdue.\nPostmortem of the month: 決済 API の遅延 &amp; その教訓"
    }
    payload = json.loads(apprise_request.body)
    assert (payload["title"], payload["message"]) == (SUBJECT, TEXT)


def test_failing_channels_become_warnings_and_the_others_still_send(
    hook: Hook, tmp_path: Path
) -> None:
    hook.failures = [503, 503, 503]  # the webhook's three attempts
    settings = every_channel(free_port())

    warnings = broadcast(settings, subject=SUBJECT, text=TEXT, root=tmp_path)

    assert [warning.split(":")[0] for warning in warnings] == [
        "email notification not sent",
        "webhook notification not sent",
    ]
    assert "HTTP 503" in warnings[1]
    assert len(hook.requests) == 4  # three to the webhook, then the apprise channel's one


def test_a_subject_with_a_line_break_is_sent_on_one_line(
    smtp_server: Mailbox, tmp_path: Path
) -> None:
    """`email` refused the header (a warning, nothing sent); no header is ever injected."""
    settings = email_settings(smtp_server.port)

    assert broadcast(settings, subject="Digest\nBcc: x@evil.test", text=TEXT, root=tmp_path) == []

    [message] = smtp_server.messages
    assert message["Subject"] == "Digest Bcc: x@evil.test"
    assert message["Bcc"] is None


def test_nothing_configured_sends_nothing(tmp_path: Path) -> None:
    settings = NotifySettings(timeout_seconds=TIMEOUT, retry_backoff_seconds=BACKOFF)

    assert broadcast(settings, subject=SUBJECT, text=TEXT, root=tmp_path) == []


def test_mentions_in_the_text_do_not_ping_a_chat_channel(hook: Hook, tmp_path: Path) -> None:
    """A digest whose text held a title like "@everyone: checkout down" pinged a whole
    Discord or Mattermost channel through apprise; a transition's message never did."""
    settings = NotifySettings(
        apprise=AppriseSettings(urls_env=["PMCTL_TEST_APPRISE"]),
        timeout_seconds=TIMEOUT,
        retry_backoff_seconds=BACKOFF,
    )

    warnings = broadcast(
        settings, subject="Digest @here", text="- @everyone: checkout down", root=tmp_path
    )

    assert warnings == []
    [request] = hook.requests
    payload = json.loads(request.body)
    assert (payload["title"], payload["message"]) == (
        "Digest @\u200bhere",
        "- @\u200beveryone: checkout down",
    )


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("x" * 2990 + "&" * 20, "&amp;"),  # the 3,000th character fell inside `&amp;`
        ("x" * 2995 + "e\u0301" * 10, "e\u0301"),  # an e and its combining accent
        ("x" * 2995 + "\U0001f468\u200d\U0001f469" * 10, "\U0001f469"),  # emoji joined by ZWJ
        ("😀" * 2000, "😀"),  # 4,000 UTF-16 units: Slack counts them, not code points
    ],
    ids=["entity", "combining", "joined", "astral"],
)
def test_a_long_message_is_cut_for_a_slack_block_on_a_boundary(
    hook: Hook, tmp_path: Path, text: str, kept: str
) -> None:
    settings = NotifySettings(webhook=WebhookSettings(url_env="PMCTL_TEST_WEBHOOK", blocks=True))

    assert broadcast(settings, subject="Digest", text=text, root=tmp_path) == []

    payload = json.loads(hook.requests[0].body.decode("utf-8"))
    full = payload["text"]
    block = payload["blocks"][0]["text"]["text"]
    assert len(block.encode("utf-16-le")) // 2 <= 3000
    assert block.endswith("…")
    assert full.startswith(block.removesuffix("…"))
    cut = block.removesuffix("…")
    assert cut.endswith(kept) or cut.endswith("x"), cut[-12:]  # whole units, then the mark
    assert not cut.endswith(("&", "&a", "&am", "e", "\u200d", "\U0001f468"))
