"""The piece of a postmortem shown under a search hit, with the matching words marked."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from pmctl.domain.comments import without_comments
from pmctl.domain.learning.query import Term
from pmctl.domain.learning.text import CJK, Marks, as_indexed, is_cjk, original

WIDE_PUNCTUATION = "\u3000-\u303f\uff01-\uff60"
"""Japanese punctuation and full-width forms: two columns wide, and no space around them."""

WIDTH = 180
"""Terminal columns of text in a snippet (about two lines); kana and kanji take two each."""

MAX_MARKED = 16
"""Different terms marked in a snippet at most: the first ones of the query found in the
text. Each is a branch the regex tries at every character: 32 took 2.7 s over a 900 KB
postmortem and 256 a minute, where 16 take 1.4 s (and a query of 1,000 words OR-ed, or
one word typed 5,000 times, hung the search)."""

_TITLE = re.compile(r"\A\s*(?:# [^\n]*|[^\n]*\S[ \t]*\n {0,3}=+[ \t]*)\n")
"""The title: `# Title`, or `Title` underlined with `===` (setext, as pandoc writes it)."""
_UNDERLINED = re.compile(r"(?m)^([^\n]*\S)[ \t]*\n {0,3}(?:=+|-+)[ \t]*$")
"""A heading underlined (setext): its text, then the underline."""
_HEADING = re.compile(r"(?m)^ {0,3}#{1,6}[ \t]+(.*)$")
_MARKUP = re.compile(r"(?m)^[ \t]*(?:[-*+]|\d+[.)])[ \t]+|\*\*|__|`")
# (Each reads a run of spaces or line breaks once: `(.*?)[ \t#]*$` and `^\s*` went over it
# from each of its characters, and a search stalled for minutes on a page of blank lines.)
_LINK = re.compile(r"!?\[([^\[\]\n]*)\]\([^()\n]*\)")
"""(No `[` in a link's text and no `(` in its target: from each of 20,000 `[` or `](`
without an end, classes that allowed them read on to the end of the line: 7 s, 23 s.)"""
_LINE_BREAK = re.compile(r"(?<![ \t])[ \t]*\n\s*")  # (tried once per run of spaces, as above)
_SPACE = re.compile(r"\s+")
# Compiled on first use (`re`'s cache), by text that is not all ASCII: a class of the kana and
# kanji takes 3 ms to compile, which a search in English need not spend.
_WIDE = f"[{CJK}{WIDE_PUNCTUATION}]"
_ASCII_BEFORE = r"(?<![A-Za-z0-9])"
_ASCII_AFTER = r"(?![A-Za-z0-9])"


@dataclass(frozen=True, slots=True)
class Snippet:
    """`text` with `highlights`, the (start, end) character ranges of the matches in it."""

    text: str
    highlights: tuple[tuple[int, int], ...] = ()


def flatten(markdown: str) -> str:
    """Markdown as one line of plain text: without a first `# title` line (or an underlined
    one; shown apart); headings, underlined ones too, end with a colon; no bullets, emphasis or comments; a link (or image) is its
    text; a Japanese sentence broken over lines is joined without a space."""
    text = _TITLE.sub("", markdown, count=1)
    text = without_comments(text, " ") if "<!--" in text else text
    text = _HEADING.sub(lambda match: match[1].rstrip(" \t#") + ":", text)
    if "\n=" in text or "-\n" in text or text.endswith("-"):
        text = _UNDERLINED.sub(r"\1:", text)
    text = _LINK.sub(r"\1", text) if "](" in text else text
    text = _MARKUP.sub(" ", text)
    text = text if text.isascii() else _join_wide_lines(text)
    return _SPACE.sub(" ", text).strip()


def _join_wide_lines(text: str) -> str:
    """`text` without the line breaks (and the spaces around them) between two wide
    characters: a Japanese sentence broken over lines is one sentence again."""
    wide = re.compile(_WIDE)
    return _LINE_BREAK.sub(
        lambda match: (
            ""
            if match.start()
            and wide.match(text, match.start() - 1)
            and wide.match(text, match.end())
            else match[0]
        ),
        text,
    )


def pattern(term: Term) -> str:
    """A regular expression (to be used ignoring case) for where `term` matches in text."""
    parts: list[str] = []
    for index, token in enumerate(term.tokens):
        if index:
            parts.append(r"\s*" if is_cjk(token) or is_cjk(term.tokens[index - 1]) else r"[\W_]+")
        parts.append(re.escape(token))
    first, last = term.tokens[0], term.tokens[-1]
    head = "" if is_cjk(first) else _ASCII_BEFORE
    tail = r"[^\W_]*" if term.prefix else ("" if is_cjk(last) else _ASCII_AFTER)
    return head + "".join(parts) + tail


def make(text: str, terms: Sequence[Term], *, width: int = WIDTH) -> Snippet:
    """The `width` characters of `text` (Markdown, flattened first) where the most
    different `terms` match, the matches marked; the start of `text` when none does."""
    flat = flatten(text)
    spans = _matches(flat, terms)
    if not spans:
        return Snippet(_cut(flat, 0, width)[0])
    reach = width // 2 if _has_wide(flat) else width  # (a rough window; `_cut` measures)
    first, different = _richest(spans, reach)
    # Some text before the first match, as long as that leaves room for the last of the
    # different terms of the window (the lead-in pushed a rarer one at its end out of view).
    window_end = spans[_last_of_all(spans, first, different)][1]
    lead = min(reach // 5, reach - (window_end - spans[first][0]))
    start = max(0, spans[first][0] - max(0, lead))
    if start:
        space = flat.rfind(" ", 0, start + 1)
        if space >= 0 and start - space < 20 and window_end <= space + 1 + reach:
            start = space + 1
    piece, offset = _cut(flat, start, width, keep=window_end)
    end = start + len(piece.removeprefix("…").removesuffix("…"))
    highlights = tuple(
        (match_start - start + offset, min(match_end, end) - start + offset)
        for match_start, match_end, _ in spans
        if match_start >= start and match_start < end
    )
    return Snippet(piece, highlights)


def _richest(spans: Sequence[tuple[int, int, int]], reach: int) -> tuple[int, int]:
    """The index of the first span of the window (spans that end within `reach` characters
    of a span's start) that holds the most different terms, the first such window; and how
    many terms that is. One pass, the window's end moving with its start: a 740 KB
    postmortem with the word 15,000 times took 15 s counting each window afresh, 60,000
    times over two minutes."""
    counts: dict[int, int] = {}
    best, most, end = 0, 0, 0
    for index, (start, _, term) in enumerate(spans):
        end = max(end, index)
        while end < len(spans) and spans[end][1] <= start + reach:
            counts[spans[end][2]] = counts.get(spans[end][2], 0) + 1
            end += 1
        if len(counts) > most:
            best, most = index, len(counts)
        if index < end:  # the span leaves the window before the next one starts it
            counts[term] -= 1
            if not counts[term]:
                del counts[term]
    return best, max(most, 1)


def _last_of_all(spans: Sequence[tuple[int, int, int]], first: int, terms: int) -> int:
    """The index of the span from `first` on by which `terms` different terms have matched."""
    seen: set[int] = set()
    for index in range(first, len(spans)):
        seen.add(spans[index][2])
        if len(seen) == terms:
            return index
    return len(spans) - 1


def _matches(text: str, terms: Sequence[Term]) -> list[tuple[int, int, int]]:
    """(start, end, term index) of every match of every term, in order, not overlapping."""
    chosen: dict[str, int] = {}  # pattern -> the index of its first term
    searched, lowered = text, text.lower()
    marks: Marks = ([], [])
    if not text.isascii() and any(term.tokens[0] not in lowered for term in terms):
        # Matched as the index reads the text, when a term is not found as it is written: a
        # hit for `データベース` or `naive` in a postmortem that writes `ﾃﾞｰﾀﾍﾞｰｽ` or
        # `naïve` had no word marked, and its snippet was its start. (Only then: reading
        # it so costs up to a second for a postmortem of 1 MB.)
        searched, marks = as_indexed(text)
        lowered = searched.lower()
    for index, term in enumerate(terms):
        if len(chosen) == MAX_MARKED:
            break
        if term.tokens[0] in lowered:  # (a term not in the text costs the regex a branch)
            chosen.setdefault(pattern(term), index)
    if not chosen:
        return []
    combined = re.compile(
        "|".join(f"(?P<t{index}>{written})" for written, index in chosen.items()),
        re.IGNORECASE,
    )
    found: list[tuple[int, int, int]] = []
    for match in combined.finditer(searched):
        if match.end() > match.start():
            start, end = original(match.start(), marks), original(match.end(), marks)
            found.append((start, end, int((match.lastgroup or "t0")[1:])))
    return found


def _cut(text: str, start: int, width: int, *, keep: int = 0) -> tuple[str, int]:
    """The text from `start` that fills `width` columns, ended at a space where one is near
    (not before `keep`), with `…` where it was cut; and how many characters the leading `…`
    adds."""
    end = start
    columns = 0
    wide = re.compile(_WIDE) if _has_wide(text) else None
    while end < len(text) and columns < width:
        columns += 2 if wide and wide.match(text, end) else 1
        end += 1
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start + (end - start) * 3 // 4 and space >= keep else end
    piece = text[start:end]
    lead = "…" if start > 0 else ""
    return lead + piece + ("…" if end < len(text) else ""), len(lead)


def _has_wide(text: str) -> bool:
    """Whether `text` has a character that takes two columns."""
    return not text.isascii() and re.search(_WIDE, text) is not None
