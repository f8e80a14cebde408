"""The digest as Markdown (for a wiki, a PR, or HTML) and as plain text (for e-mail, chat).

Pure: the words in English or Japanese, the digest's content, nothing else.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from pmctl.domain.digest import LESSON_KEYS, Candidate, Digest, excerpt
from pmctl.domain.durations import duration, percent
from pmctl.domain.markdown_text import inline
from pmctl.domain.model import Language
from pmctl.domain.report import incident_date
from pmctl.domain.site.labels import LABELS
from pmctl.domain.visible_text import visible

_WORDS: Final = MappingProxyType(
    {
        Language.EN: MappingProxyType(
            {
                "title": "Postmortem digest {month}",
                "intro": "{n} new postmortems this month. Read them: lessons are only worth "
                "something when they are shared.",
                "intro-one": "1 new postmortem this month. Read it: lessons are only worth "
                "something when they are shared.",
                "intro-none": "No new postmortems this month.",
                "featured": "Postmortem of the month",
                "chosen": "Chosen by the editors.",
                "why": "Why it stands out:",
                "new": "New postmortems",
                "none": "None.",
                "learned": "What we learned",
                "went-well": "What went well",
                "went-wrong": "What went wrong",
                "got-lucky": "Where we got lucky",
                "completed": "Action items completed this month",
                "open": "Action items still open",
                "overdue": "overdue",
                "more": "and {n} more",
                "numbers": "The month in numbers",
                "postmortem": "postmortem",
                "postmortems": "postmortems",
                "ttd": "median time to detect",
                "ttr": "median time to resolve",
                "on_time": "reviewed within the deadline",
                "completion": "action-item completion",
                "owner": "owner",
                "due": "due",
            }
        ),
        Language.JA: MappingProxyType(
            {
                "title": "ポストモーテム ダイジェスト {month}",
                "intro": "今月の新しいポストモーテムは {n} 件です。教訓は共有されてこそ価値があります。",
                "intro-one": "今月の新しいポストモーテムは 1 件です。教訓は共有されてこそ価値があります。",
                "intro-none": "今月の新しいポストモーテムはありません。",
                "featured": "今月のポストモーテム",
                "chosen": "編集担当が選びました。",
                "why": "選んだ理由:",
                "new": "新しいポストモーテム",
                "none": "ありません。",
                "learned": "学んだこと",
                "went-well": "うまくいったこと",
                "went-wrong": "うまくいかなかったこと",
                "got-lucky": "幸運だったこと",
                "completed": "今月完了したアクションアイテム",
                "open": "未完了のアクションアイテム",
                "overdue": "期限切れ",
                "more": "ほか {n} 件",
                "numbers": "今月の数値",
                "postmortem": "件のポストモーテム",
                "postmortems": "件のポストモーテム",
                "ttd": "検出までの時間(中央値)",
                "ttr": "解決までの時間(中央値)",
                "on_time": "期限内のレビュー",
                "completion": "アクションアイテム完了率",
                "owner": "担当",
                "due": "期限",
            }
        ),
    }
)
OPEN_SHOWN = 15
"""The digest lists the first open items (overdue first) and counts the rest."""
LEARNED_SHOWN = 10
"""The digest quotes the lessons of this many new postmortems (the best scored) and counts
the rest: those of a month of 500 made an e-mail of 400 KB, which mail readers cut short
(Gmail shows the first 102 KB)."""


def subject(digest: Digest) -> str:
    return _WORDS[digest.language]["title"].format(month=digest.month)


@dataclass(frozen=True, slots=True)
class _Style:
    """How the digest marks things up: each field of a postmortem written through `shown`,
    a heading of a level (1-3), strong text."""

    shown: Callable[[str], str]
    heading: Callable[[int, str], str]
    strong: Callable[[str], str]


def _underlined(level: int, text: str) -> str:
    return f"{text}\n{('=' if level == 1 else '-') * 40}"


_MARKDOWN = _Style(inline, lambda level, text: f"{'#' * level} {text}", lambda text: f"**{text}**")
_TEXT = _Style(visible, _underlined, lambda text: text)


def to_markdown(digest: Digest, *, link: Mapping[str, str] | None = None) -> str:
    """The digest as Markdown; `link` maps a postmortem id to a URL for its title. Every
    field of a postmortem is text there (`inline`), never Markdown of its own."""
    return _render(digest, link or {}, _MARKDOWN)


def to_text(digest: Digest) -> str:
    """The digest as plain text, for e-mail and chat: headings underlined, no other marks,
    a postmortem's fields as they are written (only made `visible`). (It was the Markdown
    with every `**` and a heading's leading `#`s removed: from a title too.)"""
    return _render(digest, {}, _TEXT)


