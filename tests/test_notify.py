"""Notifications against a real SMTP server (aiosmtpd) and a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import email
import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from pmctl.domain.config import EmailSettings, NotifySettings, WebhookSettings
from pmctl.domain.enums import EventKind
from pmctl.domain.events import Event
from pmctl.domain.model import Language, Status, Verdict
from pmctl.services.notify import notify

TIMEOUT = 5.0
# Retries stay on (the default count) but wait only this long, to keep the tests fast.
BACKOFF = 0.01
SMTP_USER = "pmctl-bot"
SMTP_PASSWORD = "s3cret"
HOOK_PATH = "/services/T000/B000/XXXX"


def free_port() -> int:
    """A port nothing listens on (bound, read, released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


# --- SMTP ---------------------------------------------------------------------------------


@dataclass
class Mailbox:
    """Accepts mail; answers DATA with the `failures` replies first, one per attempt."""

    port: int
    messages: list[EmailMessage] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    # The Message-ID of every DATA received, refused or accepted.
    attempts: list[str] = field(default_factory=list)
    # Per accepted message: whether it came over TLS (implicit or after STARTTLS).
    encrypted: list[bool] = field(default_factory=list)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.original_content or b""
        # Normalise the wire's CRLF so that tests compare text.
        message = email.message_from_bytes(content.replace(b"\r\n", b"\n"), policy=policy.default)
        assert isinstance(message, EmailMessage)
        self.attempts.append(str(message["Message-ID"]))
        if self.failures:
            return self.failures.pop(0)
        assert server.transport is not None
        self.encrypted.append(server.transport.get_extra_info("ssl_object") is not None)
        self.messages.append(message)
        self.envelopes.append((str(envelope.mail_from), list(envelope.rcpt_tos)))
        return "250 OK"


def authenticate(
    server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any
) -> AuthResult:
    ok = (
        isinstance(data, LoginPassword)
        and data.login == SMTP_USER.encode()
        and data.password == SMTP_PASSWORD.encode()
    )
    # handled=False: let aiosmtpd answer 535 itself instead of leaving the client waiting.
    return AuthResult(success=ok, handled=False)


def run_smtp(**kwargs: Any) -> Iterator[Mailbox]:
    """A running aiosmtpd server on 127.0.0.1; `kwargs` go to its `Controller`."""
    mailbox = Mailbox(port=free_port())
    controller = Controller(mailbox, hostname="127.0.0.1", port=mailbox.port, **kwargs)
    controller.start()
    try:
        yield mailbox
    finally:
        controller.stop()


@pytest.fixture
def smtp_server() -> Iterator[Mailbox]:
    yield from run_smtp()


@pytest.fixture
def smtp_server_with_auth() -> Iterator[Mailbox]:
    # Plain-text AUTH only because this server is on the loopback interface.
    yield from run_smtp(authenticator=authenticate, auth_require_tls=False)


def email_settings(port: int, **extra: Any) -> NotifySettings:
    email_channel = EmailSettings(
        host="127.0.0.1",
        port=port,
        sender="pmctl@example.com",
        to=["sre@example.com", "oncall@example.com"],
        **extra,
    )
    return NotifySettings(
        email=email_channel, timeout_seconds=TIMEOUT, retry_backoff_seconds=BACKOFF
    )


def login_settings(
    port: int, monkeypatch: pytest.MonkeyPatch, *, password: str | None
) -> NotifySettings:
    """E-mail settings that log in as SMTP_USER with `password` (None: variable unset)."""
    monkeypatch.setenv("PMCTL_SMTP_USER", SMTP_USER)
    if password is None:
        monkeypatch.delenv("PMCTL_SMTP_PASSWORD", raising=False)
    else:
        monkeypatch.setenv("PMCTL_SMTP_PASSWORD", password)
    return email_settings(port, username_env="PMCTL_SMTP_USER", password_env="PMCTL_SMTP_PASSWORD")


# --- HTTP ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Request:
    path: str
    content_type: str
    body: bytes


class Hook(ThreadingHTTPServer):
    """Records every POST and answers with `status` (after `release` when `hold` is set).

    The `failures` answers come first, one per request: an HTTP status, or None to drop the
    connection without answering. `headers` are added to every answer.
    """

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _HookHandler)
        self.requests: list[Request] = []
        self.status = 200
        self.reply = b"ok"
        self.headers: dict[str, str] = {}
        self.failures: list[int | None] = []
        self.hold = False
        self.release = threading.Event()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{HOOK_PATH}"


