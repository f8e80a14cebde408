"""Posting JSON to a chat webhook (stdlib `urllib.request`)."""

from __future__ import annotations

import email.utils
import http.client
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime
from http import HTTPStatus
from typing import Any

from pmctl import __version__
from pmctl.adapters.delivery import DeliveryFailed, is_transient, without_secrets

_ERROR_BODY_CHARS = 200
# What http.client refuses in a URL, quoting the URL (a secret) in its message: a blank or
# control character anywhere (urlsplit silently drops tabs and line breaks, http.client
# does not).
_UNSENDABLE = re.compile(r"[\x00-\x20\x7f]")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # A redirect would resend (or drop) the payload somewhere the config did not name.
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def post_json(url: str, payload: dict[str, Any], *, timeout: float) -> None:
    """POST `payload` as UTF-8 JSON to an http(s) `url`; `DeliveryFailed` unless it answers 2xx.

    The URL of a chat webhook is a secret, so no message names it. Redirects are not followed.
    """
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018 (raises ValueError for a port that is no number of 0-65535)
    except ValueError:  # Python's words quote the bad part of the URL, which is a secret
        raise DeliveryFailed(
            "the webhook URL is not a valid URL: check its host ([...] for IPv6) and port"
        ) from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise DeliveryFailed("the webhook URL must be an http:// or https:// URL with a host")
    _check_sendable(url.strip(), parts)
    request = urllib.request.Request(
        url,
        data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": f"pmctl/{__version__}",
        },
    )
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=timeout) as response:
            response.read()
    except urllib.error.HTTPError as error:
        # Servers quote the path they were asked for ("Cannot POST /services/T0/B0/X"), and
        # the path of a webhook is its secret.
        body = error.read(_ERROR_BODY_CHARS).decode("utf-8", "replace").strip()
        detail = without_secrets(body, url)
        # Rate limited or a server-side failure: worth another try; other answers are final.
        transient = error.code == HTTPStatus.TOO_MANY_REQUESTS or error.code >= 500
        asked = _seconds(error.headers.get("Retry-After"), sent=error.headers.get("Date"))
        raise DeliveryFailed(
            f"webhook answered HTTP {error.code} {error.reason}"
            + (f": {detail}" if detail else ""),
            transient=transient,
            retry_after=asked if transient else None,
        ) from None
    except urllib.error.URLError as error:
        reason = error.reason
        raise DeliveryFailed(
            f"webhook not reached: {reason}",
            transient=isinstance(reason, OSError) and is_transient(reason),
        ) from None
    except (http.client.InvalidURL, UnicodeError):
        # Python's words quote the URL; _check_sendable should have caught what gets here.
        raise DeliveryFailed("the webhook URL is not a URL http.client can send") from None
    except (http.client.HTTPException, OSError) as error:
        # Timeouts while reading and malformed or dropped responses.
        transient = isinstance(error, http.client.IncompleteRead) or (
            isinstance(error, OSError) and is_transient(error)
        )
        reason = without_secrets(str(error) or type(error).__name__, url)
        raise DeliveryFailed(f"webhook failed: {reason}", transient=transient) from None


def _check_sendable(url: str, parts: urllib.parse.SplitResult) -> None:
    """`DeliveryFailed`, naming no part of the URL, for what urllib would not send, or
    would send somewhere else: http.client's own errors quote the URL, which is a secret."""
    if parts.username is not None:
        # urllib sends no credentials from the URL: it looked the host "user:password@host"
        # up in DNS, or quoted the password in a "nonnumeric port" error.
        raise DeliveryFailed(
            "the webhook URL holds a user name or password before its host "
            "(user:password@host), which pmctl does not send: use the URL as the chat "
            "service gives it"
        )
    if _UNSENDABLE.search(url) or not (parts.path + parts.query + parts.fragment).isascii():
        raise DeliveryFailed(
            "the webhook URL holds a space, a control character, or after its host a "
            "character that is not ASCII: percent-encode it (%20 for a space), and check that "
            "the variable holds the URL alone"
        )


def _seconds(retry_after: str | None, *, sent: str | None) -> float | None:
    """The wait a Retry-After header asks for: delay-seconds, or an HTTP date (RFC 9110)
    counted from the answer's own `Date`, so that neither clock skew nor pmctl's clock
    matter."""
    if retry_after is None:
        return None
    value = retry_after.strip()
    if value.isdigit():
        return float(value)
    when, now = _date(value), _date(sent)
    if when is None or now is None:
        return None  # unreadable: fall back to pmctl's own backoff
    return max(0.0, (when - now).total_seconds())


def _date(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return when if when.tzinfo is not None else None
