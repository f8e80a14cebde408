"""The fallback YAML engine: PyYAML's C parser, read as yaml-rs reads YAML.

`pmctl.adapters.yaml_engine` uses it when yaml-rs cannot be used (not installed for this
platform, chosen away with `PMCTL_YAML_ENGINE=pyyaml`, or crashed on a file). It must give
the same data as yaml-rs, and an error where yaml-rs gives one: the conformance corpus
(`tests/yaml_conformance/`) holds both engines to that.

Only PyYAML's parser (libyaml, when PyYAML was built with it) is used; the values are made
here from its events, because PyYAML's loaders read YAML 1.1 (`no` is false, `0777` is 511,
`<<` merges, a repeated key silently wins). What yaml-rs does, and this module does too:

- plain scalars resolve by YAML 1.2's core schema as yaml-rs widens it (`0b101`, `1_000`,
  `0X1F` are numbers; `no`, `on`, `12:30` and dates are strings); quoted and block scalars
  are strings;
- a repeated key is an error; `<<` is an ordinary key; a key that is a sequence becomes a
  tuple and one that is a mapping a frozenset of its items;
- an anchor defined twice means its latest node; an alias of a node still being read is
  null; aliases are replayed, and more than `max_replayed` replayed events is an error,
  counted as yaml-rs counts them (each event of the anchored node, an alias in it being one
  event plus its own replay);
- several documents make a list, none makes null; an empty block scalar that ends the text
  is one line break; flow collections nest 255 deep at most;
- characters YAML 1.1 refuses (C0 and C1 controls, U+FFFE), reads as line breaks (NEL,
  U+2028, U+2029) or skips as a byte-order mark (U+FEFF) are content, as in YAML 1.2;
- a tab between `-` or `?` and its node is a separator (libyaml refuses it); a tab right
  after a key's `:` is an error (yaml-rs refuses it).
"""

from __future__ import annotations

import re
import sys
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    MappingEndEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

_Parser: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml if PyYAML has it

_NOT_YAML_11 = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")
"""Characters libyaml refuses, takes for line breaks or (U+FEFF, first) skips as a byte-order
mark, that YAML 1.2 and yaml-rs read as content."""
_REPLACED = [
    *range(0x01, 0x09),
    0x0B,
    0x0C,
    *range(0x0E, 0x20),
    *range(0x7F, 0xA0),
    0x2028,
    0x2029,
    0xFEFF,
    0xFFFE,
    0xFFFF,
]
_TO_STAND_IN = {code: 0xF0000 + index for index, code in enumerate(_REPLACED)}
"""They are parsed as stand-ins in Unicode's private use plane 15 and turned back after
(unless the text has such a character already: then libyaml's refusal stands)."""
_FROM_STAND_IN = {stand_in: code for code, stand_in in _TO_STAND_IN.items()}
_STAND_INS = re.compile(f"[\U000f0000-{chr(0xF0000 + len(_REPLACED) - 1)}]")

MAX_FLOW_DEPTH = 255
"""yaml-rs refuses flow collections (`[...]`, `{...}`) nested deeper than this."""
_RECURSION = 4_000
"""Enough Python frames for the deepest front matter the reader lets through (a few per
level: 200 block levels, see `yaml_engine.MAX_INDENT`, and 255 flow levels)."""

_INDICATORS_BEFORE = re.compile(r"[ ]*(?:[-?][ \t]*)+")
_INDICATOR_AFTER = re.compile(r"\t+-(?:[ \t\n]|$)")
_BLOCK_HEADER = re.compile(r"[|>][-+1-9]{0,2}")
_TAB_AFTER_COLON = re.compile(r"[ ]*:\t+[^\n]*")

_NULL = frozenset({"", "~", "null", "Null", "NULL"})
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(
    r"[+-]?(?:0[xX](?P<hex>[0-9a-fA-F_]*[0-9a-fA-F][0-9a-fA-F_]*)"
    r"|0[oO](?P<oct>[0-7_]*[0-7][0-7_]*)"
    r"|0[bB](?P<bin>[01_]*[01][01_]*)"
    r"|(?P<dec>[0-9_]*[0-9][0-9_]*))"
)
_FLOAT = re.compile(
    r"[+-]?(?P<mantissa>[0-9_]*(?P<dot>\.)?[0-9_]*)(?P<exponent>[eE][+-]?[0-9_]*[0-9][0-9_]*)?"
)
_INF_NAN = re.compile(r"(?P<sign>[+-]?)\.(?i:(?P<inf>inf)|nan)")


