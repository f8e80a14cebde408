"""Text as the search index stores it and as queries and similarity read it, en and ja.

A tokenizer such as SQLite FTS5's `unicode61` splits words at spaces and punctuation and
folds case, which suits English; Japanese has no spaces, so a sentence would be one token.
`index_text` therefore writes every kana and kanji as a token of its own (and folds the
other characters outside ASCII itself, for the cheaper `ascii` tokenizer): a Japanese word of
any length, two characters (`障害`) included, is then the phrase of its characters, which
FTS5 matches only where they stand next to each other (`"障 害"`). English is not stemmed in
the index (the Porter tokenizer made building it 40% slower); a query word matches instead
every word that starts with its stem (`stem`), so `failures` finds `failure` and `failures`,
and `cascading` finds `cascade`.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from collections.abc import Iterator

from pmctl.domain.cjk import KANJI

CJK = (
    "\u3005-\u3007"  # 々 〆 〇
    "\u3041-\u3096\u309d-\u309f"  # hiragana
    "\u30a1-\u30fa\u30fc-\u30ff"  # katakana (not the middle dot ・, a separator)
) + KANJI
"""The characters written as one token each: kana and kanji (all of the Basic Multilingual
Plane, which `_spaced` relies on)."""

# Compiled on first use, by `re`'s cache of patterns: a class of the ~28,000 kana and kanji
# takes 3 ms to compile, and a search in English needs none of these.
_CJK_RUN = f"([{CJK}]+)"
_WORD = rf"[{CJK}]+|[^\W_{CJK}]+"

STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "also",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "he",
        "her",
        "here",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "just",
        "may",
        "might",
        "more",
        "most",
        "no",
        "not",
        "of",
        "off",
        "on",
        "once",
        "one",
        "only",
        "or",
        "other",
        "our",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
    ]
)
"""English words too common to say anything about a postmortem's content."""


def normalise(text: str) -> str:
    """NFKC (full-width letters and digits, half-width kana) and lower case."""
    return text.lower() if text.isascii() else unicodedata.normalize("NFKC", text).lower()


def index_text(text: str) -> str:
    """`text` as the index stores it: normalised, each kana and kanji a token of its own,
    and every other character outside ASCII `fold`ed, so that FTS5's `ascii` tokenizer finds
    in it the tokens its `unicode61` tokenizer (with `remove_diacritics 2`) would find."""
    if text.isascii():
        return text
    parts = re.split(_CJK_RUN, unicodedata.normalize("NFKC", text))
    if len(parts) == 1:
        return fold(parts[0])
    # All runs spaced at once, then cut apart: `" ".join(run)` made a string object of each
    # kana and kanji, 40% of this function's time (1.3 s -> 0.8 s at 10,000 postmortems).
    # NUL marks where the runs, and the text between them, are cut apart again: it is never
    # a kana or kanji, and almost never in a file (where it is, the text between is folded
    # piece by piece); no Python loop over the runs (0.1 s less at 10,000 postmortems).
    between = parts[0::2]
    joined = " \0".join(between)  # (the space before each run)
    if joined.count("\0") == len(between) - 1:
        parts[0::2] = fold(joined).split("\0")
    else:
        parts[0::2] = [fold(part) + " " for part in between[:-1]] + [fold(between[-1])]
    parts[1::2] = _spaced("\0".join(parts[1::2])).split("\0 ")
    return "".join(parts)


def fold(text: str) -> str:
    """`text` (normalised) with each character outside ASCII that is not a kana or kanji as
    FTS5's `unicode61` tokenizer reads it: a letter or digit lower case and without its
    diacritics (`Café` -> `cafe`), a diacritic within a word dropped, anything else a space.

    The index's tokenizer is `ascii`, which reads every byte outside ASCII as part of a word
    and folds only ASCII letters: fed this, it finds the same tokens as `unicode61` with
    `remove_diacritics 2` would in the text, with 25-35% less CPU (FTS5 alone, filled with
    10,000 realistic postmortems: 2.0-2.6 s against 2.5-3.9 s).
    """
    # The two commonest first, without a Python call for each (in 40% of 10,000 realistic
    # postmortems there are 575,000 of them, and no other character to fold).
    text = text.replace("、", " ").replace("。", " ")
    if text.isascii():
        return text
    return re.sub(_FOLDED, _folded_match, text)


_FOLDED = f"[^\\x00-\\x7f{CJK}]+"


def _folded_match(match: re.Match[str]) -> str:
    start = match.start()
    return _folded(match[0], after_word=start > 0 and match.string[start - 1].isalnum())


@functools.lru_cache(maxsize=1024)
def _folded(run: str, *, after_word: bool) -> str:
    out: list[str] = []
    in_word = after_word
    for char in run:
        category = unicodedata.category(char)
        if category[0] in "LN" or category == "Co":
            out.append(_without_diacritics(char.lower()))
            in_word = True
        elif not (category == "Mn" and in_word):
            out.append(" ")
            in_word = False
    return "".join(out)


def _without_diacritics(text: str) -> str:
    return "".join(
        char for char in unicodedata.normalize("NFD", text) if not unicodedata.combining(char)
    )


Marks = tuple[list[int], list[int]]
"""Where a text `as_indexed` and the text are apart: positions in the one, and the same
places in the other."""


