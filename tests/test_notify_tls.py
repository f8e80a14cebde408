"""SMTP over TLS against real aiosmtpd servers on 127.0.0.1 with certificates made for the test.

A test CA and a server certificate for IP 127.0.0.1 are made once per session with the
`openssl` command, so the tests exercise real handshakes and real certificate verification.
"""

from __future__ import annotations

import dataclasses
import shutil
import ssl
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pmctl.adapters.config_file import read_settings
from pmctl.domain.config import CONFIG_FILE, EmailSettings, NotifySettings, SmtpTls
from pmctl.domain.project import Project
from pmctl.services.notify import notify
from tests.conftest import git, run_cli
from tests.test_notify import (
    BACKOFF,
    TIMEOUT,
    Mailbox,
    authenticate,
    login_settings,
    run_smtp,
    transition,
)
from tests.test_status import ID, write_postmortem

CA_FILE = "certs/internal-ca.pem"


@dataclasses.dataclass(frozen=True)
class Pki:
    ca: Path
    certificate: Path
    key: Path

    def server_context(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.certificate, self.key)
        return context


def _openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    """A CA and a server certificate for 127.0.0.1 that it signed (EC P-256, two days)."""
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is needed to make the test certificates")
    where = tmp_path_factory.mktemp("pki")
    key = ("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes")
    _openssl(
        "req", "-x509", *key, "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
        "-subj", "/CN=pmctl test CA",
        "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign",
        cwd=where,
    )  # fmt: skip
    _openssl(
        "req", "-new", *key, "-keyout", "server.key", "-out", "server.csr",
        "-subj", "/CN=127.0.0.1",
        cwd=where,
    )  # fmt: skip
    (where / "server.ext").write_text(
        "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n", encoding="utf-8"
    )
    _openssl(
        "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
        "-set_serial", "1", "-days", "2", "-extfile", "server.ext", "-out", "server.pem",
        cwd=where,
    )  # fmt: skip
    return Pki(ca=where / "ca.pem", certificate=where / "server.pem", key=where / "server.key")


@pytest.fixture
def smtps(pki: Pki) -> Iterator[Mailbox]:
    """Implicit TLS (SMTPS): TLS from the first byte."""
    yield from run_smtp(ssl_context=pki.server_context())


@pytest.fixture
def submission(pki: Pki) -> Iterator[Mailbox]:
    """STARTTLS required before anything else, login only over TLS."""
    yield from run_smtp(
        tls_context=pki.server_context(),
        require_starttls=True,
        authenticator=authenticate,
        auth_require_tls=True,
    )


def trusting(root: Path, pki: Pki) -> str:
    """Copy the test CA into the repository at `root`; its path relative to `root`."""
    (root / CA_FILE).parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(pki.ca, root / CA_FILE)
    return CA_FILE


def settings(port: int, **email: Any) -> NotifySettings:
    channel = EmailSettings(
        host="127.0.0.1", port=port, sender="pm@example.com", to=["a@b.c"], **email
    )
    return NotifySettings(email=channel, timeout_seconds=TIMEOUT, retry_backoff_seconds=BACKOFF)


def test_implicit_tls_with_the_teams_ca_delivers(smtps: Mailbox, pki: Pki, tmp_path: Path) -> None:
    ca_file = trusting(tmp_path, pki)

    warnings = notify(
        settings(smtps.port, tls="implicit", ca_file=ca_file), transition(), root=tmp_path
    )

    assert warnings == []
    assert smtps.encrypted == [True]


