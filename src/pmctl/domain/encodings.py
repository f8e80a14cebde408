"""Which encoding a file that is not UTF-8 was likely written in, for the hint that says
how to convert it: a Latin-1 file was told to convert from Shift_JIS."""

from __future__ import annotations

_CANDIDATES = ("cp1252", "shift_jis", "euc-jp")
"""The encodings of the postmortems that are not UTF-8: Windows' Western European (which
reads Latin-1 text the same), and the two Japanese ones."""
_PLAUSIBLE = 0.9
"""The share of a decoding's non-ASCII characters that must be of its script."""


def likely(raw: bytes) -> tuple[str, ...]:
    """The encodings of `_CANDIDATES` that decode `raw` cleanly into characters of their own
    script (accented Latin letters and typographic punctuation; kana, kanji and full-width
    forms), the most plausible first; none when none does."""
    scored: list[tuple[float, str]] = []
    for name in _CANDIDATES:
        try:
            text = raw.decode(name)
        except UnicodeDecodeError:
            continue
        foreign = [char for char in text if not char.isascii()]
        if not foreign:
            continue
        if name == "cp1252":
            score = _western(text, len(foreign))
        else:
            score = sum(map(_japanese, foreign)) / len(foreign)
        if score >= _PLAUSIBLE:
            scored.append((-score, name))
    return tuple(name for _, name in sorted(scored))


def conversion_hint(raw: bytes) -> str:
    """How to convert `raw` to UTF-8, naming the encodings it likely is in; or, for a file
    in none of them that is UTF-8 but for a few bytes (an edit in another editor, a paste),
    that."""
    found = likely(raw)
    text = raw.decode("utf-8", "replace") if not found else ""
    if any(not char.isascii() and char != "\ufffd" for char in text):
        bad = text.count("\ufffd")
        return (
            f"the rest of it is UTF-8 ({bad} bad {'byte' if bad == 1 else 'bytes'}, "
            "the first here): retype those characters in a UTF-8 editor"
        )
    if not found:
        return "convert the file to UTF-8 first (`iconv -f ENCODING -t UTF-8`)"
    names = " or ".join(_SHOWN[name] for name in found)
    return (
        f"it reads as {names}: convert it to UTF-8 first (`iconv -f {found[0].upper()} -t UTF-8`)"
    )


_SHOWN = {"cp1252": "CP1252 (Latin-1)", "shift_jis": "Shift_JIS", "euc-jp": "EUC-JP"}


def _western(text: str, foreign: int) -> float:
    """The share of the non-ASCII characters of `text` that are Latin letters or
    typographic punctuation standing alone among ASCII (`Café`, `“quoted”`). Japanese text
    read as CP1252 is runs of two or more such characters, one per byte."""
    alone = 0
    for index, char in enumerate(text):
        code = ord(char)
        if code < 0x80 or not (0xA0 <= code <= 0x24F or 0x2010 <= code <= 0x2122):
            continue
        before = text[index - 1] if index else " "
        after = text[index + 1] if index + 1 < len(text) else " "
        alone += before.isascii() and after.isascii()
    return alone / foreign


def _japanese(char: str) -> bool:
    """Kana, kanji and full-width forms (not the half-width katakana, which Latin-1's
    accented capitals read as in Shift_JIS)."""
    code = ord(char)
    return 0x3000 <= code <= 0x30FF or 0x4E00 <= code <= 0x9FFF or 0xFF01 <= code <= 0xFF5E


_SNIFFED = 4096
"""How many bytes of a file with NUL bytes are read to tell UTF-16 from binary."""


def utf16_without_mark(raw: bytes) -> str | None:
    """`utf-16-le` or `utf-16-be` for `raw` in UTF-16 without a byte-order mark (`iconv -t
    UTF-16LE`, some wiki exports), else None: the one of the two that reads its first bytes
    as lines of text (ASCII, Latin, kana, kanji, punctuation). A binary file reads as
    characters from all over Unicode in both. (By the NUL bytes' places alone, Japanese
    text was binary: few characters are ASCII, and `一` is 00 4E.)"""
    sample = raw[: min(len(raw), _SNIFFED) // 2 * 2]
    for name in ("utf-16-le", "utf-16-be"):
        text = sample.decode(name, "replace")
        if "\n" in text and sum(map(_textual, text)) >= _PLAUSIBLE * len(text):
            return name
    return None


def _textual(char: str) -> bool:
    code = ord(char)
    return (
        0x20 <= code < 0x7F
        or char in "\t\n\r"
        or 0xA0 <= code <= 0x24F
        or 0x2000 <= code <= 0x206F
        or 0x3000 <= code <= 0x30FF
        or 0x4E00 <= code <= 0x9FFF
        or 0xFF00 <= code <= 0xFFEF
    )
