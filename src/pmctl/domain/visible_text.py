"""Text that came from outside pmctl, made safe to print; text typed for one line, folded.

A mail or web server can answer anything, and a postmortem's fields, keys and file names
can hold anything too: terminal escapes that recolour or retitle the user's terminal, a
carriage return that overwrites the line before it, a newline that starts a line of its
own (`::warning::...` in a CI log), a megabyte of garbage. Every human output — terminal
tables, CSV, Markdown, INDEX.md, lint text and annotations, warnings — shows such text only
through `visible`, which keeps every printable character (Japanese included) and spells out
the rest. `folded` is for input: a one-line field typed with a newline in it.
"""

from __future__ import annotations

import re

# Category Cc (C0, DEL, C1), the line and paragraph separators (they break a line like a
# newline does) and the bidirectional controls, which reorder what the reader sees (the
# "Trojan Source" characters).
_BEYOND_C0 = "\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
_INVISIBLE = "\x00-\x1f" + _BEYOND_C0
_CONTROL = re.compile(f"[{_INVISIBLE}]")
_JSON_RAW = re.compile(f"[{_BEYOND_C0}]")
_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_SPACE_RUN = re.compile(f"[\\s{_INVISIBLE}]+")


def visible(text: str, *, limit: int | None = None) -> str:
    """`text` on one line with control characters spelled out (`\\x1b`, `\\n`, `\\u202e`);
    with a `limit`, at most that many characters long: longer text is cut, with a note.

    Text without control characters (nearly all of it) is returned as it is, found by
    `isprintable` (false for every character spelled out, and for a few others, which the
    regular expression then leaves alone): a report calls this on every cell of 10,000 rows.
    The note of a cut counts the characters of `text`, as given.
    """
    # Spelling out only lengthens, so the first `limit` characters hold all that is shown: a
    # 100 MB reply of an SMTP server was spelled out whole, for 3 s, and then cut to a line.
    head = text if limit is None else text[:limit]
    shown = head if head.isprintable() else _CONTROL.sub(_spelled, head)
    if limit is None or (len(shown) <= limit and len(text) <= limit):
        return shown
    note = f" ... [cut, {len(text)} characters in all]"
    return shown[: max(0, limit - len(note))] + note


def is_utf8(name: str) -> bool:
    """Whether `name` (a file name, an argument), as Python read it, was valid UTF-8: Python
    holds each byte that was not as a lone surrogate, which SQLite, hashing, a UTF-8 output
    and pydantic refuse."""
    return name.isascii() or not any("\udc80" <= char <= "\udcff" for char in name)


def bytes_shown(name: str) -> str:
    """`name` with each byte that was not UTF-8 spelled out (`caf\\xe9.md`), as JSON,
    JUnit and a UTF-8 terminal can hold it."""
    if is_utf8(name):
        return name
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def visible_lines(text: str) -> str:
    """`text` with its line breaks kept and every other control character spelled out:
    for a section of a document, written on many lines on purpose."""
    return "\n".join(visible(line) for line in text.split("\n"))


def json_safe(text: str) -> str:
    """JSON text, as `json.dumps(..., ensure_ascii=False)` writes it, with the controls it
    leaves as they are written as `\\uXXXX` escapes, which mean the same to a JSON reader:
    C1 (`\\x9b` starts an escape sequence on a terminal, as ESC [ does), the separators and
    the bidirectional controls. (JSON escapes the C0 controls itself.)"""
    return text if text.isascii() else _JSON_RAW.sub(_json_escaped, text)


def bidi_spelled(text: str) -> str:
    """`text` with its bidirectional controls spelled out (`\\u202e`) and all else kept, for
    a web page: an override or isolate in a title reordered the text after it in the same
    line of the page (`visible`'s reason, for a reader of HTML). Right-to-left letters need
    none of them and are kept."""
    return text if text.isascii() else _BIDI.sub(_spelled, text)


def _json_escaped(match: re.Match[str]) -> str:
    return f"\\u{ord(match[0]):04x}"


def _spelled(match: re.Match[str]) -> str:
    return match[0].encode("unicode_escape").decode("ascii")


def folded(text: str) -> str:
    """`text` as one line: every run of whitespace or control characters (a newline, a tab,
    an escape sequence's ESC) becomes one space, and the ends are stripped.

    For a field that is one line by nature (a title, an owner) typed or pasted with a line
    break in it: what is left is the words, never a second line in the document.
    """
    return _SPACE_RUN.sub(" ", text).strip()
