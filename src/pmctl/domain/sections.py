"""The body sections of a postmortem, with their English and Japanese headings.

Lint finds sections by these headings plus the aliases of `[lint.section_aliases]`
(`SectionNames.key_of`); templates write the built-in headings only.
`required_from` is the first status at which a section must be filled in.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

from pmctl.domain.enums import Language, Status

GUIDE_OPEN = "<!-- pmctl:guide"
"""Template guidance is written as `<!-- pmctl:guide ... -->`: invisible when rendered, and
a section holding nothing else is recognised as still unfilled."""

ACTION_TABLE_START = "<!-- pmctl:action-items:start -->"
ACTION_TABLE_END = "<!-- pmctl:action-items:end -->"


@dataclass(frozen=True, slots=True)
class Section:
    key: str
    level: int
    en: str
    ja: str
    required_from: Status | None

    def heading(self, language: Language) -> str:
        return self.ja if language is Language.JA else self.en


SECTIONS: tuple[Section, ...] = (
    Section("summary", 2, "Summary", "概要", Status.DRAFT),
    Section("impact", 2, "Impact", "影響", Status.IN_REVIEW),
    Section("root-causes", 2, "Root Causes", "根本原因", Status.IN_REVIEW),
    Section("trigger", 2, "Trigger", "発生要因", Status.IN_REVIEW),
    Section("resolution", 2, "Resolution", "対応", Status.IN_REVIEW),
    Section("detection", 2, "Detection", "検出", Status.IN_REVIEW),
    Section("response-analysis", 2, "Response analysis", "対応の分析", Status.IN_REVIEW),
    Section("lessons", 2, "Lessons Learned", "教訓", None),
    Section("went-well", 3, "What went well", "うまくいったこと", Status.IN_REVIEW),
    Section("went-wrong", 3, "What went wrong", "うまくいかなかったこと", Status.IN_REVIEW),
    Section("got-lucky", 3, "Where we got lucky", "幸運だったこと", Status.IN_REVIEW),
    Section("timeline", 2, "Timeline", "タイムライン", Status.IN_REVIEW),
    Section("action-items", 2, "Action Items", "アクションアイテム", None),
    Section("supporting-information", 2, "Supporting information", "参考情報", None),
)

SECTIONS_BY_KEY: dict[str, Section] = {section.key: section for section in SECTIONS}


def heading_name(text: str) -> str:
    """The form in which headings are compared: case-folded, without a trailing colon
    (`:` or `：`) or parenthetical (`Timeline (all times UTC)`, `タイムライン（JST）`), without
    the emphasis around it (`**Summary**`) or the number before it (`1. Summary`,
    `2.3 Timeline`, `４）影響`), with runs of whitespace (the full-width space too) as one space.

    A document's heading opens a section when its name equals the name of the section's
    English or Japanese heading or of one of its configured aliases.
    """
    text = _without_emphasis(text.strip().rstrip(":："))
    if text[:1].isdigit():
        text = _without_emphasis(_without_number(text))
    text = text.rstrip(":：")
    if text.endswith((")", "）")):
        text = without_trailing_note(text).rstrip(":：")
    return " ".join(text.split()).casefold()


def alias_form(text: str) -> str:
    """A heading as an alias of `[lint.section_aliases]` would name it: as written, but
    without its section number and the emphasis or colon around it (`1. Root cause` ->
    `Root cause`): the number is the document's order, not the section's name."""
    text = _without_emphasis(text.strip().rstrip(":："))
    if text[:1].isdigit():
        text = _without_emphasis(_without_number(text))
    return text.rstrip(":：").strip()


_EMPHASIS = ("**", "__", "*", "_")


def _without_emphasis(text: str) -> str:
    """`text` without the one emphasis that wraps all of it (`**Root Causes:**`)."""
    for mark in _EMPHASIS:
        if len(text) > 2 * len(mark) and text.startswith(mark) and text.endswith(mark):
            return text[len(mark) : -len(mark)].strip()
    return text


_NUMBER = re.compile(r"\d+(?:[.．]\d+)+[.．]?\s+|\d+[.．)）](?!\d)\s*")
"""A section number: `1.`, `1)`, `４．` (then words, spaced or not) or `2.3`, `2.3.` (then a
space). A number alone is a word of the heading (`5 Whys`)."""


def _without_number(text: str) -> str:
    """`text` without the section number it starts with, if that leaves a heading."""
    number = _NUMBER.match(text)
    return text[number.end() :] if number and number.end() < len(text) else text


def without_trailing_note(text: str) -> str:
    """`text` (ending in `)` or `）`) without its last parenthetical and the space before it,
    if that holds no parenthesis of its own; else as it is. (As `\\s*[(（][^()（）]*[)）]\\s*$`
    would, without trying a run of spaces from each of them: a heading of 50,000 spaces
    and `(x(y)` took 75 s.)"""
    opening = max(text.rfind("("), text.rfind("（"))
    if opening < 0 or any(mark in text[opening + 1 : -1] for mark in "()（）"):
        return text
    return text[:opening].rstrip()


@dataclass(frozen=True, slots=True, eq=False)
class SectionNames:
    """Which section a heading opens: the built-in headings plus configured aliases.

    Get one from `section_names`, which returns the same object for the same aliases (it is
    compared and hashed by identity, so per-line caches can key on it cheaply).
    """

    keys: Mapping[str, str]
    """`heading_name` of every accepted heading -> section key."""
    aliases: Mapping[str, tuple[str, ...]]
    """Section key -> its configured aliases as written (for messages)."""

    def key_of(self, heading: str) -> str | None:
        """The key of the section a heading with this text opens, if any."""
        return self.keys.get(heading_name(heading))


def section_names(aliases: Mapping[str, Sequence[str]]) -> SectionNames:
    """The built-in headings plus `aliases` (section key -> extra headings).

    Raises ValueError for an unknown section key, an empty alias, or a heading that would
    open two different sections.
    """
    return _section_names(tuple((key, tuple(names)) for key, names in aliases.items()))


@lru_cache(maxsize=8)
def _section_names(aliases: tuple[tuple[str, tuple[str, ...]], ...]) -> SectionNames:
    keys: dict[str, str] = {}

    def add(heading: str, key: str) -> None:
        name = heading_name(heading)
        if not name:
            msg = f"an alias of section '{key}' is empty"
            raise ValueError(msg)
        other = keys.setdefault(name, key)
        if other != key:
            msg = f"heading '{heading}' cannot open both section '{other}' and section '{key}'"
            raise ValueError(msg)

    for section in SECTIONS:
        add(section.en, section.key)
        add(section.ja, section.key)
    for key, names in aliases:
        if key not in SECTIONS_BY_KEY:
            msg = f"unknown section '{key}'; the sections are: {', '.join(SECTIONS_BY_KEY)}"
            raise ValueError(msg)
        for name in names:
            add(name, key)
    return SectionNames(
        MappingProxyType(keys), MappingProxyType({key: names for key, names in aliases if names})
    )


ACTION_TYPE_LABELS: dict[Language, dict[str, str]] = {
    Language.EN: {
        "mitigate": "mitigate",
        "prevent": "prevent",
        "process": "process",
        "other": "other",
    },
    Language.JA: {"mitigate": "緩和", "prevent": "回避", "process": "プロセス", "other": "その他"},
}