class FallbackProblem(Exception):
    """YAML that cannot be used; `line` and `column` are 1-based within the YAML text."""

    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


def load(text: str, *, max_replayed: int) -> Any:
    """The data of `text` as yaml-rs would give it; `FallbackProblem` where it would fail."""
    translated = _NOT_YAML_11.search(text) is not None and not _STAND_INS.search(text)
    if translated:
        text = text.translate(_TO_STAND_IN)
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, _RECURSION))
    try:
        while True:
            reader = _Reader(text, max_replayed=max_replayed, translated=translated)
            try:
                return reader.documents()
            except yaml.MarkedYAMLError as error:
                mark = error.problem_mark or error.context_mark
                tab = _separating_tab(text, error.problem, mark)
                if tab is not None:
                    text = text[:tab] + " " + text[tab + 1 :]
                    continue
                opened = never_closed(error, text)
                if opened is not None:
                    raise FallbackProblem(*opened) from None
                message = error.problem or error.context or "invalid YAML"
                raise FallbackProblem(message, *_position(mark)) from None
            finally:
                reader.loader.dispose()
    except yaml.YAMLError as error:
        raise FallbackProblem(str(error).split("\n")[0], 1, 1) from None
    finally:
        sys.setrecursionlimit(limit)


def _separating_tab(text: str, problem: str | None, mark: Any) -> int | None:
    """Where libyaml stopped at a tab that separates `-` or `?` from the node after it:
    YAML 1.2 (and yaml-rs) allow that tab, YAML 1.1 (libyaml) does not. Read as a space,
    it means the same."""
    if problem != "found character that cannot start any token" or mark is None:
        return None
    index: int = mark.index
    if text[index : index + 1] != "\t" or _INDICATOR_AFTER.match(text, index):
        return None  # (a tab before a nested `- ` is refused by yaml-rs too)
    line_start = text.rfind("\n", 0, index) + 1
    return index if _INDICATORS_BEFORE.fullmatch(text, line_start, index) else None


_UNCLOSED = {
    "a quoted scalar": "a quoted value",
    "a flow sequence": "a [ list",
    "a flow mapping": "a { mapping",
}
"""PyYAML's names of what it was reading when the text ran out, in a user's words."""


def never_closed(error: yaml.MarkedYAMLError, text: str) -> tuple[str, int, int] | None:
    """(message, line, column) of where a quote or bracket that `text` never closes opens,
    when `error` is PyYAML running out of text inside one; else None. (PyYAML reports the
    end of the text, after the closing `---`, where nothing can be fixed.)"""
    opened, problem = error.context_mark, error.problem_mark
    if opened is None or problem is None or not error.context or problem.index < len(text):
        return None
    what = re.sub(r"^while (?:scanning|parsing) ", "", error.context)
    message = f"{_UNCLOSED.get(what, what)} that starts here is never closed"
    return message, *_position(opened)


def unclosed(text: str) -> tuple[str, int, int] | None:
    """`never_closed` of `text` as PyYAML's parser reads it (events only: nothing is built)."""
    try:
        for _ in yaml.parse(text, Loader=yaml.SafeLoader):
            pass
    except yaml.MarkedYAMLError as error:
        return never_closed(error, text)
    except yaml.YAMLError:
        pass
    return None


def _position(mark: Any) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


