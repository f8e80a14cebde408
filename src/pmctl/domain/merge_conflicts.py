"""Merge-conflict markers that git leaves in a file it could not merge.

Two teammates who change the same lines of a postmortem and merge get `<<<<<<<`,
`=======` and `>>>>>>>` lines in it. In the front matter they break the YAML with a
message that does not say why; in the body Markdown renders them as text. Either way the
file must not be read as a postmortem until the conflict is resolved.
"""

from __future__ import annotations

import re

_MARKER = re.compile(r"^(?:<{7}|>{7})(?:[ \t].*)?$", re.MULTILINE)
"""A conflict's opening (`<<<<<<< HEAD`) or closing (`>>>>>>> branch`) line, as git writes
them; `=======` alone is also a Markdown heading underline, so it is not looked for."""

HINT = (
    "resolve the merge conflict: keep the lines you want, delete the `<<<<<<<`, `=======` "
    "and `>>>>>>>` lines, then `git add` the file and finish the merge"
)


def conflict_lines(text: str) -> list[int]:
    """The 1-based line of each conflict left in `text`: its `<<<<<<<` line, or the
    `>>>>>>>` line of one whose opening was deleted."""
    if "<<<<<<<" not in text and ">>>>>>>" not in text:  # (no regex pass over most files)
        return []
    lines: list[int] = []
    open_conflict = False
    for match in _MARKER.finditer(text):
        opening = match.group().startswith("<")
        if opening or not open_conflict:
            lines.append(text.count("\n", 0, match.start()) + 1)
        open_conflict = opening
    return lines
