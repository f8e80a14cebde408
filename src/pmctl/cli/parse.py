"""Turning flag strings into domain values, with errors that name the flag.

Single choices are typed options (enums) that the command-line framework checks itself;
these are for what it cannot check: dates, and repeatable options whose values may also be
separated by commas (`--priority P0,P1`).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import TYPE_CHECKING, TypeVar

from pmctl.domain.enums import Language
from pmctl.errors import UsageError

if TYPE_CHECKING:
    from pmctl.domain.config import Settings

E = TypeVar("E", bound=StrEnum)

MANY = "Repeat it, or separate values with commas."
"""The help text's note on a repeatable option."""


def parse_language(value: str) -> Language:
    try:
        return Language(value.strip().lower())  # `JA` as people type it
    except ValueError:
        raise UsageError(
            f"unknown language {value!r}", hint="pass --language en or --language ja"
        ) from None


def parse_date(value: str, *, flag: str) -> dt.date:
    """An ISO date (`2026-11-23`) given to `flag`; `UsageError` naming the flag otherwise."""
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise UsageError(
            f"{flag}: {value!r} is not a date", hint=f"use YYYY-MM-DD, e.g. {flag} 2026-11-23"
        ) from None


def parse_today(value: str, *, flag: str) -> dt.date:
    """A date given to a command's own `--today`: as `parse_date`, in the range the global
    clock accepts."""
    from pmctl.cli.clock import in_range

    return in_range(parse_date(value, flag=flag), source=flag)


def parse_datetime(value: str, *, flag: str) -> dt.datetime:
    """An ISO 8601 date-time; without a zone it is taken as local time."""
    try:
        moment = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        raise UsageError(
            f"{flag}: {value!r} is not an ISO 8601 date-time",
            hint=f"e.g. {flag} 2026-11-23T14:50+09:00 or {flag} '2026-11-23 14:50'",
        ) from None
    if moment.tzinfo:
        return moment
    try:
        earlier, later = moment.astimezone(), moment.replace(fold=1).astimezone()
    except (OverflowError, ValueError):  # local time is not defined there (0001-01-01)
        raise UsageError(
            f"{flag}: {value!r} is out of the range of local time",
            hint=f"check the year, or give the time zone: e.g. {flag} 2026-11-23T14:50+09:00",
        ) from None
    if earlier.replace(tzinfo=None) != moment:  # (astimezone moved it: written 00:30)
        raise UsageError(
            f"{flag}: {value!r} never happened in local time: the clocks skipped it",
            hint=f"give the time zone, e.g. {flag} {_with_offset(moment, earlier)}",
        )
    if earlier.utcoffset() != later.utcoffset():  # (taken silently as the first)
        raise UsageError(
            f"{flag}: {value!r} happened twice in local time: the clocks went back",
            hint=f"give the time zone: {flag} {_with_offset(moment, earlier)} (the first) "
            f"or {flag} {_with_offset(moment, later)} (the second)",
        )
    return earlier


def _with_offset(moment: dt.datetime, zoned: dt.datetime) -> str:
    """`moment` (naive) written with the UTC offset of `zoned`: `2027-10-31T01:30:00+01:00`."""
    return moment.replace(tzinfo=zoned.tzinfo).isoformat()


def parse_list(value: str | None) -> tuple[str, ...]:
    """A comma-separated flag value as a tuple of stripped, non-empty items."""
    if not value:
        return ()
    return tuple(item.strip() for item in value.split(",") if item.strip())


def parse_many(values: list[str] | None) -> frozenset[str]:
    """The values of a repeatable, comma-separable option."""
    return frozenset(parse_list(",".join(values or [])))


def parse_severities(values: list[str] | None, settings: Settings) -> frozenset[str]:
    """The values of a repeatable `--severity`, each one of the repository's scale (from
    pmctl.toml), as people type them (`sev1` is `SEV1`)."""
    chosen: set[str] = set()
    for value in sorted(parse_many(values)):
        severity = settings.severity_named(value)
        if severity is None:
            raise UsageError(
                f"--severity: unknown severity {value!r}",
                hint=f"use one of pmctl.toml's severities: {', '.join(settings.severities)}",
            )
        chosen.add(severity)
    return frozenset(chosen)


def parse_choices(values: list[str] | None, kind: type[E], *, flag: str) -> frozenset[E]:
    """The values of a repeatable, comma-separable option, each one of the enum `kind`."""
    chosen = set()
    by_name = {member.value.casefold(): member for member in kind}
    for value in parse_many(values):
        try:
            chosen.add(by_name[value.casefold()])  # as people type it: `Draft`, `p1`
        except KeyError:
            known = ", ".join(member.value for member in kind)
            raise UsageError(
                f"{flag}: unknown value {value!r}", hint=f"use one of: {known}"
            ) from None
    return frozenset(chosen)
