"""Text placed inside Markdown that pmctl writes (digests, drills, agendas, INDEX.md...).

A postmortem's fields (a title, a service, an owner, an action item) are text, never
Markdown: `*bold* [x](javascript:...)`, a `|` in a table cell, a leading `#` or a line break
in a title would otherwise become emphasis, a link, a cell, a heading or a line of their own
wherever pmctl writes them. `inline` is the one place they are made text.
"""

from __future__ import annotations

import re

from pmctl.domain.visible_text import visible

# Backslash escapes (CommonMark 2.4) for what starts inline Markdown anywhere: code spans,
# emphasis and strikethrough, links and images, autolinks and raw HTML, table cells (GFM), a
# heading's closing sequence, GitHub's math (`$x$`). `&` only where it starts an entity
# (`&amp;`, `&#x202e;`).
_ANYWHERE = re.compile(r"[\\`*_\[\]<>|~#$]|&(?=#?[0-9A-Za-z]+;)")
# What starts a block when it is first on a line (a list item's text is one: `- # x`): a
# bullet, a setext underline or thematic break, an ordered list's `1.` before a blank.
_LINE_START = re.compile(r"^(?:[-+=]|\d{1,9}[.)](?=\s|$))")


def inline(text: str) -> str:
    """`text` as Markdown that renders as exactly that text, on one line: control characters
    (a line break among them) spelled out as `visible` does, Markdown's punctuation escaped,
    the blanks at its ends dropped (four would start a code block). Text without any of
    those marks (nearly all of it) comes back as `visible` returns it."""
    shown = visible(text).strip()
    shown = _ANYWHERE.sub(r"\\\g<0>", shown)
    return _LINE_START.sub(_escaped_start, shown, count=1)


def as_text(markdown: str) -> str:
    """What a reader sees of `markdown`'s escapes: its backslash escapes (`search\\_cluster`)
    and character references (`&nbsp;`, `&amp;`) as the characters they stand for, as
    Confluence and pandoc exports are full of them (the other way round from `inline`)."""
    if "\\" in markdown:
        markdown = _ESCAPED.sub(r"\1", markdown)
    if "&" in markdown:
        from html import unescape

        markdown = unescape(markdown)
    return markdown


_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
"""A Markdown backslash escape: the ASCII punctuation character after the backslash."""


def _escaped_start(match: re.Match[str]) -> str:
    start = match[0]
    # `1.` starts an ordered list: the dot (or parenthesis) after the digits is escaped.
    return "\\" + start if len(start) == 1 else f"{start[:-1]}\\{start[-1]}"


_PLAIN_TARGET = re.compile(r"[^\s()<>\\]*")


def link_target(path: str) -> str:
    """A link's destination for `path` (a file pmctl links to): as it is, or, when it holds a
    blank, a parenthesis, an angle bracket or a backslash (which end or change a plain
    destination), between `<` and `>` with those escaped."""
    shown = visible(path)
    if _PLAIN_TARGET.fullmatch(shown):
        return shown
    return "<" + re.sub(r"[<>\\]", r"\\\g<0>", shown) + ">"


def code_span(text: str) -> str:
    """`text` as one inline code span, whatever backticks it holds: CommonMark closes a span
    at the first run of backticks as long as the opening one, so the fence is one backtick
    longer than the longest run inside (a lint message quotes keys as `notes`)."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"