class _Reader:
    """Values from the parser's events, with anchors, aliases and their replay count."""

    def __init__(self, text: str, *, max_replayed: int, translated: bool) -> None:
        self.loader = _Parser(text)
        self.max_replayed = max_replayed
        self.translated = translated
        self.anchors: dict[str, tuple[Any, int]] = {}
        """anchor -> (value, events that replaying it counts)"""
        self.reading: set[str] = set()
        self.events = 0
        self.replayed = 0
        self.flow = 0
        self.text = text
        self.tabs = "\t" in text
        """Whether a tab might follow a `:` (yaml-rs refuses that)."""

    def documents(self) -> Any:
        loader = self.loader
        loader.get_event()  # the stream's start
        found: list[Any] = []
        while not loader.check_event(StreamEndEvent):
            loader.get_event()  # the document's start
            found.append(self.value(loader.get_event()))
            loader.get_event()  # the document's end
        if not found:
            return None
        return found[0] if len(found) == 1 else found

    def value(self, event: Any) -> Any:
        if isinstance(event, AliasEvent):
            return self.alias(event)
        events, replayed = self.events, self.replayed
        self.events += 1
        anchor: str | None = event.anchor
        if anchor is not None:
            self.reading.add(anchor)
        value: Any
        if isinstance(event, ScalarEvent):
            value = self.scalar(event)
        else:  # a sequence or a mapping: the parser gives no other event where a node starts
            flow = bool(event.flow_style)
            self.flow += flow
            if self.flow > MAX_FLOW_DEPTH:
                raise FallbackProblem("recursion limit exceeded", *_position(event.start_mark))
            value = self.sequence() if isinstance(event, SequenceStartEvent) else self.mapping()
            self.flow -= flow
        if anchor is not None:
            self.reading.discard(anchor)
            self.anchors[anchor] = (value, self.events - events + self.replayed - replayed)
        return value

    def alias(self, event: Any) -> Any:
        self.events += 1
        anchor: str = event.anchor
        if anchor in self.reading:
            return None
        if anchor not in self.anchors:
            raise FallbackProblem(f"found unknown anchor {anchor!r}", *_position(event.start_mark))
        value, cost = self.anchors[anchor]
        self.replayed += cost
        if self.replayed > self.max_replayed:
            raise FallbackProblem(
                f"alias replay limit exceeded: replayed {self.replayed}, max {self.max_replayed}",
                *_position(event.start_mark),
            )
        return value

    def sequence(self) -> list[Any]:
        sequence: list[Any] = []
        while not isinstance(event := self.loader.get_event(), SequenceEndEvent):
            sequence.append(self.value(event))
        self.events += 1
        return sequence

    def mapping(self) -> dict[Any, Any]:
        mapping: dict[Any, Any] = {}
        while not isinstance(event := self.loader.get_event(), MappingEndEvent):
            try:
                key = _hashable(self.value(event))
            except TypeError:
                raise FallbackProblem(
                    "a mapping key holds a sequence inside a mapping",
                    *_position(event.start_mark),
                ) from None
            if key in mapping:
                raise FallbackProblem(f"duplicate key {key!r}", *_position(event.start_mark))
            value = self.loader.get_event()
            if self.tabs:
                self.refuse_tab_after_colon(event, value)
            mapping[key] = self.value(value)
        self.events += 1
        return mapping

    def refuse_tab_after_colon(self, key: Any, value: Any) -> None:
        """yaml-rs refuses a tab right after a key's `:` before a value on the same line."""
        if isinstance(value, ScalarEvent) and not value.value:
            return
        between = self.text[key.end_mark.index : value.start_mark.index]
        if _TAB_AFTER_COLON.fullmatch(between):
            raise FallbackProblem(
                "':' must be followed by a valid YAML whitespace", *_position(value.start_mark)
            )

    def empty_block_at_the_end(self, event: Any) -> bool:
        """Whether `event`, an empty block scalar, ends the text and does not strip (`|-`)."""
        header = _BLOCK_HEADER.match(self.text, event.start_mark.index)
        return (
            event.end_mark.index == len(self.text)
            and self.text.endswith("\n")
            and header is not None
            and "-" not in header[0]
        )

    def scalar(self, event: ScalarEvent) -> Any:
        text: str = event.value
        if self.translated:
            text = text.translate(_FROM_STAND_IN)
        if event.style:  # quoted or block: always a string
            if not text and event.style in "|>" and self.empty_block_at_the_end(event):
                return "\n"  # (yaml-rs reads an empty last block scalar as one line break)
            return text
        return resolve(text)


def _hashable(value: Any) -> Any:
    """A sequence key as a tuple, a mapping key as a frozenset of its items (as yaml-rs)."""
    if isinstance(value, list):
        return tuple(_hashable(item) for item in value)
    if isinstance(value, dict):
        return frozenset(value.items())
    return value


def resolve(text: str) -> Any:
    """A plain scalar's value: null, bool, int, float or, failing those, the string."""
    if text in _NULL:
        return None
    if text in _BOOL:
        return _BOOL[text]
    first = text[:1]
    if not (first.isdigit() or first in "+-._"):  # (most plain scalars are words)
        return text
    integer = _INT.fullmatch(text)
    if integer:
        digits, base = next(
            (integer[name], base)
            for name, base in (("dec", 10), ("hex", 16), ("oct", 8), ("bin", 2))
            if integer[name] is not None
        )
        number = int(digits.replace("_", ""), base)
        return -number if text.startswith("-") else number
    special = _INF_NAN.fullmatch(text)
    if special:
        if special["inf"] is None:
            return text if special["sign"] else float("nan")
        return float("-inf") if special["sign"] == "-" else float("inf")
    real = _FLOAT.fullmatch(text)
    if (
        real
        and (real["dot"] or real["exponent"])
        and any(character.isdigit() for character in real["mantissa"])
    ):
        return float(text.replace("_", ""))
    return text