class _HookHandler(BaseHTTPRequestHandler):
    server: Hook

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.server.requests.append(Request(self.path, self.headers["Content-Type"], body))
        status = self.server.failures.pop(0) if self.server.failures else self.server.status
        if status is None:
            self.close_connection = True
            return
        if self.server.hold:
            self.server.release.wait(TIMEOUT)
        self.send_response(status)
        for name, value in self.server.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(self.server.reply)))
        self.end_headers()
        self.wfile.write(self.server.reply)

    def log_message(self, format: str, *args: Any) -> None:
        pass


def run_hook() -> Iterator[Hook]:
    """A running `Hook` on 127.0.0.1, shut down afterwards."""
    server = Hook()
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.release.set()
        server.shutdown()
        server.server_close()
        thread.join(TIMEOUT)


@pytest.fixture
def hook() -> Iterator[Hook]:
    yield from run_hook()


def webhook_settings(*, blocks: bool = False, **extra: Any) -> NotifySettings:
    channel = WebhookSettings(url_env="PMCTL_TEST_WEBHOOK", blocks=blocks)
    defaults = {"timeout_seconds": TIMEOUT, "retry_backoff_seconds": BACKOFF}
    return NotifySettings(webhook=channel, **{**defaults, **extra})


# --- events -------------------------------------------------------------------------------


def transition(language: Language = Language.EN, title: str = "Checkout latency") -> Event:
    return Event(
        kind=EventKind.TRANSITION,
        postmortem_id="2026-11-23-checkout-latency",
        title=title,
        language=language,
        actor="Hanako Yamada",
        from_status=Status.DRAFT,
        to_status=Status.IN_REVIEW,
        commit="0123456789abcdef",
    )


def review(language: Language = Language.EN) -> Event:
    return Event(
        kind=EventKind.REVIEW,
        postmortem_id="2026-11-23-checkout-latency",
        title="Checkout latency",
        language=language,
        actor="Taro Suzuki",
        verdict=Verdict.CHANGES_REQUESTED,
        note="Root cause stops at the deploy.\nAsk why it was possible.",
    )


# --- e-mail -------------------------------------------------------------------------------


def test_email_in_japanese_arrives_intact(smtp_server: Mailbox, tmp_path: Path) -> None:
    event = transition(Language.JA, title="決済 API の遅延")

    warnings = notify(email_settings(smtp_server.port), event, root=tmp_path)

    assert warnings == []
    [message] = smtp_server.messages
    assert message["Subject"] == "[pmctl] 決済 API の遅延: 下書き → レビュー中"
    assert message["From"] == "pmctl@example.com"
    assert message["To"] == "sre@example.com, oncall@example.com"
    assert message.get_content_charset() == "utf-8"
    body = message.get_content()
    assert "Hanako Yamada さんがポストモーテム「決済 API の遅延」のステータスを" in body
    assert "「下書き」から「レビュー中」に変更しました。" in body
    assert "コミット:       0123456789abcdef" in body
    assert smtp_server.envelopes == [
        ("pmctl@example.com", ["sre@example.com", "oncall@example.com"])
    ]
    assert smtp_server.encrypted == [False]


def test_email_of_a_review_in_english_carries_the_note(
    smtp_server: Mailbox, tmp_path: Path
) -> None:
    assert notify(email_settings(smtp_server.port), review(), root=tmp_path) == []

    [message] = smtp_server.messages
    assert message["Subject"] == "[pmctl] Checkout latency: changes requested by Taro Suzuki"
    assert "Root cause stops at the deploy.\nAsk why it was possible." in message.get_content()


