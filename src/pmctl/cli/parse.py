"""Turning flag strings into domain values, with errors that name the flag."""

from __future__ import annotations

import datetime as dt

from pmctl.domain.model import Language
from pmctl.errors import UsageError


def parse_language(value: str) -> Language:
    try:
        return Language(value)
    except ValueError:
        raise UsageError(
            f"unknown language {value!r}", hint="pass --language en or --language ja"
        ) from None


def parse_datetime(value: str, *, flag: str) -> dt.datetime:
    """An ISO 8601 date-time; without a zone it is taken as local time."""
    try:
        moment = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        raise UsageError(
            f"{flag}: {value!r} is not an ISO 8601 date-time",
            hint=f"e.g. {flag} 2026-11-23T14:50+09:00 or {flag} '2026-11-23 14:50'",
        ) from None
    return moment if moment.tzinfo else moment.astimezone()


def parse_list(value: str | None) -> tuple[str, ...]:
    """A comma-separated flag value as a tuple of stripped, non-empty items."""
    if not value:
        return ()
    return tuple(item.strip() for item in value.split(",") if item.strip())
