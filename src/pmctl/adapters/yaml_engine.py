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
_TAG = re.compile(r"!<[^>]*>|![^\s,\[\]{}]*")
_TAG_DIRECTIVE = re.compile(r"^%TAG\b", re.MULTILINE)
_BEFORE_TAG = frozenset(" \t\r\n[{,:")
"""What can precede a tag: a node starts at a line start, after a blank or a flow indicator."""


@dataclass(frozen=True, slots=True)
class YamlProblem(Exception):
    """YAML that cannot be used; `line`/`column` are 1-based within the YAML text."""

    message: str
    line: int
    column: int


def parse(text: str) -> Any:
    """Parse one YAML document; raise `YamlProblem` with a position on anything unsafe.

    Tags are refused rather than silently dropped: `!!python/object` has no meaning in a
    postmortem and is most likely an attempt to smuggle something in. A `!` that is text (in
    a quoted or block scalar, inside a plain one, in a comment) is not a tag. Duplicate keys
    are an error, and alias expansion is bounded (no "billion laughs"). Dates and times stay
    strings: the models parse them, so a quoted `"2026-01-02"` in a text field stays text and a
    date that does not exist is a validation error at its key.
    """
    tag = _find_tag(text)
    if tag is not None:
        raise tag
    try:
        return _load(text)
    except yaml_rs.YAMLDecodeError as error:
        raise _problem(text, str(error)) from None


def _load(text: str) -> Any:
    return yaml_rs.loads(
        text,
        parse_datetime=False,
        alias_limits=yaml_rs.AliasLimits(max_total_replayed_events=MAX_ALIAS_EVENTS),
        duplicate_key_policy=yaml_rs.DuplicateKeyPolicy.Error,
    )


def _find_tag(text: str) -> YamlProblem | None:
    """The first tag in `text`, as found by the parser itself.

    yaml-rs drops unknown tags silently and does not expose them, so the text is parsed once
    more with every `!` turned into `@`. Both are indicators that cannot start a plain scalar
    and are ordinary characters everywhere else, so the copy parses unless `text` has a tag,
    and then fails with "unexpected character" at the first one. A scanner of our own would
    have to repeat the parser's rules for quotes, block scalars, comments and plain scalars.
    """
    if not _may_start_tag(text):  # most front matter: no second parse
        return None
    directive = _TAG_DIRECTIVE.search(text)
    if directive:  # its `!` handle would fail the copy at the `%`, hiding the tags it defines
        return YamlProblem(
            "YAML tag directive %TAG is not allowed in front matter",
            text.count("\n", 0, directive.start()) + 1,
            1,
        )
    try:
        _load(text.replace("!", "@"))
    except yaml_rs.YAMLDecodeError as error:
        position = _POSITION.search(str(error))
        lines = text.split("\n")
        if position and int(position[1]) <= len(lines):
            number, column = int(position[1]), int(position[2])
            tag = _TAG.match(lines[number - 1], column - 1)
            if tag:
                return YamlProblem(
                    f"YAML tag {tag[0]!r} is not allowed in front matter", number, column
                )
        # Any other error is in `text` too: the real parse reports it.
    return None


def _may_start_tag(text: str) -> bool:
    # A loop over the few `!` is far faster than a regex, which would try every position.
    index = text.find("!")
    while index >= 0:
        if index == 0 or text[index - 1] in _BEFORE_TAG:
            return True
        index = text.find("!", index + 1)
    return False


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