def test_smtp_login_uses_the_credentials_from_the_environment(
    smtp_server_with_auth: Mailbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = login_settings(smtp_server_with_auth.port, monkeypatch, password=SMTP_PASSWORD)

    assert notify(settings, transition(), root=tmp_path) == []
    assert len(smtp_server_with_auth.messages) == 1


def test_refused_smtp_login_is_a_warning_and_sends_nothing(
    smtp_server_with_auth: Mailbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = login_settings(smtp_server_with_auth.port, monkeypatch, password="wrong")

    [warning] = notify(settings, transition(), root=tmp_path)

    assert warning.startswith("email notification not sent: SMTP login to 127.0.0.1:")
    assert "535" in warning
    assert "wrong" not in warning


def test_non_ascii_password_is_a_warning(
    smtp_server_with_auth: Mailbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = login_settings(smtp_server_with_auth.port, monkeypatch, password="パスワード")

    [warning] = notify(settings, transition(), root=tmp_path)

    assert "only ASCII" in warning
    assert "パスワード" not in warning
    assert smtp_server_with_auth.messages == []
    assert smtp_server_with_auth.messages == []


def test_starttls_that_the_server_does_not_offer_is_a_warning(
    smtp_server: Mailbox, tmp_path: Path
) -> None:
    settings = email_settings(smtp_server.port, starttls=True)

    [warning] = notify(settings, transition(), root=tmp_path)

    assert "does not support STARTTLS" in warning
    assert smtp_server.messages == []


def test_email_to_a_closed_port_is_a_warning(tmp_path: Path) -> None:
    [warning] = notify(email_settings(free_port()), transition(), root=tmp_path)

    assert warning.startswith("email notification not sent: SMTP server 127.0.0.1:")
    assert "refused" in warning.lower()


def test_silent_smtp_server_times_out_into_a_warning(tmp_path: Path) -> None:
    # Accepts TCP connections (backlog) but never greets.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        settings = email_settings(silent.getsockname()[1]).model_copy(
            update={"timeout_seconds": 0.2, "retries": 0}
        )
        [warning] = notify(settings, transition(), root=tmp_path)

    assert "timed out" in warning


def test_missing_password_variable_is_named_and_nothing_is_sent(
    smtp_server_with_auth: Mailbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = login_settings(smtp_server_with_auth.port, monkeypatch, password=None)

    warnings = notify(settings, transition(), root=tmp_path)

    assert warnings == [
        "email notification not sent: environment variable PMCTL_SMTP_PASSWORD is not set"
    ]
    assert smtp_server_with_auth.messages == []


def test_a_header_that_email_refuses_is_a_warning_not_an_exception(
    smtp_server: Mailbox, tmp_path: Path
) -> None:
    settings = email_settings(smtp_server.port)
    assert settings.email is not None
    broken = settings.email.model_copy(update={"sender": "pmctl@example.com\nBcc: x@evil.test"})

    [warning] = notify(settings.model_copy(update={"email": broken}), review(), root=tmp_path)

    assert warning.startswith("email notification not sent: ValueError:")
    assert smtp_server.messages == []


def test_a_title_with_a_line_break_is_sent_with_its_subject_on_one_line(
    smtp_server: Mailbox, tmp_path: Path
) -> None:
    """A title holding "\\r" made `email` refuse the Subject header: no mail was sent."""
    event = transition(title="Checkout\r\nBcc: evil@example.test\rlatency")

    warnings = notify(email_settings(smtp_server.port), event, root=tmp_path)

    assert warnings == []
    [message] = smtp_server.messages
    assert message["Subject"].startswith("[pmctl] Checkout Bcc: evil@example.test latency: ")
    assert message["Bcc"] is None
    assert smtp_server.envelopes[0][1] == ["sre@example.com", "oncall@example.com"]


def test_repository_email_template_without_subject_is_a_warning(
    smtp_server: Mailbox, tmp_path: Path
) -> None:
    override = tmp_path / ".pmctl" / "templates" / "notify" / "en" / "email.txt.j2"
    override.parent.mkdir(parents=True)
    override.write_text("{{ title }} changed\n", encoding="utf-8")

    [warning] = notify(email_settings(smtp_server.port), transition(), root=tmp_path)

    assert "does not start with a 'Subject: ...' line" in warning
    assert smtp_server.messages == []


# --- webhook ------------------------------------------------------------------------------


def test_webhook_posts_slack_json(
    hook: Hook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PMCTL_TEST_WEBHOOK", hook.url)

    assert notify(webhook_settings(), transition(), root=tmp_path) == []

    [request] = hook.requests
    assert request.path == HOOK_PATH
    assert request.content_type == "application/json; charset=utf-8"
    assert json.loads(request.body) == {
        "text": ":arrows_counterclockwise: *Checkout latency* (`2026-11-23-checkout-latency`): "
        "Hanako Yamada moved it from *draft* to *in-review*"
    }


def test_webhook_in_japanese_with_blocks_and_escaped_markup(
    hook: Hook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PMCTL_TEST_WEBHOOK", hook.url)
    event = transition(Language.JA, title="<!channel> 決済 & 在庫")

    assert notify(webhook_settings(blocks=True), event, root=tmp_path) == []

    payload = json.loads(hook.requests[0].body.decode("utf-8"))
    text = (
        ":arrows_counterclockwise: *&lt;!channel&gt; 決済 &amp; 在庫*"
        "（`2026-11-23-checkout-latency`）: Hanako Yamada さんが *下書き* から *レビュー中* に変更しました"
    )
    assert payload == {
        "text": text,
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": text}}],
    }


def test_webhook_uses_the_repository_template(
    hook: Hook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PMCTL_TEST_WEBHOOK", hook.url)
    override = tmp_path / ".pmctl" / "templates" / "notify" / "en" / "webhook.txt.j2"
    override.parent.mkdir(parents=True)
    override.write_text("{{ postmortem_id }} is {{ to_status }}\n", encoding="utf-8")

    assert notify(webhook_settings(), transition(), root=tmp_path) == []
    assert json.loads(hook.requests[0].body) == {"text": "2026-11-23-checkout-latency is in-review"}


def test_http_500_is_a_warning_that_does_not_reveal_the_url(
    hook: Hook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PMCTL_TEST_WEBHOOK", hook.url)
    hook.status = 500
    hook.reply = b"internal_error"

    warnings = notify(webhook_settings(), review(), root=tmp_path)

    assert warnings == [
        "webhook notification not sent: webhook answered HTTP 500 Internal Server Error: "
        "internal_error (after 3 attempts)"
    ]
    assert len(hook.requests) == 3


def test_an_error_page_quoting_the_url_does_not_reveal_it(
    hook: Hook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Express answers a route it does not know with `Cannot POST <path>`: the warning
    printed the webhook's secret path, into the terminal and the CI log."""
    monkeypatch.setenv("PMCTL_TEST_WEBHOOK", hook.url + "?token=Zx9secret")
    hook.status = 404
    hook.reply = f"Cannot POST {HOOK_PATH}?token=Zx9secret".encode()

    [warning] = notify(webhook_settings(), transition(), root=tmp_path)

    assert warning.startswith("webhook notification not sent: webhook answered HTTP 404")
    assert "Cannot POST /***/***/***/***?token=***" in warning
    assert "XXXX" not in warning
    assert "Zx9secret" not in warning


def test_redirect_is_not_followed(
    hook: Hook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PMCTL_TEST_WEBHOOK", hook.url)
    hook.status = 307

    [warning] = notify(webhook_settings(), review(), root=tmp_path)

    assert "HTTP 307" in warning
    assert len(hook.requests) == 1


def test_webhook_to_a_closed_port_is_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PMCTL_TEST_WEBHOOK", f"http://127.0.0.1:{free_port()}/hook")

    [warning] = notify(webhook_settings(), transition(), root=tmp_path)

    assert warning.startswith("webhook notification not sent: webhook not reached:")
    assert "refused" in warning.lower()


def test_slow_webhook_times_out_into_a_warning(
    hook: Hook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PMCTL_TEST_WEBHOOK", hook.url)
    hook.hold = True

    settings = webhook_settings(timeout_seconds=0.2, retries=0)
    [warning] = notify(settings, transition(), root=tmp_path)

    assert "timed out" in warning


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://127.0.0.1/x", "http:///nohost"])
def test_only_http_urls_are_posted_to(
    url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PMCTL_TEST_WEBHOOK", url)

    [warning] = notify(webhook_settings(), transition(), root=tmp_path)

    assert "must be an http:// or https:// URL" in warning


@pytest.mark.parametrize(
    "url", ["http://[::1/x", "http://[secret-host]/x", "http://h:99999/x", "http://h:secret/x"]
)
def test_a_url_python_cannot_parse_is_named_without_its_parts(
    url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The warning was Python's ValueError, quoting the bad part of a secret URL."""
    monkeypatch.setenv("PMCTL_TEST_WEBHOOK", url)

    [warning] = notify(webhook_settings(retries=0), transition(), root=tmp_path)

    assert warning == (
        "webhook notification not sent: "
        "the webhook URL is not a valid URL: check its host ([...] for IPv6) and port"
    )


SECRET = "Zx9secretToken"


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        # urllib took "user:<secret>@127.0.0.1" for host and port: "nonnumeric port: '<secret>@..."
        (f"http://user:{SECRET}@127.0.0.1/x", "user name or password"),
        (f"http://user:{SECRET}@127.0.0.1:9/x", "user name or password"),
        # http.client: "URL can't contain control characters. '/services/<secret> x' ..."
        (f"http://127.0.0.1:9/services/{SECRET} x", "percent-encode"),
        (f"http://127.0.0.1:9/services/{SECRET}\tx", "percent-encode"),
        # "UnicodeEncodeError: 'ascii' codec can't encode character ..."
        (f"http://127.0.0.1:9/services/{SECRET}é", "percent-encode"),
    ],
)
def test_a_url_http_client_cannot_send_is_refused_without_quoting_it(
    url: str, reason: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PMCTL_TEST_WEBHOOK", url)

    [warning] = notify(webhook_settings(), transition(), root=tmp_path)

    assert reason in warning
    assert SECRET not in warning
    assert "(after" not in warning  # refused at once: no retry can help


def test_missing_url_variable_is_named_and_nothing_is_sent(
    hook: Hook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PMCTL_TEST_WEBHOOK", raising=False)

    warnings = notify(webhook_settings(), transition(), root=tmp_path)

    assert warnings == [
        "webhook notification not sent: environment variable PMCTL_TEST_WEBHOOK is not set"
    ]
    assert hook.requests == []


# --- both, neither, filtering -------------------------------------------------------------


def test_one_failing_channel_does_not_stop_the_other(
    hook: Hook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PMCTL_TEST_WEBHOOK", hook.url)
    settings = email_settings(free_port()).model_copy(
        update={"webhook": WebhookSettings(url_env="PMCTL_TEST_WEBHOOK")}
    )

    [warning] = notify(settings, transition(), root=tmp_path)

    assert warning.startswith("email notification not sent:")
    assert len(hook.requests) == 1


def test_no_channel_configured_sends_nothing(
    smtp_server: Mailbox, hook: Hook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PMCTL_TEST_WEBHOOK", hook.url)

    assert notify(NotifySettings(), transition(), root=tmp_path) == []
    assert notify(NotifySettings(), review(), root=tmp_path) == []
    assert smtp_server.messages == []
    assert hook.requests == []


def test_events_not_chosen_are_not_sent(
    hook: Hook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PMCTL_TEST_WEBHOOK", hook.url)
    settings = webhook_settings(events=[EventKind.REVIEW])

    assert notify(settings, transition(), root=tmp_path) == []
    assert hook.requests == []
    assert notify(settings, review(), root=tmp_path) == []
    assert len(hook.requests) == 1
