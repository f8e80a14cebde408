"""Retries of transient notification failures, counted by real servers on 127.0.0.1."""

from __future__ import annotations

import dataclasses
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from pmctl.adapters.delivery import RETRY_AFTER_CAP_SECONDS, DeliveryFailed, Retries
from pmctl.domain.config import NotifySettings
from pmctl.domain.model import Status
from pmctl.domain.project import Project
from pmctl.services import status
from pmctl.services.notify import notify
from tests.conftest import git
from tests.test_notify import (
    SMTP_PASSWORD,
    Hook,
    Mailbox,
    authenticate,
    email_settings,
    free_port,
    login_settings,
    run_hook,
    run_smtp,
    transition,
    webhook_settings,
)
from tests.test_status import ID, TODAY, write_postmortem

# --- the schedule (pure) ------------------------------------------------------------------

TRANSIENT = DeliveryFailed("busy", transient=True)


def test_the_wait_doubles_and_stops_after_the_last_retry() -> None:
    retries = Retries(count=3, backoff=0.5)

    assert [retries.wait(attempt, TRANSIENT) for attempt in (1, 2, 3, 4)] == [0.5, 1.0, 2.0, None]


def test_a_permanent_failure_is_never_retried() -> None:
    assert Retries(count=2, backoff=0.5).wait(1, DeliveryFailed("no such hook")) is None


def test_retry_after_replaces_the_backoff_up_to_the_cap() -> None:
    retries = Retries(count=2, backoff=0.5)
    asked = DeliveryFailed("slow down", transient=True, retry_after=RETRY_AFTER_CAP_SECONDS)
    too_long = DeliveryFailed("slow down", transient=True, retry_after=RETRY_AFTER_CAP_SECONDS + 1)

    assert retries.wait(1, asked) == RETRY_AFTER_CAP_SECONDS
    assert retries.wait(1, too_long) is None


# --- SMTP ---------------------------------------------------------------------------------


@pytest.fixture
def smtp_server() -> Iterator[Mailbox]:
    yield from run_smtp()


@dataclasses.dataclass
class Greylist(Mailbox):
    """Answers 450 to every recipient of the first `refusals` attempts (greylisting)."""

    refusals: int = 0
    rcpt_attempts: int = 0

    async def handle_RCPT(
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        address: str,
        rcpt_options: list[str],
    ) -> str:
        self.rcpt_attempts += 1
        if self.refusals * 2 >= self.rcpt_attempts:  # two recipients per attempt
            return "450 4.2.0 Greylisted, please try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"


def test_smtp_4xx_twice_then_accepted_is_delivered_on_the_third_attempt(
    smtp_server: Mailbox, tmp_path: Path
) -> None:
    smtp_server.failures = ["451 4.3.0 Try again later", "421 4.7.0 Too busy"]

    assert notify(email_settings(smtp_server.port), transition(), root=tmp_path) == []

    [message] = smtp_server.messages
    # The same message each time: a duplicate delivery could be recognised.
    assert smtp_server.attempts == [message["Message-ID"]] * 3


def test_greylisted_recipients_are_retried(tmp_path: Path) -> None:
    greylist = Greylist(port=free_port(), refusals=1)
    controller = Controller(greylist, hostname="127.0.0.1", port=greylist.port)
    controller.start()
    try:
        assert notify(email_settings(greylist.port), transition(), root=tmp_path) == []
    finally:
        controller.stop()

    assert greylist.rcpt_attempts == 4
    assert len(greylist.messages) == 1


def test_smtp_always_4xx_gives_up_after_the_retries(smtp_server: Mailbox, tmp_path: Path) -> None:
    smtp_server.failures = ["451 4.3.0 Try again later"] * 10

    [warning] = notify(email_settings(smtp_server.port), transition(), root=tmp_path)

    assert len(smtp_server.attempts) == 3
    assert warning == (
        f"email notification not sent: SMTP server 127.0.0.1:{smtp_server.port} answered "
        "451 4.3.0 Try again later (after 3 attempts)"
    )


def test_smtp_5xx_is_permanent_and_tried_once(smtp_server: Mailbox, tmp_path: Path) -> None:
    smtp_server.failures = ["554 5.7.1 Message rejected"] * 3

    [warning] = notify(email_settings(smtp_server.port), transition(), root=tmp_path)

    assert len(smtp_server.attempts) == 1
    assert warning.endswith("answered 554 5.7.1 Message rejected")


def test_retries_zero_tries_once(smtp_server: Mailbox, tmp_path: Path) -> None:
    smtp_server.failures = ["451 4.3.0 Try again later"] * 3
    settings = email_settings(smtp_server.port).model_copy(update={"retries": 0})

    [warning] = notify(settings, transition(), root=tmp_path)

    assert len(smtp_server.attempts) == 1
    assert "attempts" not in warning


