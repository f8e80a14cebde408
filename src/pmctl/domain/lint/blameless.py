"""PM401-PM403: blameless language, in English and Japanese, with a configurable lexicon.

One combined regular expression per lexicon scans the prose of the body (code and comments
blanked), so the cost is one pass per document. English terms match whole words, case
insensitively; Japanese terms match anywhere (Japanese has no word boundaries).
"""

from __future__ import annotations

import re
from functools import lru_cache

from pmctl.domain.lint.context import Context, Hit

COUNTERFACTUAL: tuple[str, ...] = (
    "should have",
    "should've",
    "shouldn't have",
    "should not have",
    "would have",
    "would've",
    "ought to have",
    "if only",
    "べきだった",
    "ていれば",
    "ていたら",
    "ればよかった",
)
BLAME: tuple[str, ...] = (
    "careless",
    "carelessly",
    "carelessness",
    "negligent",
    "negligence",
    "sloppy",
    "incompetent",
    "stupid",
    "lazy",
    "blame",
    "blamed",
    "fault of",
    "不注意",
    "ミス",
    "のせい",
    "怠慢",
    "うっかり",
    "確認不足",
)
HUMAN_ERROR: tuple[str, ...] = (
    "human error",
    "operator error",
    "user error",
    "ヒューマンエラー",
    "人為的ミス",
    "人的ミス",
    "作業ミス",
)
_NOT_BLAME = {"ミス": "(?!マッチ|ター|ト|ティ|リード)"}
"""Katakana words that merely start with ミス (mismatch, mister, mist, ...)."""

_CAUSE_SECTIONS = ("root-causes", "trigger")


def _term(word: str) -> str:
    escaped = re.escape(word) + _NOT_BLAME.get(word, "")
    return rf"\b{escaped}\b" if word.isascii() else escaped


@lru_cache(maxsize=8)
def _lexicon(extra: tuple[str, ...], allow: tuple[str, ...]) -> re.Pattern[str]:
    allowed = {word.casefold() for word in allow}

    def group(name: str, words: tuple[str, ...]) -> str:
        # Longest first, so "人為的ミス" wins over "ミス" at the same position.
        kept = sorted((w for w in words if w.casefold() not in allowed), key=len, reverse=True)
        return f"(?P<{name}>{'|'.join(_term(w) for w in kept) or '(?!)'})"

    return re.compile(
        "|".join(
            (
                group("human", HUMAN_ERROR),
                group("counterfactual", COUNTERFACTUAL),
                group("blame", (*BLAME, *extra)),
            )
        ),
        re.IGNORECASE,
    )


def check(ctx: Context) -> list[Hit]:
    pattern = _lexicon(
        tuple(ctx.settings.lint.blameless_extra), tuple(ctx.settings.lint.blameless_allow)
    )
    body = ctx.body
    prose = "\n".join(body.prose)
    if not pattern.search(prose):
        return []
    causes = [found for key in _CAUSE_SECTIONS if (found := body.section(key)) is not None]
    hits = []
    for index, line in enumerate(body.prose):
        for match in pattern.finditer(line):
            word = match[0]
            column = match.start() + 1
            file_line = body.file_line(index)
            if match["human"]:
                if any(start <= index < end for _h, start, end in causes):
                    hits.append(
                        Hit(
                            "PM403",
                            file_line,
                            f"'{word}' named as a root cause",
                            "ask why the error was possible and what made it likely; "
                            "the cause is in the system (tooling, process, defaults)",
                            column,
                        )
                    )
            elif match["counterfactual"]:
                hits.append(
                    Hit(
                        "PM401",
                        file_line,
                        f"counterfactual '{word}': hindsight about what did not happen",
                        "describe what happened and why it made sense at the time",
                        column,
                    )
                )
            else:
                hits.append(
                    Hit(
                        "PM402",
                        file_line,
                        f"'{word}' blames a person",
                        "describe actions and the conditions that shaped them, not character",
                        column,
                    )
                )
    return hits
