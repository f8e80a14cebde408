"""Small rules of English that every message follows."""

from __future__ import annotations


def plural(count: int, noun: str, many: str | None = None) -> str:
    """`1 postmortem`, `2 postmortems`; `many` for irregular plurals."""
    return f"{count} {noun if count == 1 else many or noun + 's'}"
