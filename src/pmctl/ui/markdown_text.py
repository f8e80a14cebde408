"""Text placed inside Markdown that pmctl writes (review checklists, agendas)."""

from __future__ import annotations

import re


def code_span(text: str) -> str:
    """`text` as one inline code span, whatever backticks it holds: CommonMark closes a span
    at the first run of backticks as long as the opening one, so the fence is one backtick
    longer than the longest run inside (a lint message quotes keys as `notes`)."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"
