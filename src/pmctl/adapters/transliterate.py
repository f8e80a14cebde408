"""Romanising Japanese titles for ids (pykakasi, Hepburn), loaded only when a title needs it."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff66-\uff9f]")


def needs_romanizing(text: str) -> bool:
    return _JAPANESE.search(text) is not None


def romanize(text: str) -> str:
    """`決済の遅延` -> `kessai no chien`; text without Japanese is returned unchanged."""
    if not needs_romanizing(text):
        return text
    parts: list[dict[str, str]] = _converter().convert(text)
    return " ".join(part["hepburn"] or part["orig"] for part in parts)


@cache
def _converter() -> Any:
    """One converter per process: making one loads its dictionaries (~3 ms), and
    `pmctl import` romanises a title per Japanese document."""
    import pykakasi

    return pykakasi.kakasi()  # type: ignore[no-untyped-call]
