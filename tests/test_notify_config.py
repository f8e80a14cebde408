"""`[notify]` in pmctl.toml: channels, events, and secrets only by the name of a variable."""

from __future__ import annotations

from pathlib import Path

import pytest

from pmctl.adapters.config_file import read_settings
from pmctl.domain.config import SmtpTls
from pmctl.domain.enums import EventKind
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
    error = refused(path)
    assert "unknown key 'notify.webhook.url'" in error.message
    assert error.hint == "did you mean 'url_env'?"


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


# --- TLS ----------------------------------------------------------------------------------


def email_security(tmp_path: Path, keys: str) -> SmtpTls:
    email = read_settings(write(tmp_path, EMAIL + keys)).notify.email
    assert email is not None
    return email.security


@pytest.mark.parametrize(
    ("keys", "security"),
    [
        ("", SmtpTls.NONE),
        ("starttls = false\n", SmtpTls.NONE),
        ("starttls = true\n", SmtpTls.STARTTLS),
        ('tls = "starttls"\n', SmtpTls.STARTTLS),
        ('tls = "implicit"\n', SmtpTls.IMPLICIT),
        ('tls = "none"\n', SmtpTls.NONE),
        # Both keys are fine while they agree: false only says "no STARTTLS".
        ('starttls = true\ntls = "starttls"\n', SmtpTls.STARTTLS),
        ('starttls = false\ntls = "implicit"\n', SmtpTls.IMPLICIT),
    ],
)
def test_tls_and_the_older_starttls_key(tmp_path: Path, keys: str, security: SmtpTls) -> None:
    assert email_security(tmp_path, keys) is security


@pytest.mark.parametrize(
    ("keys", "tls_line", "contradiction"),
    [
        ('starttls = true\ntls = "implicit"\n', 5, "tls = 'implicit' contradicts starttls = true"),
        ('tls = "none"\nstarttls = true\n', 4, "tls = 'none' contradicts starttls = true"),
        (
            'starttls = false\ntls = "starttls"\n',
            5,
            "tls = 'starttls' contradicts starttls = false",
        ),
    ],
)
def test_tls_contradicting_starttls_is_an_error_on_the_tls_line(
    tmp_path: Path, keys: str, tls_line: int, contradiction: str
) -> None:
    path = write(tmp_path, EMAIL + keys)

    error = refused(path)

    assert "'notify.email.tls'" in error.message
    assert contradiction in error.message
    assert "remove starttls" in error.message
    assert error.location == f"{path}:{tls_line}"


def test_an_unknown_tls_mode_names_the_choices(tmp_path: Path) -> None:
    error = refused(write(tmp_path, EMAIL + 'tls = "ssl"\n'))
    assert "'notify.email.tls'" in error.message
    assert "'none', 'starttls' or 'implicit'" in error.message


def test_ca_file_is_read_and_needs_tls(tmp_path: Path) -> None:
    email = read_settings(
        write(tmp_path, EMAIL + 'tls = "implicit"\nca_file = "certs/ca.pem"\n')
    ).notify.email
    assert email is not None
    assert email.ca_file == "certs/ca.pem"

    path = write(tmp_path, EMAIL + 'ca_file = "certs/ca.pem"\n')
    error = refused(path)
    assert "ca_file is only used with tls = 'starttls' or 'implicit'" in error.message
    assert error.location == f"{path}:4"


# --- retries ------------------------------------------------------------------------------


def test_retries_default_and_are_read(tmp_path: Path) -> None:
    default = read_settings(write(tmp_path, "")).notify
    assert (default.retries, default.retry_backoff_seconds) == (2, 0.5)

    notify = read_settings(
        write(tmp_path, "[notify]\nretries = 0\nretry_backoff_seconds = 0.1\n")
    ).notify
    assert (notify.retries, notify.retry_backoff_seconds) == (0, 0.1)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("[notify]\nretries = -1\n", "notify.retries"),
        ("[notify]\nretries = 6\n", "notify.retries"),
        ("[notify]\nretry_backoff_seconds = 6\n", "notify.retry_backoff_seconds"),
    ],
)
def test_unbounded_retries_are_refused(tmp_path: Path, text: str, key: str) -> None:
    error = refused(write(tmp_path, text))
    assert f"'{key}'" in error.message
    assert error.location == f"{tmp_path / 'pmctl.toml'}:2"


# --- apprise ------------------------------------------------------------------------------


def test_apprise_channels_are_named_by_their_variables(tmp_path: Path) -> None:
    notify = read_settings(
        write(tmp_path, '[notify.apprise]\nurls_env = ["PMCTL_TEAMS_URL", "PMCTL_DISCORD_URL"]\n')
    ).notify

    assert notify.apprise is not None
    assert notify.apprise.urls_env == ["PMCTL_TEAMS_URL", "PMCTL_DISCORD_URL"]
    assert notify.configured


def test_an_apprise_url_in_the_file_is_refused_with_the_env_key_suggested(tmp_path: Path) -> None:
    path = write(tmp_path, '[notify.apprise]\nurls = ["msteams://team/token-a/token-b"]\n')

    error = refused(path)

    assert "notify.apprise.urls" in error.message
    assert error.hint == "did you mean 'urls_env'?"
    assert error.location == f"{path}:2"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("[notify.apprise]\nurls_env = []\n", "at least 1 item"),
        ('[notify.apprise]\nurls_env = ["A", "B", "A"]\n', "A appears more than once"),
    ],
)
def test_apprise_variables_are_checked(tmp_path: Path, text: str, problem: str) -> None:
    error = refused(write(tmp_path, text))

    assert "'notify.apprise.urls_env'" in error.message
    assert problem in error.message


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("[notify.webhook]\nurl_env = {secret}\n", "notify.webhook.url_env"),
        ("[notify.apprise]\nurls_env = [{secret}]\n", "notify.apprise.urls_env.0"),
        (
            EMAIL + 'username_env = "PMCTL_SMTP_USER"\npassword_env = {secret}\n',
            "notify.email.password_env",
        ),
        (
            EMAIL + 'username_env = {secret}\npassword_env = "PMCTL_SMTP_PASSWORD"\n',
            "notify.email.username_env",
        ),
    ],
)
@pytest.mark.parametrize(
    "secret", ["https://hooks.slack.com/services/T0/B0/Zx9sec", "hunter2!", ""]
)
def test_an_env_key_holding_the_secret_instead_of_a_name_is_refused_without_quoting_it(
    tmp_path: Path, text: str, key: str, secret: str
) -> None:
    """`url_env = "https://hooks..."` was taken for a variable's name, and every transition
    then warned "environment variable https://hooks.slack.com/... is not set"."""
    path = write(tmp_path, text.format(secret=f'"{secret}"'))

    error = refused(path)

    assert f"'{key}': must be the name of an environment variable" in error.message
    assert not secret or secret not in f"{error.message} {error.hint}"
    line = text[: text.index("{secret}")].count("\n") + 1
    assert error.location == f"{path}:{line}"
