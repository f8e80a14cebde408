"""The one YAML reader of pmctl: yaml-rs (a YAML 1.2 parser in Rust), or its fallback.

Every command reads front matter through `parse`, so `lint`, `report` and `status` never
disagree about what a document says. Why yaml-rs and not PyYAML, and why a fallback: see
docs/design.md. The fallback (`adapters/yaml_fallback.py`, PyYAML's C parser) gives the
same data and the same errors-or-not on the conformance corpus (`tests/yaml_conformance/`);
it is used when yaml-rs is not installed, when `PMCTL_YAML_ENGINE=pyyaml` asks for it, and
for a file on which yaml-rs crashed (`fallback()`, see `services/lint.py`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from pmctl.domain.frontmatter import earlier_key
from pmctl.errors import ConfigError

MAX_ALIAS_EVENTS = 10_000
MAX_INDENT = 200
"""Front matter whose line starts with this many levels of indentation and `- `/`? `
indicators is refused: nothing in a postmortem is nested that deep, and yaml-rs 0.1 dies
of a stack overflow (a segmentation fault, no exception) at some 15,000 levels."""
ENGINE_VARIABLE = "PMCTL_YAML_ENGINE"
YAML_RS, PYYAML = "yaml-rs", "pyyaml"
ENGINES = (YAML_RS, PYYAML)

_POSITION = re.compile(r"line (\d+), column (\d+)")
_TAG = re.compile(r"!<[^>]*>|![^\s,\[\]{}]*")
_TAG_DIRECTIVE = re.compile(r"^%TAG\b", re.MULTILINE)
_BEFORE_TAG = frozenset(" \t\r\n[{,:")
"""What can precede a tag: a node starts at a line start, after a blank or a flow indicator."""
_TOO_DEEP = re.compile(rf"^(?:[ ]|-[ ]|\?[ ]){{{MAX_INDENT}}}", re.MULTILINE)


class YamlProblem(Exception):
    """YAML that cannot be used; `line`/`column` are 1-based within the YAML text.

    (A plain exception, not a frozen dataclass: raising through a `with` block sets its
    `__traceback__`.)
    """

    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(message, line, column)
        self.message = message
        self.line = line
        self.column = column


Load = Callable[[str], Any]
"""An engine: the data of one YAML text, or `YamlProblem`."""


class _Choice:
    """The engine chosen for this process, and one forced meanwhile by `fallback()`."""

    chosen: Load | None = None
    forced: Load | None = None


def parse(text: str) -> Any:
    """Parse one YAML document; raise `YamlProblem` with a position on anything unsafe.

    Tags are refused rather than silently dropped: `!!python/object` has no meaning in a
    postmortem and is most likely an attempt to smuggle something in. A `!` that is text (in
    a quoted or block scalar, inside a plain one, in a comment) is not a tag. Duplicate keys
    are an error, and alias expansion is bounded (no "billion laughs"). Dates and times stay
    strings: the models parse them, so a quoted `"2026-01-02"` in a text field stays text and a
    date that does not exist is a validation error at its key. Anything else an engine
    raises is a `YamlProblem` too: a bug of the engine must not become one of pmctl.
    """
    load = _Choice.forced or _Choice.chosen or _choose()
    too_deep = _TOO_DEEP.search(text)
    if too_deep:
        raise YamlProblem(
            f"front matter nested or indented {MAX_INDENT} levels deep",
            text.count("\n", 0, too_deep.start()) + 1,
            1,
        )
    tag = _find_tag(text, load)
    if tag is not None:
        raise tag
    try:
        return load(text)
    except YamlProblem:
        raise
    except Exception as error:  # e.g. yaml-rs's TypeError for a key it cannot hash
        raise YamlProblem(f"the YAML engine failed: {error}", 1, 1) from None


def engine_name() -> str:
    """The engine `parse` uses now: `yaml-rs` or `pyyaml`."""
    load = _Choice.forced or _Choice.chosen or _choose()
    return YAML_RS if load is _load_yaml_rs else PYYAML


@contextmanager
def fallback() -> Iterator[None]:
    """`parse` with the fallback engine meanwhile (for a file that crashed yaml-rs)."""
    before, _Choice.forced = _Choice.forced, _load_pyyaml
    try:
        yield
    finally:
        _Choice.forced = before


def _choose() -> Load:
    """The engine `PMCTL_YAML_ENGINE` names; by default yaml-rs, or PyYAML where it is missing."""
    wanted = os.environ.get(ENGINE_VARIABLE, "") or YAML_RS
    if wanted not in ENGINES:
        raise ConfigError(
            f"{ENGINE_VARIABLE}={wanted!r} is not a YAML engine",
            hint=f"set it to one of: {', '.join(ENGINES)} (or unset it)",
        )
    _Choice.chosen = _load_pyyaml
    if wanted == YAML_RS:
        try:
            import yaml_rs  # noqa: F401
        except ImportError:  # no wheel for this platform: the fallback reads the same
            pass
        else:
            _Choice.chosen = _load_yaml_rs
    return _Choice.chosen


def _load_yaml_rs(text: str) -> Any:
    import yaml_rs

    try:
        return yaml_rs.loads(
            text,
            parse_datetime=False,
            alias_limits=yaml_rs.AliasLimits(max_total_replayed_events=MAX_ALIAS_EVENTS),
            duplicate_key_policy=yaml_rs.DuplicateKeyPolicy.Error,
        )
    except yaml_rs.YAMLDecodeError as error:
        problem = _problem(text, str(error))
        if "quoted scalar" in problem.message:
            problem = _opening_quote(text) or problem
        raise problem from None


def _opening_quote(text: str) -> YamlProblem | None:
    """Where a quote that is never closed opens. yaml-rs reports it on the line after, as
    "invalid indentation in multiline quoted scalar"; PyYAML reads on to the end of the text
    and knows where the quote opened. (Only on this error: PyYAML is not imported otherwise.)"""
    from pmctl.adapters.yaml_fallback import unclosed

    found = unclosed(text)
    return None if found is None else YamlProblem(*found)


def _load_pyyaml(text: str) -> Any:
    from pmctl.adapters import yaml_fallback

    try:
        return yaml_fallback.load(text, max_replayed=MAX_ALIAS_EVENTS)
    except yaml_fallback.FallbackProblem as problem:
        raise YamlProblem(problem.message, problem.line, problem.column) from None


def _find_tag(text: str, load: Load) -> YamlProblem | None:
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
        load(text.replace("!", "@"))
    except YamlProblem as problem:
        lines = text.split("\n")
        if problem.line <= len(lines):
            tag = _TAG.match(lines[problem.line - 1], problem.column - 1)
            if tag:
                return YamlProblem(
                    f"YAML tag {tag[0]!r} is not allowed in front matter",
                    problem.line,
                    problem.column,
                )
    except Exception:  # (an engine's failure: the real parse reports it)
        return None
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
    """(line, column) of the key `key` that repeats an earlier one of its mapping (yaml-rs
    names the key only); the same name in another mapping (an action item's `owner` and
    the postmortem's) is no repetition."""
    pattern = re.compile(rf"^(\s*(?:-\s+)?)['\"]?{re.escape(key)}['\"]?\s*:")
    lines = text.split("\n")
    hits = [
        (number, len(match[1]) + 1)
        for number, line in enumerate(lines, start=1)
        if (match := pattern.match(line))
    ]
    repeated = next((hit for hit in hits if earlier_key(lines, hit[0] - 1) is not None), None)
    if repeated is None and len(hits) < 2:  # in a flow mapping: `{a: 1, a: 2}`
        inline = re.compile(rf"(?<=[{{,\s])['\"]?{re.escape(key)}['\"]?\s*:")
        hits = [
            (number, match.start() + 1)
            for number, line in enumerate(lines, start=1)
            for match in inline.finditer(line)
        ]
    return repeated or (hits[1] if len(hits) > 1 else (hits[0] if hits else (1, 1)))
