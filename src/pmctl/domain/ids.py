"""Postmortem ids: `YYYY-MM-DD-slug`, safe as a file name on every platform."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from pmctl.domain.model import ID_PATTERN

MAX_SLUG_LENGTH = 60
_SLUG_OK = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    """An ASCII slug of a title, or "" when nothing ASCII is left (e.g. a Japanese title).

    Accents are folded (`Café` -> `cafe`); path separators, dots and leading dashes cannot
    survive, so a title like `../../etc/passwd` or `--force` is harmless.
    """
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _NOT_ALNUM.sub("-", folded.lower()).strip("-")
    if len(slug) > MAX_SLUG_LENGTH:
        slug = slug[:MAX_SLUG_LENGTH].rsplit("-", 1)[0] or slug[:MAX_SLUG_LENGTH]
    return slug


def is_valid_slug(slug: str) -> bool:
    return bool(_SLUG_OK.match(slug)) and len(slug) <= MAX_SLUG_LENGTH


def fallback_slug(incident: str | None) -> str:
    """A slug for a title with no ASCII letters: from the incident number, else `incident`."""
    if incident:
        digits = slugify(incident)
        if digits:
            return f"incident-{digits}"
    return "incident"


def make_id(date: dt.date, slug: str) -> str:
    """The id of a postmortem of an incident on `date`."""
    return f"{date.isoformat()}-{slug}"


def is_valid_id(value: str) -> bool:
    """Whether `value` is a well-formed postmortem id (`YYYY-MM-DD-slug`)."""
    return re.match(ID_PATTERN, value) is not None
