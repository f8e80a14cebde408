"""Romanising Japanese titles for ids: cutlet where the `romaji` extra is installed, else
the kana table of `domain/kana.py`, which cannot read kanji.

cutlet (MIT) reads kanji with MeCab (fugashi) and the UniDic-lite dictionary: 250 MB on
disk, so it is an extra (`pip install 'pmctl[romaji]'`), imported only for a Japanese
title. Why not pykakasi (GPL-3.0), unidecode (reads kanji as Chinese) or the others: see
docs/design.md.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from pmctl.domain import kana


def needs_romanizing(text: str) -> bool:
    return kana.has_kana(text) or kana.has_kanji(text)


def romanize(text: str) -> str | None:
    """`決済の遅延` -> `Kessai no chien` (with the extra); `データベースの障害` -> None
    without it (kanji nobody here can read); text without Japanese is returned unchanged."""
    if not needs_romanizing(text):
        return text
    try:
        import cutlet
    except ImportError:
        return None if kana.has_kanji(text) else kana.romanize(text)
    romaji: str = _reader(cutlet).romaji(text)
    return romaji


@cache
def _reader(cutlet: Any) -> Any:
    """One reader per process: making one loads MeCab's dictionary, and `pmctl import`
    romanises a title per Japanese document."""
    return cutlet.Cutlet()
