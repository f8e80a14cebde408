"""The one YAML reader of pmctl (yaml-rs, a YAML 1.2 parser in Rust).

Every command reads front matter through `parse`, so `lint`, `report` and `status` never
disagree about what a document says. Why yaml-rs and not PyYAML: see docs/design.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml_rs

MAX_ALIAS_EVENTS = 10_000
_POSITION = re.compile(r"line (\d+), column (\d+)")
_TAG = re.compile(r"(?:^|[\s\[{,:-])(!{1,2}[^\s,\[\]{}]*)")


@dataclass(frozen=True, slots=True)
class YamlProblem(Exception):
    """YAML that cannot be used; `line`/`column` are 1-based within the YAML text."""

    message: str
    line: int
    column: int


def parse(text: str) -> Any:
    """Parse one YAML document; raise `YamlProblem` with a position on anything unsafe.

    Tags are refused rather than silently dropped: `!!python/object` has no meaning in a
    postmortem and is most likely an attempt to smuggle something in. Duplicate keys are an
    error, and alias expansion is bounded (no "billion laughs"). Dates and times stay
    strings: the models parse them, so a quoted `"2026-01-02"` in a text field stays text and a
    date that does not exist is a validation error at its key.
    """
    tag = _find_tag(text)
    if tag is not None:
        raise tag
    try:
        return yaml_rs.loads(
            text,
            parse_datetime=False,
            alias_limits=yaml_rs.AliasLimits(max_total_replayed_events=MAX_ALIAS_EVENTS),
            duplicate_key_policy=yaml_rs.DuplicateKeyPolicy.Error,
        )
    except yaml_rs.YAMLDecodeError as error:
        raise _problem(text, str(error)) from None


def _find_tag(text: str) -> YamlProblem | None:
    if "!" not in text:
        return None
    for number, line in enumerate(text.split("\n"), start=1):
        if "!" not in line:
            continue
        code = _strip_quoted(line)
        match = _TAG.search(code)
        if match:
            return YamlProblem(
                f"YAML tag {match[1]!r} is not allowed in front matter", number, match.start(1) + 1
            )
    return None


def _strip_quoted(line: str) -> str:
    """The line with quoted strings and comments blanked out, positions kept."""
    out = []
    quote = ""
    for char in line:
        if quote:
            out.append(" ")
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
            out.append(" ")
        elif char == "#":
            break
        else:
            out.append(char)
    return "".join(out)


def _problem(text: str, raw: str) -> YamlProblem:
    first = raw.strip().split("\n")[0]
    details = [
        line for line in raw.split("\n") if line and not line.lstrip().startswith(("|", "^"))
    ]
    message = details[-1].strip() if len(details) > 1 else first
    match = _POSITION.search(raw)
    if match:
        return YamlProblem(message, int(match[1]), int(match[2]))
    duplicate = re.search(r"duplicate mapping key: '([^']*)'", raw)
    if duplicate:
        return YamlProblem(
            f"duplicate key {duplicate[1]!r}", *_second_occurrence(text, duplicate[1])
        )
    return YamlProblem(message, 1, 1)


def _second_occurrence(text: str, key: str) -> tuple[int, int]:
    pattern = re.compile(rf"^(\s*(?:-\s+)?){re.escape(key)}\s*:")
    hits = [
        (number, len(match[1]) + 1)
        for number, line in enumerate(text.split("\n"), start=1)
        if (match := pattern.match(line))
    ]
    return hits[1] if len(hits) > 1 else (hits[0] if hits else (1, 1))
