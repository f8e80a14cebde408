"""Text that came from outside pmctl (a server's reply, an error message), made safe to print.

A mail or web server can answer anything: terminal escapes that recolour or retitle the
user's terminal, a carriage return that overwrites the line before it, a megabyte of
garbage. Such text is shown only through `visible`, which keeps every printable character
(Japanese included) and spells out the rest.
"""

from __future__ import annotations

import unicodedata

# Line and paragraph separators break a line like a newline does; the bidirectional
# controls reorder what the reader sees (the "Trojan Source" characters).
_INVISIBLE = frozenset(
    "\u061c\u200e\u200f\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)


def visible(text: str, *, limit: int) -> str:
    """`text` on one line with control characters spelled out (`\\x1b`, `\\n`, `\\u202e`),
    at most `limit` characters long: longer text is cut, with a note saying so.
    """
    shown = "".join(_spelled(char) for char in text)
    if len(shown) <= limit:
        return shown
    note = f" ... [cut, {len(shown)} characters in all]"
    return shown[: max(0, limit - len(note))] + note


def _spelled(char: str) -> str:
    if char in _INVISIBLE or unicodedata.category(char) == "Cc":
        return char.encode("unicode_escape").decode("ascii")
    return char
