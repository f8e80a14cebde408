"""Sending one UTF-8 e-mail over SMTP (stdlib `smtplib`)."""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from pmctl.adapters.delivery import DeliveryFailed, is_transient
from pmctl.domain.config import SmtpTls
from pmctl.domain.visible_text import folded


@dataclass(frozen=True, slots=True, kw_only=True)
class Server:
    """Where and how to connect. `login` is (user, password) or None for no AUTH.

    With TLS the certificate and host name are verified against `ca_file` (PEM) if given,
    else against the system's trust store.
    """

    host: str
    port: int
    tls: SmtpTls
    ca_file: Path | None
    login: tuple[str, str] | None
    timeout: float


def send(server: Server, message: EmailMessage) -> None:
    """Send `message` to its recipients; `DeliveryFailed` if any is not accepted.

    `server.timeout` bounds connecting and every reply. A failure that may clear up by
    itself is marked `transient`; the caller decides whether to try again.
    """
    where = f"{server.host}:{server.port}"
    try:
        refused = _dialogue(server, message)
    except (OSError, UnicodeEncodeError) as error:  # smtplib's and ssl's errors are OSErrors
        raise _failure(error, where, server.tls) from None
    if refused:
        # Not retried: the accepted recipients would get the message twice.
        refusals = ", ".join(f"{to} ({_reply(*reply)})" for to, reply in sorted(refused.items()))
        raise DeliveryFailed(f"SMTP server {where} refused: {refusals}")


def _dialogue(server: Server, message: EmailMessage) -> dict[str, tuple[int, bytes]]:
    """Connect, secure, log in and send; the recipients the server refused."""
    context = _tls_context(server.ca_file) if server.tls is not SmtpTls.NONE else None
    with _connect(server, context) as client:
        if server.tls is SmtpTls.STARTTLS:
            client.starttls(context=context)
        if server.login is not None:
            client.login(*server.login)
        return client.send_message(message)


def _failure(error: OSError | UnicodeEncodeError, where: str, tls: SmtpTls) -> DeliveryFailed:
    """What went wrong, in words, and whether trying again may help (most specific first)."""
    match error:
        case smtplib.SMTPNotSupportedError():
            return DeliveryFailed(f"SMTP server {where} does not support {error}")
        case smtplib.SMTPAuthenticationError():
            # Never retried, even on a 4xx: repeated failed logins can lock the account.
            reply = _reply(error.smtp_code, error.smtp_error)
            return DeliveryFailed(f"SMTP login to {where} was refused ({reply})")
        case smtplib.SMTPRecipientsRefused():
            return DeliveryFailed(
                f"SMTP server {where} refused every recipient: "
                + ", ".join(f"{to} ({_reply(*reply)})" for to, reply in error.recipients.items()),
                # Greylisting and full mailboxes answer 450/451/452.
                transient=all(_temporary(code) for code, _ in error.recipients.values()),
            )
        case smtplib.SMTPResponseException():
            return DeliveryFailed(
                f"SMTP server {where} answered {_reply(error.smtp_code, error.smtp_error)}",
                transient=_temporary(error.smtp_code),
            )
        case smtplib.SMTPServerDisconnected():
            # Also how smtplib reports a reply that timed out.
            return DeliveryFailed(f"SMTP server {where}: {error}", transient=True)
        case ssl.SSLCertVerificationError():
            return DeliveryFailed(
                f"SMTP server {where}: TLS certificate verify failed: {error.verify_message}"
            )
        case ssl.SSLError():
            return DeliveryFailed(
                f"SMTP server {where}: TLS handshake failed ({error.reason or error})"
                + _handshake_hint(tls)
            )
        case UnicodeEncodeError():
            # smtplib sends AUTH PLAIN/LOGIN credentials as ASCII only.
            return DeliveryFailed(
                f"SMTP login to {where}: smtplib accepts only ASCII user names and passwords"
            )
        case smtplib.SMTPException():
            return DeliveryFailed(f"SMTP server {where}: {error or type(error).__name__}")
        case _:
            # Connection refused, DNS failure, timeout.
            return DeliveryFailed(
                f"SMTP server {where}: {error or type(error).__name__}",
                transient=is_transient(error),
            )


def _handshake_hint(tls: SmtpTls) -> str:
    # The usual cause: TLS spoken to a port that expects plain SMTP (e.g. 587, 25).
    if tls is SmtpTls.IMPLICIT:
        return "; tls = 'implicit' needs a port that speaks TLS from the start (SMTPS, often 465)"
    return ""


def _tls_context(ca_file: Path | None) -> ssl.SSLContext:
    if ca_file is None:
        return ssl.create_default_context()
    try:
        return ssl.create_default_context(cafile=ca_file)
    except (OSError, ssl.SSLError) as error:
        raise DeliveryFailed(f"CA file {ca_file} not usable: {error}") from None


def _connect(server: Server, context: ssl.SSLContext | None) -> smtplib.SMTP:
    if server.tls is SmtpTls.IMPLICIT:
        return smtplib.SMTP_SSL(server.host, server.port, timeout=server.timeout, context=context)
    return smtplib.SMTP(server.host, server.port, timeout=server.timeout)


def compose(*, sender: str, to: list[str], subject: str, body: str) -> EmailMessage:
    """A plain-text message. Subject and body may hold any Unicode: headers are RFC 2047-encoded
    and the body is UTF-8, so Japanese arrives intact. Composed once and sent as often as
    needed, so that every attempt carries the same Message-ID (a duplicate can be recognised).
    """
    message = EmailMessage()
    message["From"] = sender
    message["To"] = ", ".join(to)
    # One line: a title with a carriage return (YAML's "\r") made `email` refuse the header,
    # and the message was not sent.
    message["Subject"] = folded(subject)
    message["Date"] = formatdate(localtime=True)
    # The sender's domain, because the default (socket.getfqdn) can stall on DNS.
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or "pmctl.invalid")
    message.set_content(body, charset="utf-8")
    return message


def _temporary(code: int) -> bool:
    # SMTP's transient negative completion replies (RFC 5321 4.2.1); 5xx are permanent.
    return 400 <= code < 500


def _reply(code: int, text: bytes | str) -> str:
    decoded = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    return f"{code} {decoded}".strip()