def _render(digest: Digest, links: Mapping[str, str], style: _Style) -> str:
    """The digest's lines, marked up in `style`."""
    words = _WORDS[digest.language]
    statuses = LABELS[digest.language]
    shown, heading = style.shown, style.heading

    def name(candidate: Candidate) -> str:
        title = shown(candidate.postmortem.title)
        url = links.get(candidate.postmortem.id)
        return f"[{title}]({url})" if url else style.strong(title)

    lines = [heading(1, subject(digest)), "", _intro(words, len(digest.new)), ""]
    lines += [heading(2, words["featured"]), ""]
    featured = digest.featured
    if featured is None:
        lines += [words["none"], ""]
    else:
        pm = featured.postmortem
        severity = shown(pm.severity)
        lines += [f"{name(featured)} — {severity}, {incident_date(pm).isoformat()}", ""]
        if digest.chosen:
            lines += [words["chosen"], ""]
        if featured.reasons:
            lines += [words["why"], ""]
            lines += [f"- {shown(reason.text(digest.language))}" for reason in featured.reasons]
            lines.append("")
    lines += [heading(2, words["new"]), ""]
    if digest.new:
        for candidate in digest.new:
            pm = candidate.postmortem
            lines.append(
                f"- {incident_date(pm).isoformat()} {name(candidate)} "
                f"({shown(pm.severity)}, {statuses[pm.status]})"
            )
    else:
        lines.append(words["none"])
    lines += ["", heading(2, words["learned"]), "", *_learned_lines(digest, words, style)]
    lines += [heading(2, words["completed"]), ""]
    if digest.completed:
        lines += [
            f"- {shown(done.postmortem_id)} {shown(done.item.id)}: {shown(done.item.title)}"
            for done in digest.completed
        ]
    else:
        lines.append(words["none"])
    lines += ["", heading(2, words["open"]), "", *_open_lines(digest, words, style)]
    numbers = digest.numbers
    lines += [
        "",
        heading(2, words["numbers"]),
        "",
        f"- {numbers.postmortems} {words['postmortem' if numbers.postmortems == 1 else 'postmortems']}",
        f"- {words['ttd']}: {duration(numbers.time_to_detect.median)}",
        f"- {words['ttr']}: {duration(numbers.time_to_resolve.median)}",
        f"- {words['on_time']}: {percent(numbers.review_deadline.share)}",
        f"- {words['completion']}: {percent(numbers.actions.completion_rate)}",
    ]
    return "\n".join(lines) + "\n"


def _learned_lines(digest: Digest, words: Mapping[str, str], style: _Style) -> list[str]:
    """An excerpt of each kind of lesson of the new postmortems, of the `LEARNED_SHOWN` that
    score best (the older first on a tie), in the order of the month."""
    learned = [c for c in digest.new if c.lessons]
    best = sorted(range(len(learned)), key=lambda index: -learned[index].score)
    lines = [] if learned else [words["none"], ""]
    for candidate in [learned[index] for index in sorted(best[:LEARNED_SHOWN])]:
        lines += [style.heading(3, style.shown(candidate.postmortem.title)), ""]
        for key in LESSON_KEYS:
            if key in candidate.lessons:
                said = style.shown(excerpt(_flat(candidate.lessons[key]), 200))
                lines.append(f"- {style.strong(words[key])}: {said}")
        lines.append("")
    if len(learned) > LEARNED_SHOWN:
        lines += [words["more"].format(n=len(learned) - LEARNED_SHOWN), ""]
    return lines


def _open_lines(digest: Digest, words: Mapping[str, str], style: _Style) -> list[str]:
    """The open action items, overdue first, the first `OPEN_SHOWN` of them."""
    shown = style.shown
    lines: list[str] = []
    if not digest.open_items:
        lines.append(words["none"])
    for row in digest.open_items[:OPEN_SHOWN]:
        item = row.item
        flag = f" {style.strong(words['overdue'])}" if row.overdue else ""
        due = f", {words['due']} {item.due}" if item.due else ""
        lines.append(
            f"- {shown(row.postmortem_id)} {shown(item.id)}: {shown(item.title)} "
            f"({words['owner']} {shown(item.owner or '-')}, {item.priority or '-'}{due}){flag}"
        )
    if len(digest.open_items) > OPEN_SHOWN:
        lines.append(f"- {words['more'].format(n=len(digest.open_items) - OPEN_SHOWN)}")
    return lines


_ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])\s+")


def _flat(text: str) -> str:
    """A section's items (list items, paragraphs) separated by " / ", list markers dropped.

    An item's continuation lines stay with it (`excerpt` joins them into one line).
    """
    items: list[list[str]] = []
    starts = True
    for line in text.split("\n"):
        marker = _ITEM.match(line)
        if not line.strip():
            starts = True
            continue
        if marker or starts:
            items.append([])
        items[-1].append(line[marker.end() :] if marker else line.strip())
        starts = False
    return " / ".join("\n".join(item).strip() for item in items)


def _intro(words: Mapping[str, str], count: int) -> str:
    """The first line: "No new postmortems", "1 new postmortem", "3 new postmortems"."""
    key = {0: "intro-none", 1: "intro-one"}.get(count, "intro")
    return words[key].format(n=count)
