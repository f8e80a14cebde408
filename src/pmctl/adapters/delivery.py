"""How notification channels fail, bounding each attempt in time, and retrying the failures
that may clear up by themselves.

`DeliveryFailed` is deliberately not a `PmctlError`: a notification is sent after the change is
committed, so its failure never reaches the user as an error with an exit code, only as a
warning.
"""

from __future__ import annotations

import socket
import ssl
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

# A server asking for a longer wait (Retry-After) is not retried: a command line tool should
# not sit idle for minutes after the change is already committed.
RETRY_AFTER_CAP_SECONDS = 5.0
# Shorter parts of a URL (a port, "api", "v1") are not worth hiding, and hiding them would
# blank out ordinary words of the reason.
_SECRET_MIN_CHARS = 4


class DeliveryFailed(Exception):
    """A notification was not delivered; the message says why, without any secret in it.

    `transient`: trying again soon may succeed (a 4xx SMTP reply, a refused or dropped
    connection, a timeout, HTTP 429 or 5xx). `retry_after`: the wait in seconds that the
    server asked for, if it did.
    """

    def __init__(
        self, message: str, *, transient: bool = False, retry_after: float | None = None
    ) -> None:
        super().__init__(message)
        self.transient = transient
        self.retry_after = retry_after


def is_transient(error: OSError) -> bool:
    """Whether a network error may clear up by itself within seconds.

    A refused, reset or dropped connection, a timeout and a temporary DNS failure may; a TLS
    failure (an untrusted certificate), an unknown host or an unreachable network do not.
    """
    if isinstance(error, ssl.SSLError):
        return False
    if isinstance(error, socket.gaierror):
        return error.errno == socket.EAI_AGAIN
    return isinstance(error, ConnectionError | TimeoutError)


def without_secrets(text: str, url: str) -> str:
    """`text` (a server's or a library's words about sending to `url`) with every part of
    the URL that may be a secret (the whole URL, user, password, each step of the path,
    query values, fragment) replaced by `***`."""
    parts = urllib.parse.urlsplit(url)
    secrets = {url, parts.username or "", parts.password or "", parts.fragment}
    secrets.update(parts.path.split("/"))
    for _, value in urllib.parse.parse_qsl(parts.query):
        secrets.add(value)
    for secret in sorted(secrets, key=len, reverse=True):
        if len(secret) >= _SECRET_MIN_CHARS:
            text = text.replace(secret, "***")
    return text


def bounded(send: Callable[[], None], *, seconds: float, what: str) -> None:
    """`send()`, stopped after `seconds` of wall time whatever the server does.

    Raises what `send` raises as a `DeliveryFailed`; running out of time is a transient
    failure named after `what` (e.g. `SMTP server host:port`). Anything else that `send`
    raises becomes a permanent `DeliveryFailed` saying `TypeName: message`.
    """
    from pmctl.adapters.deadline import ChildFailed, DeadlinePassed, within

    try:
        failure = within(seconds, partial(_failure, send))
    except DeadlinePassed:
        raise DeliveryFailed(
            f"{what}: no complete answer within {seconds:g} s (timed out)", transient=True
        ) from None
    except ChildFailed as error:
        raise DeliveryFailed(str(error)) from None
    if failure is not None:
        message, transient, retry_after = failure
        raise DeliveryFailed(message, transient=transient, retry_after=retry_after)


def _failure(send: Callable[[], None]) -> tuple[str, bool, float | None] | None:
    # Plain data, to cross from the child that sends to the process that waits.
    try:
        send()
    except DeliveryFailed as error:
        return str(error), error.transient, error.retry_after
    return None


@dataclass(frozen=True, slots=True, kw_only=True)
class Retries:
    """Up to `count` retries of a transient failure, `backoff` seconds before the first.

    The wait doubles before each next retry (0.5 s, 1 s, ...), unless the server asked for a
    wait with Retry-After: that is honoured up to `RETRY_AFTER_CAP_SECONDS`, and a longer
    one ends the retries. So the wait before retry k is at most
    `max(backoff * 2**(k - 1), RETRY_AFTER_CAP_SECONDS)`.
    """

    count: int
    backoff: float

    def run(self, send: Callable[[], None]) -> None:
        """Call `send` until it returns, fails for good, or has been tried `count + 1` times.

        Raises the last `DeliveryFailed`; after more than one attempt its message says how
        many were made.
        """
        attempt = 1
        while True:
            try:
                send()
            except DeliveryFailed as error:
                wait = self.wait(attempt, error)
                if wait is None:
                    raise _final(error, attempt) from None
                time.sleep(wait)
                attempt += 1
            else:
                return

    def wait(self, attempt: int, error: DeliveryFailed) -> float | None:
        """Seconds to wait after failed attempt number `attempt` (from 1); None: give up."""
        if not error.transient or attempt > self.count:
            return None
        if error.retry_after is None:
            return float(self.backoff * 2 ** (attempt - 1))
        return error.retry_after if error.retry_after <= RETRY_AFTER_CAP_SECONDS else None


def _final(error: DeliveryFailed, attempt: int) -> DeliveryFailed:
    notes = []
    if attempt > 1:
        notes.append(f"after {attempt} attempts")
    if error.transient and (error.retry_after or 0) > RETRY_AFTER_CAP_SECONDS:
        notes.append(
            f"the server asked to retry after {error.retry_after:g} s, "
            f"longer than pmctl waits ({RETRY_AFTER_CAP_SECONDS:g} s)"
        )
    if not notes:
        return error
    return DeliveryFailed(f"{error} ({'; '.join(notes)})")
