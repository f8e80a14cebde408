"""PM020-PM025: the front matter validated against the pydantic model, at the key's line,
and its schema version."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from pmctl.domain.lint.context import Hit
from pmctl.domain.lint.registry import (
    DATE_NONEXISTENT,
    SCHEMA_INVALID,
    SCHEMA_MISSING_KEY,
    SCHEMA_OUTDATED,
    SCHEMA_UNKNOWN_KEY,
    SEVERITY_UNKNOWN,
)
from pmctl.domain.model import SCHEMA_VERSION, Postmortem
from pmctl.domain.visible_text import visible

if TYPE_CHECKING:
    from pydantic_core import ErrorDetails

    from pmctl.domain.config import Settings
    from pmctl.domain.document import ParsedDocument

_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")
MAX_LISTED = 1_000
"""Schema problems listed per document. A front matter with more (50,000 unknown keys) is
not a list of typos to fix one by one, and listing each costs ~20 µs, from finding its line
to printing it: the rest are counted in one more finding."""
MAX_SUGGESTIONS = 100
"""Problems of one document that get a `did you mean` hint: finding the closest known key
costs a third of a millisecond."""


def validate(
    document: ParsedDocument, data: dict[str, Any], settings: Settings
) -> tuple[Postmortem | None, list[Hit]]:
    """The model (None if invalid) and every schema problem, each at its key's line.

    The configured-value checks read the raw data, so that they report even when another
    key makes the model invalid: every problem in one run.
    """
    postmortem: Postmortem | None = None
    hits: list[Hit] = []
    try:
        postmortem = Postmortem.model_validate(data)
    except ValidationError as error:
        details = error.errors(include_url=False)
        hits.extend(
            _hit(document, detail, suggest=number < MAX_SUGGESTIONS)
            for number, detail in enumerate(details[:MAX_LISTED])
        )
        if len(details) > MAX_LISTED:
            hits.append(
                Hit(
                    SCHEMA_INVALID,
                    document.front_matter_line,
                    f"the front matter has {len(details):,} problems of keys and values; "
                    f"the first {MAX_LISTED:,} are listed",
                    "fix those (or start again from `pmctl new`), then lint again for the rest",
                )
            )
    if postmortem is not None and postmortem.schema_version < SCHEMA_VERSION:
        hits.append(
            Hit(
                SCHEMA_OUTDATED,
                document.line_of(("schema",)),
                f"schema version {postmortem.schema_version} is older than the current "
                f"version {SCHEMA_VERSION}",
                "run `pmctl migrate` to upgrade every postmortem in one commit "
                "(only the `schema:` line changes)",
            )
        )
    # As validated (a number is read as its digits: `severity: 1` is "1"), or as written.
    severity = postmortem.severity if postmortem is not None else data.get("severity")
    if isinstance(severity, str) and severity.strip() not in settings.severities:
        meant = settings.severity_named(severity.strip())  # `sev2`, as commands now take it
        hits.append(
            Hit(
                SEVERITY_UNKNOWN,
                document.line_of(("severity",)),
                f"severity {severity.strip()!r} is not one of {', '.join(settings.severities)}",
                f"write {meant!r}, as pmctl.toml spells it"
                if meant
                else "use a severity from `severities` in pmctl.toml, or add it there",
            )
        )
    return postmortem, hits


def _hit(document: ParsedDocument, detail: ErrorDetails, *, suggest: bool) -> Hit:
    loc = tuple(detail["loc"])
    line = document.line_of(loc)
    # Keys are whatever the author wrote (a newline, an escape sequence): shown on one line.
    where = visible(".".join(str(part) for part in loc))
    kind = detail["type"]
    if kind == "extra_forbidden":
        hint = _suggest(loc) if suggest else "remove it; `pmctl schema` prints every known key"
        return Hit(SCHEMA_UNKNOWN_KEY, line, f"unknown key `{where}`", hint)
    if kind == "missing":
        return Hit(
            SCHEMA_MISSING_KEY,
            line,
            f"required key `{where}` is missing",
            "add it; `pmctl schema` prints every key and its type",
        )
    value = detail.get("input")
    if kind.startswith(("date", "datetime")) and isinstance(value, str):
        impossible = _impossible_date(value)
        if impossible:
            return Hit(
                DATE_NONEXISTENT,
                line,
                f"`{where}`: {value!r} is not a real date ({impossible})",
                "check the day and month; dates are written YYYY-MM-DD",
            )
    return Hit(
        SCHEMA_INVALID, line, f"`{where}`: {detail['msg']}", value_hint(detail) or _SCHEMA_HINT
    )


_SCHEMA_HINT = "see `pmctl schema` for the allowed values of this key"
_DATE_HINT = "write the date as YYYY-MM-DD, e.g. 2026-11-20"
_MOMENT_HINT = (
    "write the date, time and time zone, e.g. 2026-11-20T10:00:00Z (UTC) "
    "or 2026-11-20T19:00:00+09:00"
)
_HINTS = {
    "date_parsing": _DATE_HINT,
    "date_from_datetime_parsing": _DATE_HINT,
    "date_type": _DATE_HINT,
    "date_from_datetime_inexact": "write the date alone, YYYY-MM-DD (times of day go in `timestamps`)",
    "datetime_parsing": _MOMENT_HINT,
    "datetime_from_date_parsing": _MOMENT_HINT,
    "datetime_type": _MOMENT_HINT,
    "timezone_aware": "add the time zone: Z for UTC (2026-11-20T10:00:00Z) or an offset (+09:00)",
    "list_type": "write a list: `[a, b]` on the key's line, or one `- item` per line under it",
    "int_parsing": "write a whole number, without units or separators (e.g. 38)",
    "int_from_float": "write a whole number, without units or separators (e.g. 38)",
    "int_type": "write a whole number, without units or separators (e.g. 38)",
}


def value_hint(detail: ErrorDetails) -> str | None:
    """How to mend the value of one schema problem, where pydantic's message leaves the fix
    to guess (a date's form, a list, a choice's spelling, a schema newer than this pmctl's);
    None where it does not."""
    kind, value = detail["type"], detail.get("input")
    if tuple(detail["loc"]) == ("schema",) and isinstance(value, int) and value > SCHEMA_VERSION:
        return (
            f"a newer pmctl wrote it (schema {value}; this one reads up to {SCHEMA_VERSION}): "
            "upgrade pmctl"
        )
    if kind in ("literal_error", "enum") and isinstance(value, str):
        expected = str(detail.get("ctx", {}).get("expected", ""))
        if value.strip() in re.findall(r"(?<!')\b\d+\b(?!')", expected):
            # `schema: "1"`: "Input should be 1 or 2" of a value that reads 1
            return f"write the number without quotes: `{detail['loc'][-1]}: {value.strip()}`"
        choices = {choice.casefold(): choice for choice in re.findall(r"'([^']*)'", expected)}
        close = difflib.get_close_matches(value.strip().casefold(), choices, n=1, cutoff=0.6)
        if close:
            return f"did you mean '{choices[close[0]]}'?"
    if kind == "string_type" and isinstance(value, list):
        return "write one value here, not a list"
    return _HINTS.get(kind)


def _impossible_date(value: str) -> str | None:
    match = _DATE.match(value)
    if not match:
        return None
    year, month, day = (int(part) for part in match.groups())
    try:
        dt.date(year, month, day)
    except ValueError as error:
        return str(error)
    return None


_SYNONYMS = {
    "date": "rename it to `created` (the date the postmortem was written, YYYY-MM-DD)",
    "incident_date": "rename it to `created`, or give the moment as `timestamps.started`",
    "state": "did you mean `status`?",
    "sev": "did you mean `severity`?",
    "service": "did you mean `services` (a list)?",
    "tag": "did you mean `tags` (a list)?",
    "lang": "did you mean `language`?",
    "owners": "`owner` is one accountable person; list the others in `authors`",
    "summary": "the summary goes in the body, under `## Summary`",
    "description": "the summary goes in the body, under `## Summary`",
}
"""Keys that other postmortem formats use for one of pmctl's, where the closest spelling
would point elsewhere (`date` is nearest no key) or nowhere useful."""


def _suggest(loc: tuple[str | int, ...]) -> str:
    if len(loc) == 1 and str(loc[0]).lower() in _SYNONYMS:
        return _SYNONYMS[str(loc[0]).lower()]
    known = _known_keys(loc[:-1])
    close = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.6)
    if close:
        return f"did you mean `{close[0]}`?"
    return f"known keys here: {', '.join(known)}" if known else "remove the key"


def _known_keys(parent: tuple[str | int, ...]) -> list[str]:
    from pydantic import BaseModel

    model: type[BaseModel] = Postmortem
    for part in parent:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part)
        if field is None:
            return []
        annotation = field.annotation
        candidates = [annotation, *getattr(annotation, "__args__", ())]
        nested = next(
            (c for c in candidates if isinstance(c, type) and issubclass(c, BaseModel)), None
        )
        if nested is None:
            return []
        model = nested
    return sorted(field.alias or name for name, field in model.model_fields.items())
