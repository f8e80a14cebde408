"""`[notify.apprise]` channels against a real HTTP server on 127.0.0.1 (apprise's JSON and
Mattermost services, which can be pointed at any host)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pmctl.domain.config import AppriseSettings, NotifySettings, WebhookSettings
from pmctl.domain.model import Language
from pmctl.services.notify import notify
from tests.test_notify import BACKOFF, TIMEOUT, Hook, free_port, review, run_hook, transition

VARIABLE = "PMCTL_TEST_APPRISE"


@pytest.fixture
def hook() -> Iterator[Hook]:
    yield from run_hook()


def apprise_settings(*variables: str, **extra: Any) -> NotifySettings:
    channel = AppriseSettings(urls_env=list(variables or [VARIABLE]))
    defaults = {"timeout_seconds": TIMEOUT, "retry_backoff_seconds": BACKOFF}
    return NotifySettings(apprise=channel, **{**defaults, **extra})


def json_url(hook: Hook, path: str = "/hooks/T000/XXXX") -> str:
    return f"json://127.0.0.1:{hook.server_address[1]}{path}"


def test_a_json_channel_gets_the_chat_message_in_japanese(
    hook: Hook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(VARIABLE, json_url(hook))
    event = transition(Language.JA, title="決済 API の遅延")

    assert notify(apprise_settings(), event, root=tmp_path) == []

    [request] = hook.requests
    assert request.path == "/hooks/T000/XXXX"
    payload = json.loads(request.body)
    assert payload["title"] == "決済 API の遅延: 下書き → レビュー中"
    assert payload["message"] == (
        "Hanako Yamada さんがポストモーテム「決済 API の遅延」（2026-11-23-checkout-latency）の"
        "ステータスを「下書き」から「レビュー中」に変更しました。"
    )


def test_a_review_in_english_carries_the_note(
    hook: Hook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(VARIABLE, json_url(hook))

    assert notify(apprise_settings(), review(), root=tmp_path) == []

    payload = json.loads(hook.requests[0].body)
    assert payload["title"] == "Checkout latency: changes requested by Taro Suzuki"
    assert "Root cause stops at the deploy.\nAsk why it was possible." in payload["message"]


def test_a_self_hosted_mattermost_gets_its_own_format_and_no_mention_pings(
    hook: Hook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(VARIABLE, f"mmost://127.0.0.1:{hook.server_address[1]}/hook-key-123")

    warnings = notify(apprise_settings(), transition(title="@channel outage"), root=tmp_path)

    assert warnings == []
    [request] = hook.requests
    assert request.path == "/hooks/hook-key-123"
    text = json.loads(request.body)["text"]
    assert "@\u200bchannel outage: draft -> in-review" in text
    assert "@channel" not in text


def test_a_failing_service_is_retried_then_a_warning(
    hook: Hook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(VARIABLE, json_url(hook))
    hook.status = 500

    [warning] = notify(apprise_settings(), transition(), root=tmp_path)

    assert len(hook.requests) == 3
    assert warning.startswith(f"apprise ({VARIABLE}) notification not sent: ")
    assert "error=500" in warning
    assert warning.endswith("(after 3 attempts)")


def test_a_url_apprise_does_not_understand_is_not_retried(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(VARIABLE, "nosuchservice://token")

    [warning] = notify(apprise_settings(), transition(), root=tmp_path)

    assert warning == (
        f"apprise ({VARIABLE}) notification not sent: apprise does not understand the URL "
        "(see the URL forms in docs/notifications.md)"
    )


def test_the_secrets_of_the_url_stay_out_of_the_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"json://bot:pa55word@127.0.0.1:{free_port()}/hooks/SECRET-TOKEN-9?key=qwerty123"
    monkeypatch.setenv(VARIABLE, url)

    [warning] = notify(apprise_settings(retries=0), transition(), root=tmp_path)

    assert "127.0.0.1" in warning
    for secret in ("pa55word", "SECRET-TOKEN-9", "qwerty123"):
        assert secret not in warning


def test_a_missing_variable_is_named_and_the_other_channels_still_send(
    hook: Hook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PMCTL_TEST_APPRISE_2", json_url(hook))
    monkeypatch.delenv(VARIABLE, raising=False)

    warnings = notify(
        apprise_settings(VARIABLE, "PMCTL_TEST_APPRISE_2"), transition(), root=tmp_path
    )

    assert warnings == [
        f"apprise ({VARIABLE}) notification not sent: environment variable {VARIABLE} is not set"
    ]
    assert len(hook.requests) == 1


def test_without_apprise_installed_the_warning_says_what_to_install(
    hook: Hook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "apprise", None)  # what `import apprise` does when absent
    monkeypatch.setenv(VARIABLE, json_url(hook))
    monkeypatch.setenv("PMCTL_TEST_WEBHOOK", hook.url)
    settings = apprise_settings().model_copy(
        update={"webhook": WebhookSettings(url_env="PMCTL_TEST_WEBHOOK")}
    )

    warnings = notify(settings, transition(), root=tmp_path)

    assert warnings == [
        f"apprise ({VARIABLE}) notification not sent: apprise is not installed; "
        "install it with pip install 'pmctl[notify]'"
    ]
    [request] = hook.requests  # the webhook, which needs no apprise
    assert request.path != "/hooks/T000/XXXX"