def as_indexed(text: str) -> tuple[str, Marks]:
    """`text` with every character outside ASCII that is not a kana or kanji read as the
    index reads it (`Ａ` as `a`, `ﾃﾞ` as `デ`, `é` as `e`, `㍿` as `株式会社`, a symbol as a
    space), to find in it what the index matched; and the marks that `original` needs to
    take a position in it back to `text`: the start of each character of the runs that
    changed length, and their ends."""
    if text.isascii():
        return text, ([], [])
    whole = fold(normalise(text))
    if len(whole) == len(text):  # (each character read as one: no marks)
        return whole, ([], [])
    pieces: list[str] = []
    news: list[int] = []
    olds: list[int] = []
    done = shift = 0  # `text` before `done` is in `pieces`, `shift` characters longer
    for match in re.finditer(_FOLDED, text):
        pieces.append(text[done : match.start()])
        read, starts = _read_run(match[0])
        pieces.append(read)
        if starts:  # (rare: half-width kana with their voicing marks, ligatures, `㍿`)
            new, old = match.start() + shift, match.start()
            news.extend(new + inside for inside, _ in starts)
            olds.extend(old + outside for _, outside in starts)
            shift += len(read) - len(match[0])
            news.append(match.end() + shift)
            olds.append(match.end())
        done = match.end()
    pieces.append(text[done:])
    return "".join(pieces), (news, olds)


def original(position: int, marks: Marks) -> int:
    """The position in a text of `position` in it `as_indexed`, given its `marks`."""
    news, olds = marks
    index = bisect.bisect_right(news, position) - 1
    if index < 0:
        return position
    moved = olds[index] + position - news[index]
    return min(moved, olds[index + 1]) if index + 1 < len(olds) else moved


@functools.lru_cache(maxsize=1024)
def _read_run(run: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """`run` as the index reads it; if that is not as long, where each character (with the
    marks that combine with it) starts in what is read and in `run`."""
    read = fold(normalise(run))
    if len(read) == len(run):
        return read, ()
    pieces: list[str] = []
    starts: list[tuple[int, int]] = []
    length = 0
    for start, group in _with_their_marks(run):
        starts.append((length, start))
        pieces.append(_read_group(group))
        length += len(pieces[-1])
    return "".join(pieces), tuple(starts)


@functools.lru_cache(maxsize=1024)
def _read_group(group: str) -> str:
    return fold(normalise(group))


_VOICING = "\uff9e\uff9f"
"""The half-width voicing marks, which NFKC joins to the kana before them (`ﾃﾞ`: `デ`)."""


def _with_their_marks(run: str) -> Iterator[tuple[int, str]]:
    """Each character of `run` with the marks that combine with it, and where it starts."""
    start = 0
    for index in range(1, len(run) + 1):
        if index == len(run) or not (unicodedata.combining(run[index]) or run[index] in _VOICING):
            yield start, run[start:index]
            start = index


def _spaced(text: str) -> str:
    """`text` (of the Basic Multilingual Plane, as kana and kanji are) with a space after
    each character, interleaved in UTF-16 bytes without a Python loop."""
    units = text.encode("utf-16-le")
    out = bytearray(2 * len(units))
    out[0::4] = units[0::2]
    out[1::4] = units[1::2]
    out[2::4] = b" " * len(text)
    return out.decode("utf-16-le")


def is_cjk(word: str) -> bool:
    """Whether `word` (a token of `words`) is Japanese (kana or kanji)."""
    return not word.isascii() and re.fullmatch(_CJK_RUN, word) is not None


def words(text: str) -> list[str]:
    """The words of `text`, normalised, as the index's tokenizer cuts them (at spaces and
    punctuation: `api-gateway` and `don't` are two words each), except that a run of kana and
    kanji is one word here."""
    return re.findall(_WORD, normalise(text))


_SUFFIXES = ("ies", "ied", "ing", "ed", "es", "s")
_SIBILANT_ES = ("ses", "xes", "zes", "ches", "shes")
_DOUBLE = re.compile(r"([bdfgklmnprt])\1$")


def stem(word: str) -> str:
    """The start that the inflected forms of an English word share.

    A light stemmer for prefix matching, not Porter: inflections are cut (`-s`, `-es`,
    `-ies`, `-ed`, `-ied`, `-ing`, a final `-e` or `-y`, a doubled final consonant), so
    `cascade`, `cascades` and `cascading` give `cascad`, `retry` and `retries` give `retr`,
    `stopped` gives `stop`. A word is never cut below three letters; words that are not
    lower-case ASCII letters are returned as they are.
    """
    if len(word) <= 3 or not word.isascii() or not word.isalpha() or not word.islower():
        return word
    if word.endswith(("ss", "us", "is")):
        return word
    base = word
    for suffix in _SUFFIXES:
        if base.endswith(suffix):
            if suffix == "es" and not base.endswith(_SIBILANT_ES):
                continue
            if len(base) - len(suffix) >= 3:
                base = base[: -len(suffix)]
            break
    ends_softly = base.endswith(("e", "y"))
    if len(base) > 3 and (ends_softly or (base != word and _DOUBLE.search(base))):
        base = base[:-1]  # cascade -> cascad; stopp(ed) -> stop
    return base


def bigrams(run: str) -> list[str]:
    """The overlapping two-character pieces of a run of Japanese (the run itself if shorter)."""
    if len(run) < 3:
        return [run]
    return [run[index : index + 2] for index in range(len(run) - 1)]


def terms(text: str) -> list[tuple[str, str]]:
    """The content terms of `text` for comparing documents, each with the word it was
    found in: English words stemmed, without stopwords, numbers and single letters;
    Japanese as character bigrams (each its own word)."""
    found: list[tuple[str, str]] = []
    for word in words(text):
        if is_cjk(word):
            found.extend((piece, piece) for piece in bigrams(word))
        elif word not in STOPWORDS and word.isalpha() and len(word) > 1:
            found.append((stem(word), word))
    return found
