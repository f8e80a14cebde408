"""Posting JSON to a chat webhook (stdlib `urllib.request`)."""

from __future__ import annotations

import http.client
import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from pmctl import __version__
from pmctl.adapters.delivery import DeliveryFailed

_ERROR_BODY_CHARS = 200


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # A redirect would resend (or drop) the payload somewhere the config did not name.
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def post_json(url: str, payload: dict[str, Any], *, timeout: float) -> None:
    """POST `payload` as UTF-8 JSON to an http(s) `url`; `DeliveryFailed` unless it answers 2xx.

    The URL of a chat webhook is a secret, so no message names it. Redirects are not followed.
    """
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise DeliveryFailed("the webhook URL must be an http:// or https:// URL with a host")
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
        detail = error.read(_ERROR_BODY_CHARS).decode("utf-8", "replace").strip()
        raise DeliveryFailed(
            f"webhook answered HTTP {error.code} {error.reason}" + (f": {detail}" if detail else "")
        ) from None
    except urllib.error.URLError as error:
        raise DeliveryFailed(f"webhook not reached: {error.reason}") from None
    except (http.client.HTTPException, OSError) as error:
        # Timeouts while reading and malformed or dropped responses.
        raise DeliveryFailed(f"webhook failed: {error or type(error).__name__}") from None
