"""`[notify]` in pmctl.toml: channels, events, and secrets only by the name of a variable."""

from __future__ import annotations

from pathlib import Path

import pytest

from pmctl.adapters.config_file import read_settings
from pmctl.domain.events import EventKind
from pmctl.errors import ConfigError

FULL = """\
[notify]
events = ["review"]
timeout_seconds = 3

[notify.email]
host = "smtp.example.com"
port = 587
starttls = true
sender = "pmctl@example.com"
to = ["sre@example.com"]
username_env = "PMCTL_SMTP_USER"
password_env = "PMCTL_SMTP_PASSWORD"

[notify.webhook]
url_env = "PMCTL_WEBHOOK_URL"
blocks = true
"""


EMAIL = '[notify.email]\nsender = "a@b.c"\nto = ["x@y.z"]\n'


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "pmctl.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_every_notify_key_is_read(tmp_path: Path) -> None:
    notify = read_settings(write(tmp_path, FULL)).notify

    assert notify.events == [EventKind.REVIEW]
    assert notify.timeout_seconds == 3
    assert notify.email is not None
    assert (notify.email.host, notify.email.port, notify.email.starttls) == (
        "smtp.example.com",
        587,
        True,
    )
    assert notify.email.password_env == "PMCTL_SMTP_PASSWORD"
    assert notify.webhook is not None
    assert notify.webhook.url_env == "PMCTL_WEBHOOK_URL"
    assert notify.webhook.blocks


def test_notifications_are_off_by_default(tmp_path: Path) -> None:
    notify = read_settings(write(tmp_path, "")).notify

    assert notify.email is None
    assert notify.webhook is None
    assert set(notify.events) == {EventKind.TRANSITION, EventKind.REVIEW}


def refused(path: Path) -> ConfigError:
    with pytest.raises(ConfigError) as raised:
        read_settings(path)
    return raised.value


def test_a_password_in_the_file_is_refused_with_the_env_key_suggested(tmp_path: Path) -> None:
    path = write(tmp_path, EMAIL + 'password = "hunter2"\n')
    error = refused(path)
    assert "notify.email.password" in error.message
    assert error.hint == "did you mean 'password_env'?"
    assert error.location == f"{path}:4"


def test_a_webhook_url_in_the_file_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, '[notify.webhook]\nurl = "https://hooks.slack.com/services/T/B/X"\n')
    assert "notify.webhook.url" in refused(path).message


def test_a_user_without_a_password_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, EMAIL + 'username_env = "SMTP_USER"\n')
    assert "set both username_env and password_env" in refused(path).message


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('[notify]\nevents = ["merge"]\n', "notify.events.0"),
        ("[notify]\ntimeout_seconds = 0\n", "notify.timeout_seconds"),
        ('[notify.email]\nsender = "a@b.c"\nto = []\n', "notify.email.to"),
    ],
)
def test_invalid_values_name_the_key(tmp_path: Path, text: str, key: str) -> None:
    assert f"'{key}'" in refused(write(tmp_path, text)).message