def test_starttls_with_login_delivers(
    submission: Mailbox, pki: Pki, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain = login_settings(submission.port, monkeypatch, password="s3cret")
    assert plain.email is not None
    email = plain.email.model_copy(
        update={"tls": SmtpTls.STARTTLS, "ca_file": trusting(tmp_path, pki)}
    )

    warnings = notify(plain.model_copy(update={"email": email}), transition(), root=tmp_path)

    assert warnings == []
    assert submission.encrypted == [True]


def test_the_older_starttls_key_still_upgrades_the_connection(
    submission: Mailbox, pki: Pki, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / CONFIG_FILE).write_text(
        "[notify]\nretry_backoff_seconds = 0\n\n"
        f'[notify.email]\nhost = "127.0.0.1"\nport = {submission.port}\nstarttls = true\n'
        f'ca_file = "{trusting(tmp_path, pki)}"\nsender = "pm@example.com"\nto = ["a@b.c"]\n'
        'username_env = "PMCTL_SMTP_USER"\npassword_env = "PMCTL_SMTP_PASSWORD"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("PMCTL_SMTP_USER", "pmctl-bot")
    monkeypatch.setenv("PMCTL_SMTP_PASSWORD", "s3cret")

    warnings = notify(read_settings(tmp_path / CONFIG_FILE).notify, transition(), root=tmp_path)

    assert warnings == []
    assert submission.encrypted == [True]


@pytest.mark.parametrize("tls", ["implicit", "starttls"])
def test_an_untrusted_certificate_is_a_warning_and_nothing_is_sent(
    pki: Pki, tmp_path: Path, tls: str
) -> None:
    # Without ca_file only the system's trust store counts, and it does not know the test CA.
    context = {"implicit": "ssl_context", "starttls": "tls_context"}[tls]
    for server in run_smtp(**{context: pki.server_context()}):
        [warning] = notify(settings(server.port, tls=tls), transition(), root=tmp_path)

        assert warning == (
            f"email notification not sent: SMTP server 127.0.0.1:{server.port}: "
            "TLS certificate verify failed: unable to get local issuer certificate"
        )
        assert server.messages == []
        assert server.attempts == []


def test_implicit_tls_to_a_plain_smtp_server_is_a_warning(pki: Pki, tmp_path: Path) -> None:
    for server in run_smtp():
        [warning] = notify(
            settings(server.port, tls="implicit", ca_file=trusting(tmp_path, pki)),
            transition(),
            root=tmp_path,
        )

        assert warning == (
            f"email notification not sent: SMTP server 127.0.0.1:{server.port}: "
            "TLS handshake failed (WRONG_VERSION_NUMBER); tls = 'implicit' needs a port that "
            "speaks TLS from the start (SMTPS, often 465)"
        )
        assert server.messages == []


def test_a_missing_ca_file_is_a_warning(smtps: Mailbox, tmp_path: Path) -> None:
    [warning] = notify(
        settings(smtps.port, tls="implicit", ca_file="no/such.pem"), transition(), root=tmp_path
    )

    assert warning.startswith(
        f"email notification not sent: CA file {tmp_path / 'no/such.pem'} not usable:"
    )
    assert smtps.messages == []


def test_pmctl_status_keeps_its_commit_when_the_certificate_is_untrusted(
    repo: Project, smtps: Mailbox
) -> None:
    config = repo.root / CONFIG_FILE
    with config.open("a", encoding="utf-8") as toml:
        toml.write(
            "\n[notify]\nretries = 0\n\n"
            f'[notify.email]\nhost = "127.0.0.1"\nport = {smtps.port}\ntls = "implicit"\n'
            'sender = "pm@example.com"\nto = ["sre@example.com"]\n'
        )
    git(repo.root, "commit", "--quiet", "-m", "notify by SMTPS", "--", CONFIG_FILE)
    write_postmortem(repo)
    before = git(repo.root, "rev-parse", "HEAD").strip()

    result = run_cli(repo.root, "status", ID, "in-review")

    assert result.returncode == 0, result.stderr
    assert "warning: email notification not sent:" in result.stderr
    assert "certificate verify failed" in result.stderr
    assert git(repo.root, "rev-parse", "HEAD~1").strip() == before
    assert "Pmctl-Transition: draft->in-review" in git(repo.root, "log", "-1", "--format=%B")
    assert git(repo.root, "status", "--porcelain") == ""
    assert smtps.messages == []
