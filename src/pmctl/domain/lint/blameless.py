"""PM401-PM403: blameless language, in English and Japanese, with a configurable lexicon.

The prose of the body (code and comments blanked) is searched for each term of the lexicon.
English terms match whole words, case insensitively; Japanese terms match anywhere
(Japanese has no word boundaries). `[lint] blameless_extra` adds words to flag as blaming,
`blameless_allow` removes built-in ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pmctl.domain.lint import registry
from pmctl.domain.lint.context import Context, Hit

COUNTERFACTUAL: tuple[str, ...] = (
    "should have",
    "should've",
    "shouldn't have",
    "should not have",
    "would have",
    "would've",
    "ought to have",
    "if only",
    "べきだった",
    "ていれば",
    "ていたら",
    "ればよかった",
)
BLAME: tuple[str, ...] = (
    "careless",
    "carelessly",
    "carelessness",
    "negligent",
    "negligence",
    "sloppy",
    "incompetent",
    "stupid",
    "lazy",
    "blame",
    "blamed",
    "fault of",
    "不注意",
    "ミス",
    "のせい",
    "怠慢",
    "うっかり",
    "確認不足",
)
HUMAN_ERROR: tuple[str, ...] = (
    "human error",
    "operator error",
    "user error",
    "ヒューマンエラー",
    "人為的ミス",
    "人的ミス",
    "作業ミス",
)
_NOT_HINDSIGHT = r"(?!\s+(?:to|a|an|the|more|no|some|any|enough|its|their|our|one|two)\b)"
_NOT_FLAGGED = {
    "ミス": ("", "(?!マッチ|ター|ト|ティ|リード)"),
    "lazy": ("", r"(?![- ]?(?:load|init|eval|instantiat|compil|fetch))"),
    "sloppy": ("", r"(?![- ]quorum)"),
    "blame": (r"(?<!git )(?<!svn )(?<!hg )", ""),
    "should have": ("", _NOT_HINDSIGHT),
    "would have": ("", _NOT_HINDSIGHT),
}
"""What a term is not when it stands in a technical phrase (before it, after it): katakana
words that merely start with ミス (mismatch, mister, mist, ...), lazy loading or
evaluation, a sloppy quorum, `git blame`; "should have" and "would have" that speak of
having something or of an obligation ("every service should have a runbook", "it would have
to be redeployed"), not of what someone did not do."""

_CAUSE_SECTIONS = ("root-causes", "trigger")


def _term(word: str) -> str:
    before, after = _NOT_FLAGGED.get(word, ("", ""))
    escaped = rf"\b{re.escape(word)}\b" if word.isascii() else re.escape(word)
    return before + escaped + after


_GATES = ("have", "ould've", "error", "careless", "blame", "negligen", "ミス")
"""Substrings shared by several terms: one scan for the gate instead of one per term
("ould've", not "'ve": a three-character needle took 20 us to scan 10,000 characters, 8.5)."""

_SCANNED = {"have": " hav", "ould've": "ould'v", "blame": "blam"}
"""What is scanned for a gate when every term under it contains it: a needle that does not
end in "e" lets the scan skip ahead more often (10,000 lowered English characters: "have"
13.4 us, " hav" 9.5; "ould've" 9.6, "ould'v" 6.7; "blame" 12, "blam" 8.3)."""


def _caseless(word: str) -> bool:
    """Whether `word` is all kana, CJK punctuation and ideographs (U+3000-U+9FFF): no
    character lowers into this range and none of them changes when lowered, so such a term
    occurs in the lowered text exactly when it occurs in the text itself. (A comparison, not
    a regex: compiling that character class took 3 ms of every lint's start-up.)"""
    return all("\u3000" <= char <= "\u9fff" for char in word)


_LOWERS_TO_ASCII = ("\u0130", "\u212a")
"""The only non-ASCII characters whose `lower()` holds an ASCII one (İ -> "i̇", the Kelvin
sign -> "k"), checked over all of Unicode."""


@dataclass(frozen=True, slots=True)
class _Term:
    needle: str
    kind: str
    ascii: bytes | None
    """The needle's bytes when it is ASCII (searched in the ASCII view of a non-ASCII text)."""
    caseless: bool
    """Whether the needle is all `_caseless` characters (searched in the text as written)."""
    pattern: str
    """Compiled only for a term that occurs (through `re`'s own cache): compiling all 37
    took ~1.5 ms of a one-file lint, where in a blameless document none occurs."""


@dataclass(frozen=True, slots=True)
class _Group:
    """Terms that all contain `gate`, with what `_present` asks of them worked out once
    (asking it of 22 groups per Japanese document took ~10 us of its ~80)."""

    gate: str
    """What is scanned for: a substring of every member."""
    ascii: bytes | None
    """The gate's bytes when it is ASCII."""
    caseless: bool
    """Whether every member is `_caseless`."""
    members: tuple[_Term, ...]


@lru_cache(maxsize=8)
def _lexicon(extra: tuple[str, ...], allow: tuple[str, ...]) -> tuple[_Group, ...]:
    """The terms to look for, grouped under the substring ("gate") that must occur first.

    Within the whole list human-error phrases come first, then the longest terms, so that
    "人為的ミス" is reported once and not again as "ミス".
    """
    allowed = {word.casefold() for word in allow}
    terms = sorted(
        (
            _Term(
                word.lower(),
                kind,
                word.lower().encode("ascii") if word.isascii() else None,
                _caseless(word),
                _term(word),
            )
            for kind, words in (
                ("human", HUMAN_ERROR),
                ("counterfactual", COUNTERFACTUAL),
                ("blame", (*BLAME, *extra)),
            )
            for word in words
            if word.casefold() not in allowed
        ),
        key=lambda term: (term.kind != "human", -len(term.needle)),
    )
    groups: dict[str, list[_Term]] = {}
    for term in terms:
        gate = next((gate for gate in _GATES if gate in term.needle), term.needle)
        groups.setdefault(gate, []).append(term)
    return tuple(_group(gate, members) for gate, members in groups.items())


def _group(gate: str, members: list[_Term]) -> _Group:
    scanned = _SCANNED.get(gate, gate)
    if not all(scanned in term.needle for term in members):  # (an extra term under it)
        scanned = gate
    return _Group(
        scanned,
        scanned.encode("ascii") if scanned.isascii() else None,
        all(term.caseless for term in members),
        tuple(members),
    )


def _present(text: str, lexicon: tuple[_Group, ...]) -> list[_Term]:
    """The terms whose needle occurs in `text.lower()`, in lexicon order.

    Substring tests are fast C-level scans; the regexes only run for terms that occur at
    all, which in a blameless document is none. A non-ASCII (Japanese) text is not lowered
    as a whole (40 us for 4,000 characters, more than all its scans): its kana and kanji
    terms are searched in the text itself (`_caseless`), its ASCII terms first among its
    ASCII characters alone, lowered (a superset: dropping characters only joins others),
    and only a term found there in the lowered text: 138 -> ~60 us per Japanese document.
    """
    if text.isascii():
        lowered = text.lower()
        return [
            term
            for group in lexicon
            if group.ascii is not None and group.gate in lowered
            for term in group.members
            if term.needle in lowered
        ]
    exact = text.lower() if any(c in text for c in _LOWERS_TO_ASCII) else None
    view = text.encode("ascii", "ignore").lower() if exact is None else b""
    present: list[_Term] = []
    for group in lexicon:
        gate, members = group.gate, group.members
        if exact is None and group.ascii is not None:
            if group.ascii in view:
                candidates = [t for t in members if t.ascii is None or t.ascii in view]
                if candidates:
                    exact = text.lower()
                    present.extend(t for t in candidates if t.needle in exact)
        elif exact is None and group.caseless:
            if gate in text:
                present.extend(t for t in members if t.needle in text)
        else:
            exact = exact if exact is not None else text.lower()
            if gate in exact:
                present.extend(t for t in members if t.needle in exact)
    return present


_HINTS = {
    registry.COUNTERFACTUAL: "describe what happened and why it made sense at the time",
    registry.BLAME_LANGUAGE: "describe actions and the conditions that shaped them, not character",
    registry.HUMAN_ERROR_ROOT_CAUSE: "ask why the error was possible and what made it likely; "
    "the cause is in the system (tooling, process, defaults)",
}


def check(ctx: Context) -> list[Hit]:
    lint = ctx.settings.lint
    body = ctx.body
    text = body.prose_text
    present = _present(text, _lexicon(tuple(lint.blameless_extra), tuple(lint.blameless_allow)))
    if not present:
        return []
    present.sort(key=lambda term: (term.kind != "human", -len(term.needle)))
    # Marks the characters already reported, so that a term overlapping one found before it
    # is skipped in time linear in the text, however many matches there are.
    taken = bytearray(len(text))
    found: list[tuple[int, int, str]] = []
    for term in present:
        for match in re.finditer(term.pattern, text, re.IGNORECASE):
            start, end = match.span()
            if taken.find(1, start, end) >= 0:
                continue
            taken[start:end] = b"\x01" * (end - start)
            found.append((start, end, term.kind))
    causes = [section for key in _CAUSE_SECTIONS if (section := body.section(key)) is not None]
    hits = []
    index, line_start, position = 0, 0, 0  # lines counted on from the previous match
    for start, end, kind in sorted(found):
        index += text.count("\n", position, start)
        newline = text.rfind("\n", position, start)
        line_start = newline + 1 if newline >= 0 else line_start
        position = start
        column = start - line_start + 1
        word = text[start:end]
        if kind == "human":
            if not any(first <= index < last for _heading, first, last in causes):
                continue
            rule, message = registry.HUMAN_ERROR_ROOT_CAUSE, f"'{word}' named as a root cause"
        elif kind == "counterfactual":
            rule = registry.COUNTERFACTUAL
            message = f"counterfactual '{word}': hindsight about what did not happen"
        else:
            rule, message = registry.BLAME_LANGUAGE, f"'{word}' blames a person"
        hits.append(Hit(rule, body.file_line(index), message, _HINTS[rule], column))
    return hits
