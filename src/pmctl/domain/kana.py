"""Kana to ASCII (Hepburn romanisation), by table: enough for slugs, no dictionary needed.

Kana spell sounds, so a table reads them; kanji do not (`決済` has several readings, and
a reader of Chinese characters without a Japanese dictionary gives Chinese: `jue-ji`).
Titles with kanji are therefore left to the optional romaji extra or to the user.
"""

from __future__ import annotations

import re
import unicodedata

from pmctl.domain.cjk import KANJI

_KANJI = re.compile(f"[{KANJI}\u3005\u3006\u30f6]")
_KANA = re.compile(r"[\u3041-\u309f\u30a0-\u30ff\uff66-\uff9f]")
_HIRAGANA = re.compile(r"[\u3041-\u309f]+")
_KATAKANA = re.compile(r"[\u30a1-\u30ff]+")

_SYLLABLES = dict(
    zip(
        "あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよ"
        "らりるれろわゐゑをんがぎぐげござじずぜぞだぢづでどばびぶべぼぱぴぷぺぽゔ",
        [
            "a",
            "i",
            "u",
            "e",
            "o",
            "ka",
            "ki",
            "ku",
            "ke",
            "ko",
            "sa",
            "shi",
            "su",
            "se",
            "so",
            "ta",
            "chi",
            "tsu",
            "te",
            "to",
            "na",
            "ni",
            "nu",
            "ne",
            "no",
            "ha",
            "hi",
            "fu",
            "he",
            "ho",
            "ma",
            "mi",
            "mu",
            "me",
            "mo",
            "ya",
            "yu",
            "yo",
            "ra",
            "ri",
            "ru",
            "re",
            "ro",
            "wa",
            "i",
            "e",
            "o",
            "n",
            "ga",
            "gi",
            "gu",
            "ge",
            "go",
            "za",
            "ji",
            "zu",
            "ze",
            "zo",
            "da",
            "ji",
            "zu",
            "de",
            "do",
            "ba",
            "bi",
            "bu",
            "be",
            "bo",
            "pa",
            "pi",
            "pu",
            "pe",
            "po",
            "vu",
        ],
        strict=True,
    )
)
_SMALL = dict(
    zip("ぁぃぅぇぉゃゅょゎ", ["a", "i", "u", "e", "o", "ya", "yu", "yo", "wa"], strict=True)
)
_DIGRAPHS = {
    "しゃ": "sha", "しゅ": "shu", "しょ": "sho", "しぇ": "she",
    "ちゃ": "cha", "ちゅ": "chu", "ちょ": "cho", "ちぇ": "che",
    "じゃ": "ja", "じゅ": "ju", "じょ": "jo", "じぇ": "je",
    "てぃ": "ti", "でぃ": "di", "でゅ": "dyu", "とぅ": "tu", "どぅ": "du",
    "ふぁ": "fa", "ふぃ": "fi", "ふぇ": "fe", "ふぉ": "fo",
    "うぃ": "wi", "うぇ": "we", "うぉ": "wo", "つぁ": "tsa",
    "ゔぁ": "va", "ゔぃ": "vi", "ゔぇ": "ve", "ゔぉ": "vo",
}  # fmt: skip
_VOWELS = "aiueo"


def has_kanji(text: str) -> bool:
    return _KANJI.search(text) is not None


def has_kana(text: str) -> bool:
    return _KANA.search(text) is not None


def romanize(text: str) -> str:
    """Kana in `text` spelt in ASCII (`データベースのフェイルオーバー` ->
    `deetabeesu no feiruoobaa`); other characters are kept. A change between katakana and
    hiragana is a word break. Kanji are kept as they are (see `has_kanji`)."""
    text = unicodedata.normalize("NFKC", text)  # half-width katakana to full width
    text = _KATAKANA.sub(lambda run: f" {run[0]} ", _HIRAGANA.sub(lambda run: f" {run[0]} ", text))
    return " ".join(_spell(word) for word in text.split())


def _spell(word: str) -> str:
    hiragana = "".join(
        chr(ord(character) - 0x60) if "\u30a1" <= character <= "\u30f4" else character
        for character in word
    )
    out: list[str] = []
    double = False
    index = 0
    while index < len(hiragana):
        pair = hiragana[index : index + 2]
        if pair in _DIGRAPHS:
            sound, index = _DIGRAPHS[pair], index + 2
        elif pair[1:] in ("ゃ", "ゅ", "ょ") and pair[0] in _SYLLABLES:
            sound, index = _SYLLABLES[pair[0]][:-1] + _SMALL[pair[1]], index + 2
        else:
            character, index = hiragana[index], index + 1
            if character in ("っ", "ッ"):
                double = True
                continue
            if character == "ー":
                sound = out[-1][-1] if out and out[-1][-1] in _VOWELS else ""
            else:
                sound = _SYLLABLES.get(character) or _SMALL.get(character) or character
        if double and sound[:1].isalpha() and sound[0] not in _VOWELS:
            sound = ("t" if sound.startswith("ch") else sound[0]) + sound
        double = False
        out.append(sound)
    return "".join(out)
