"""One cell of every CSV pmctl writes (`list`, `report`, `export`).

Lists are joined with `;`, booleans are `true`/`false`, unknown values are empty and text
shows control characters spelled out (`visible`), as every table pmctl prints does.

A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` as a formula, so a title
such as `=HYPERLINK("http://evil.example", "click")` in a postmortem would run on the
machine of whoever opens the export (CSV injection, OWASP). Text that starts with one of
them gets a leading `'`, which spreadsheets show as "text" and do not display; numbers,
dates and booleans never start with them and are written as they are.
"""

from __future__ import annotations

from pmctl.domain.visible_text import visible

FORMULA_STARTS = ("=", "+", "-", "@")


def cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
    if isinstance(value, list | tuple):
        return text_cell(";".join(str(item) for item in value))
    return text_cell(str(value))


def text_cell(text: str) -> str:
    shown = visible(text)
    return "'" + shown if shown.startswith(FORMULA_STARTS) else shown
