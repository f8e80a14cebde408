"""How the site's search cuts text into tokens, and which index file holds a token.

The browser runs the same rules on a query (`templates/site/assets/search.js`), so the two
must change together; `tests/test_site_search.py` checks them against each other.

- Text is NFKC-normalised (full-width letters and half-width katakana become their usual
  forms) and lower-cased.
- Words of Latin (accented too), Greek or Cyrillic letters and numbers are tokens as they
  are (two characters or more).
- Japanese and Chinese have no spaces between words: every run of CJK characters gives its
  overlapping pairs of characters (bigrams), so a word of two or more characters is found
  inside a sentence by looking up its bigrams; a lone CJK character is a token of its own.
- The index is cut into segments by document (a changed postmortem rewrites only its own
  segment) and each segment into shards by token (a query loads only the shards of its
  tokens). A Latin token's shard is chosen by its first three characters, so that the last
  word of a query can be matched as a prefix ("cascad" finds "cascading").
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from pmctl.domain.cjk import KANA, KANJI

SEGMENTS = 64
"""Documents are spread over this many segments by a hash of their id (a fixed number:
changing it would move every document). More segments make a rebuild after one change
cheaper (it re-indexes one segment: 1/64 of 10,000 documents in ~0.2 s) and a query load
more, smaller files (one per segment and shard of each of its words)."""
SHARDS = 8
"""Each segment's tokens are spread over this many shards."""
PREFIX = 3
"""Latin tokens that share their first PREFIX characters live in the same shard."""

_CJK = KANA + KANJI
_LETTERS = "0-9a-z\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff"
_WORD_OR_CJK_RUN = re.compile(rf"[{_LETTERS}]{{2,}}|[{_CJK}]+")
_FIRST_CJK = "\u3040"
"""Every CJK character sorts at or after this one, every letter of `_LETTERS` before it."""
_PAIRS = re.compile(r"(?=([^ ]{2}))")


def normalise(text: str) -> str:
    """The form in which text is indexed and queried."""
    return unicodedata.normalize("NFKC", text).lower()


def tokens(text: str) -> set[str]:
    """Every distinct token of `text` (words, CJK bigrams and lone CJK characters)."""
    # No token spans a space, so the distinct whitespace-separated words give the same
    # tokens as the whole text: a 12 KB postmortem has some 1,500 words but 300 distinct.
    words = " ".join(set(normalise(text).split()))
    found = set(_WORD_OR_CJK_RUN.findall(words))
    runs = [token for token in found if token[0] >= _FIRST_CJK and len(token) > 1]
    if runs:
        found.difference_update(runs)
        # Every pair of adjacent characters of every run, found in C by a lookahead (a
        # Python loop over the pairs cost 0.5 ms of a Japanese postmortem's 1.1 ms).
        found.update(_PAIRS.findall(" ".join(runs)))
    return found


def fnv1a(text: str) -> int:
    """32-bit FNV-1a over the code points of `text` (search.js computes the same)."""
    value = 0x811C9DC5
    for char in text:
        value = ((value ^ ord(char)) * 0x01000193) & 0xFFFFFFFF
    return value


@lru_cache(maxsize=1 << 16)
def segment_of(postmortem_id: str) -> int:
    return fnv1a(postmortem_id) % SEGMENTS


@lru_cache(maxsize=1 << 16)
def shard_of(token: str) -> int:
    return fnv1a(token[:PREFIX]) % SHARDS