def test_a_refused_login_is_never_retried(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    clients: set[object] = set()  # smtplib tries PLAIN then LOGIN on one connection

    def counting(server: SMTP, session: Session, *args: Any) -> Any:
        clients.add(session.peer)
        return authenticate(server, session, *args)

    for server in run_smtp(authenticator=counting, auth_require_tls=False):
        settings = login_settings(server.port, monkeypatch, password="wrong")
        [warning] = notify(settings, transition(), root=tmp_path)
        assert "535" in warning
        assert len(clients) == 1
        assert SMTP_PASSWORD not in warning


class Listener:
    """A TCP server on 127.0.0.1 that counts connections and closes them or keeps them mute."""

    def __init__(self, *, mute: bool) -> None:
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.port: int = self.socket.getsockname()[1]
        self.accepted: list[socket.socket] = []
        self.mute = mute
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self.socket.accept()
            except OSError:
                return  # closed by the test
            self.accepted.append(connection)
            if not self.mute:
                connection.close()

    def close(self) -> None:
        self.socket.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept(); close() alone does not
        self.socket.close()
        self.thread.join(5)
        for connection in self.accepted:
            connection.close()


@pytest.fixture
def dropping() -> Iterator[Listener]:
    listener = Listener(mute=False)
    yield listener
    listener.close()


@pytest.fixture
def mute() -> Iterator[Listener]:
    listener = Listener(mute=True)
    yield listener
    listener.close()


def test_a_dropped_smtp_connection_is_retried(dropping: Listener, tmp_path: Path) -> None:
    [warning] = notify(email_settings(dropping.port), transition(), root=tmp_path)

    assert len(dropping.accepted) == 3
    assert "Connection unexpectedly closed" in warning
    assert warning.endswith("(after 3 attempts)")


def test_an_smtp_timeout_is_retried(mute: Listener, tmp_path: Path) -> None:
    settings = email_settings(mute.port).model_copy(update={"timeout_seconds": 0.2, "retries": 1})

    [warning] = notify(settings, transition(), root=tmp_path)

    assert len(mute.accepted) == 2
    assert "timed out" in warning
    assert warning.endswith("(after 2 attempts)")


def test_a_refused_connection_is_retried(tmp_path: Path) -> None:
    [warning] = notify(email_settings(free_port()), transition(), root=tmp_path)

    assert "refused" in warning.lower()
    assert warning.endswith("(after 3 attempts)")


# --- webhook ------------------------------------------------------------------------------


@pytest.fixture
def hook(monkeypatch: pytest.MonkeyPatch) -> Iterator[Hook]:
    for server in run_hook():
        monkeypatch.setenv("PMCTL_TEST_WEBHOOK", server.url)
        yield server


def test_webhook_503_429_and_a_dropped_connection_are_retried(hook: Hook, tmp_path: Path) -> None:
    hook.failures = [503, None, 429]
    hook.headers = {"Retry-After": "0"}

    assert notify(webhook_settings(retries=3), transition(), root=tmp_path) == []

    assert len(hook.requests) == 4
    assert len({request.body for request in hook.requests}) == 1  # the same message each time


def test_webhook_always_failing_gives_up_after_the_retries(hook: Hook, tmp_path: Path) -> None:
    hook.status = 502

    [warning] = notify(webhook_settings(), transition(), root=tmp_path)

    assert len(hook.requests) == 3
    assert warning == (
        "webhook notification not sent: webhook answered HTTP 502 Bad Gateway: ok "
        "(after 3 attempts)"
    )


@pytest.mark.parametrize("code", [400, 403, 404, 410])
def test_webhook_4xx_other_than_429_is_tried_once(hook: Hook, tmp_path: Path, code: int) -> None:
    hook.status = code

    [warning] = notify(webhook_settings(), transition(), root=tmp_path)

    assert len(hook.requests) == 1
    assert f"HTTP {code}" in warning


@pytest.mark.parametrize(
    ("retry_after", "asked"),
    [("3600", "3600 s"), ("Fri, 01 Jan 2100 00:00:00 GMT", "")],
)
def test_a_retry_after_longer_than_the_cap_is_not_waited_for(
    hook: Hook, tmp_path: Path, retry_after: str, asked: str
) -> None:
    hook.status = 429
    hook.headers = {"Retry-After": retry_after}

    [warning] = notify(webhook_settings(), transition(), root=tmp_path)

    assert len(hook.requests) == 1
    assert "HTTP 429" in warning
    assert f"the server asked to retry after {asked}" in warning
    assert f"longer than pmctl waits ({RETRY_AFTER_CAP_SECONDS:g} s)" in warning


# --- the commit stands ----------------------------------------------------------------------


def test_a_channel_that_always_fails_leaves_the_transition_committed(
    repo: Project, smtp_server: Mailbox
) -> None:
    smtp_server.failures = ["451 4.3.0 Try again later"] * 10
    channel = email_settings(smtp_server.port)
    project = dataclasses.replace(
        repo, settings=repo.settings.model_copy(update={"notify": channel})
    )
    write_postmortem(project)

    moved = status.move(project, ID, Status.IN_REVIEW, today=TODAY)

    assert len(smtp_server.attempts) == NotifySettings().retries + 1
    [warning] = moved.warnings
    assert warning.startswith("email notification not sent:")
    assert moved.commit is not None
    assert moved.commit.sha == git(repo.root, "rev-parse", "HEAD").strip()
    assert "Pmctl-Transition: draft->in-review" in git(repo.root, "log", "-1", "--format=%B")
    assert git(repo.root, "status", "--porcelain") == ""
