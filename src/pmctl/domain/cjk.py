"""The Unicode ranges of Japanese (and Chinese) text, defined once for every module that
treats such text apart: the search index's tokens, the site's search, slugs, the line
breaks of Markdown and of the digest's excerpts, the language of an imported file. Each
module builds the character class it needs from these."""

KANJI = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
"""The CJK unified ideographs (extension A and the main block) and the compatibility
ideographs."""

KANA = "\u3040-\u30ff"
"""The hiragana and katakana blocks, with their marks, the middle dot and the prolonged
sound mark."""

WIDE = f"\u3000-\u303f{KANA}{KANJI}\uff01-\uff60"
"""Kana, kanji, CJK punctuation and the full-width forms: a line break between two of them
is no space (CSS's segment-break rule), in a Markdown paragraph as in an excerpt."""
