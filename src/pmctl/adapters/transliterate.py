"""Romanising Japanese titles for ids (pykakasi, Hepburn), loaded only when a title needs it."""

from __future__ import annotations

import re

_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff66-\uff9f]")


def needs_romanizing(text: str) -> bool:
    return _JAPANESE.search(text) is not None


def romanize(text: str) -> str:
    """`決済の遅延` -> `kessai no chien`; text without Japanese is returned unchanged."""
    if not needs_romanizing(text):
        return text
    import pykakasi

    converter = pykakasi.kakasi()  # type: ignore[no-untyped-call]
    parts: list[dict[str, str]] = converter.convert(text)
    return " ".join(part["hepburn"] or part["orig"] for part in parts)
