"""HTML comments in Markdown (`<!-- ... -->`): the template's guidance and notes to the
writer, which no check, index, excerpt or page reads as the postmortem's text."""

from __future__ import annotations

from collections.abc import Callable


def without_comments(text: str, instead: str | Callable[[str], str] = "") -> str:
    """`text` with each comment replaced by `instead` (or `instead(comment)`); one that is
    never closed is left as it is, with everything after it.

    By `str.find` rather than the regular expression `<!--.*?-->`, which, for every opening
    that no `-->` follows, scans to the end of the text: 20,000 of them (80 KB) took a
    one-file `pmctl lint` 25 s, a whole postmortem of them hours. This reads the text once.
    """
    pieces: list[str] = []
    done = 0
    while (start := text.find("<!--", done)) >= 0:
        end = text.find("-->", start + 4)
        if end < 0:  # (and no later opening is closed either)
            break
        comment = text[start : end + 3]
        pieces += (text[done:start], instead if isinstance(instead, str) else instead(comment))
        done = end + 3
    if not pieces:
        return text
    pieces.append(text[done:])
    return "".join(pieces)
