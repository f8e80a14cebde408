"""Rows of Markdown tables, as timelines and action-item lists write them."""

from __future__ import annotations

import re
from collections.abc import Sequence

_SEPARATOR_CELL = re.compile(r"^\s*:?-{2,}:?\s*$")
_PIPE = re.compile(r"(?<!\\)\|")


def cells(row: str) -> list[str]:
    """The cells of a table row (`| a | b |`), stripped; an escaped `\\|` is text."""
    inner = row.strip()
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") and not inner.endswith("\\|") else inner
    return [cell.strip().replace("\\|", "|") for cell in _PIPE.split(inner)]


def is_separator(row_cells: Sequence[str]) -> bool:
    """Whether the cells are the `|---|:---:|` line under a table's header."""
    return all(_SEPARATOR_CELL.match(cell) for cell in row_cells)
