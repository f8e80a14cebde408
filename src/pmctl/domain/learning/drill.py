"""Wheel of Misfortune: a past postmortem turned into a role-play exercise.

The game master plays the incident to an on-call engineer (and an incident commander)
from the first page they would have seen, revealing the timeline one step at a time and
asking at each step what they would do. What the players must not know in advance — what
happened before the page, the trigger, the root causes, the resolution, the lessons, and
what the team did afterwards — is kept in a sealed section for the game master.

Steps come from the Timeline section's entries (`- 14:55 text` bullets, `| 14:55 | text |`
table rows, with an optional date); the first page is the first entry at or after
`timestamps.detected`, else the first that mentions a page or an alert.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from pmctl.domain.learning.indexing import section_text
from pmctl.domain.legacy import timeline as legacy_timeline
from pmctl.domain.lint.body import Body
from pmctl.domain.metrics import since_start
from pmctl.domain.model import Language, Postmortem

STEPS = 7
"""About how many steps the timeline is cut into (a drill of 30 to 45 minutes)."""

_PAGE = re.compile(r"\b(?:page|pager|alert|alarm)|ページ|アラート|発報|呼び出", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Entry:
    """A timeline entry: its time of day as written (`14:55`) and its text."""

    time: str
    text: str
    minutes: int


@dataclass(frozen=True, slots=True)
class Step:
    entries: tuple[Entry, ...]
    prompts: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Sealed:
    """What only the game master knows; Markdown, in the postmortem's language."""

    before_page: tuple[Entry, ...]
    trigger: str
    root_causes: str
    resolution: str
    lessons: str
    action_items: tuple[str, ...]
    timings: tuple[tuple[str, int], ...]
    """(label key: `detect`, `mitigate`, `resolve`; minutes from the start)."""


@dataclass(frozen=True, slots=True)
class Drill:
    postmortem_id: str
    title: str
    incident: str | None
    severity: str
    services: tuple[str, ...]
    language: Language
    """The language of the drill's own words (roles, prompts, headings)."""
    roles: tuple[tuple[str, str], ...]
    first_page: Entry | None
    detection: str
    """The Detection section, shown when the timeline has no entry for the page."""
    steps: tuple[Step, ...]
    sealed: Sealed

    @property
    def playable(self) -> bool:
        """Whether there is anything to play: a first page, a step, or the Detection
        section to stand in for the page (a new draft has none of them)."""
        return self.first_page is not None or bool(self.steps) or bool(self.detection)


ROLES = {
    Language.EN: (
        (
            "Game master",
            "Knows the postmortem; reveals one step at a time, answers what the players "
            "look at with what the systems showed, and keeps the sealed section to the end.",
        ),
        (
            "On-call engineer",
            "Gets the page and drives the response: says what they look at, what they "
            "think is happening and what they do.",
        ),
        (
            "Incident commander",
            "Joins when the incident is declared: coordinates, delegates, decides, and "
            "keeps stakeholders informed.",
        ),
        (
            "Observers",
            "Take notes on what helped and what was missing (runbooks, dashboards, "
            "access) for the discussion afterwards.",
        ),
    ),
    Language.JA: (
        (
            "ゲームマスター",
            "ポストモーテムを把握し、1ステップずつ明かす。プレイヤーが確認したものには当時のシステムの"
            "状態で答え、封印されたセクションは最後まで伏せておく。",
        ),
        (
            "オンコール担当者",
            "ページを受けて対応を主導する。何を確認し、何が起きていると考え、何をするかを口に出す。",
        ),
        (
            "インシデントコマンダー",
            "インシデント宣言から加わり、調整・委任・判断を行い、関係者への連絡を保つ。",
        ),
        (
            "オブザーバー",
            "役に立ったことと足りなかったこと(ランブック、ダッシュボード、権限)を記録し、"
            "振り返りで共有する。",
        ),
    ),
}

_PROMPTS: tuple[tuple[re.Pattern[str], str, str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), en, ja)
    for pattern, en, ja in (
        (
            r"\b(?:declare|commander|channel)|宣言|コマンダー|チャンネル",
            "Who is the incident commander now, and how does the team coordinate?",
            "今のインシデントコマンダーは誰か。チームはどう連携するか。",
        ),
        (
            r"\b(?:fail(?:ing|s)? again|same symptoms|off by|worse)|再発|悪化|ずれ",
            "It got worse. What do you do now, and what do you check before the next change?",
            "状況が悪化した。次に何をするか。次の変更の前に何を確かめるか。",
        ),
        (
            r"\b(?:capacity|instance|traffic|load|cluster)|容量|キャパシティ|インスタンス|トラフィック|負荷|クラスタ",
            "What is your mitigation? How do you size it, and who checks the numbers?",
            "緩和策は何か。規模をどう見積もり、その数値を誰が確かめるか。",
        ),
        (
            r"\b(?:roll ?back|revert|deploy)|ロールバック|デプロイ|切り戻",
            "Would you roll back? What do you check before and after?",
            "ロールバックするか。その前後に何を確認するか。",
        ),
        (
            r"\b(?:logs?\b|investigat|evidence|found|finds|cause)|ログ|調査|原因|発見|特定",
            "What is your hypothesis now, and what would confirm or rule it out?",
            "今の仮説は何か。それを確かめる、あるいは否定するには何を見るか。",
        ),
        (
            r"\b(?:notif|status page|e-?mail|announce)|\w@|連絡|通知|ステータスページ|メール",
            "Who needs to know now, and what do you tell them?",
            "今、誰に知らせる必要があるか。何を伝えるか。",
        ),
        (
            r"\b(?:ends|normal|resolved|restor|SLO)\b|終了|回復|正常",
            "Is it over? What is your exit criterion, and who decides?",
            "インシデントは終わったか。終了基準は何で、誰が判断するか。",
        ),
        (
            r"\b(?:page|alert|alarm)|ページ|アラート|発報",
            "What do you look at first: which dashboards, logs and recent changes?",
            "まず何を見るか。どのダッシュボード、ログ、直近の変更か。",
        ),
    )
)
_FIRST = len(_PROMPTS) - 1
"""The question of the page: what do you look at first."""
_DEFAULT_PROMPT = (
    "What do you do next, and why?",
    "次に何をするか。それはなぜか。",
)


def timeline(text: str) -> list[Entry]:
    """The entries of a Timeline section, in the order written, read as lint and `import`
    read them (`legacy.timeline`: lists, tables, seconds, am/pm, zones)."""
    return [
        Entry(
            ("~" if entry.approximate else "")
            + entry.time.isoformat("seconds" if entry.time.second else "minutes"),
            entry.text,
            entry.time.hour * 60 + entry.time.minute,
        )
        for entry in legacy_timeline.parse(text.split("\n"), zones=False).entries
    ]


def prompts(steps: Sequence[Sequence[Entry]], language: Language) -> list[tuple[str, ...]]:
    """Two questions for the players at each step, chosen by what its entries are about;
    a question asked less often so far comes first, so that steps do not all ask the same.
    The first step, just after the page, first asks what they look at."""
    column = 2 if language is Language.JA else 1
    asked: dict[int, int] = {}
    chosen: list[tuple[str, ...]] = []
    for number, entries in enumerate(steps):
        text = " ".join(entry.text for entry in entries)
        matching = [index for index, prompt in enumerate(_PROMPTS) if prompt[0].search(text)]
        if number == 0:
            matching = [_FIRST, *(index for index in matching if index != _FIRST)]
        if number:
            matching.sort(key=lambda index: asked.get(index, 0))
        picked = matching[:2]
        for index in picked:
            asked[index] = asked.get(index, 0) + 1
        chosen.append(
            tuple(str(_PROMPTS[index][column]) for index in picked)
            or (_DEFAULT_PROMPT[column - 1],)
        )
    return chosen


def build(
    postmortem: Postmortem, body: Body, *, language: Language | None = None, steps: int = STEPS
) -> Drill:
    """The drill of `postmortem`, whose body is `body`; in `language` (default: its own)."""
    language = language or postmortem.language
    entries = timeline(section_text(body, ("timeline",)))
    page_index = _first_page(entries, postmortem.timestamps.detected)
    before = entries[:page_index] if page_index is not None else []
    after = entries[page_index + 1 :] if page_index is not None else entries
    size = max(1, math.ceil(len(after) / steps)) if after else 1
    chunks = [tuple(after[start : start + size]) for start in range(0, len(after), size)]
    return Drill(
        postmortem_id=postmortem.id,
        title=postmortem.title,
        incident=postmortem.incident,
        severity=postmortem.severity,
        services=tuple(postmortem.services),
        language=language,
        roles=ROLES[language],
        first_page=entries[page_index] if page_index is not None else None,
        detection=_section(body, "detection"),
        steps=tuple(
            Step(chunk, questions)
            for chunk, questions in zip(chunks, prompts(chunks, language), strict=True)
        ),
        sealed=Sealed(
            before_page=tuple(before),
            trigger=_section(body, "trigger"),
            root_causes=_section(body, "root-causes"),
            resolution=_section(body, "resolution"),
            lessons=_lessons(body),
            action_items=tuple(f"{item.id} {item.title}" for item in postmortem.action_items),
            timings=_timings(postmortem),
        ),
    )


def _first_page(entries: Sequence[Entry], detected: dt.datetime | None) -> int | None:
    if not entries:
        return None
    if detected is not None:
        minute = detected.hour * 60 + detected.minute
        for index, entry in enumerate(entries):
            if entry.minutes >= minute:
                return index
    for index, entry in enumerate(entries):
        if _PAGE.search(entry.text):
            return index
    return 0


def _section(body: Body, key: str) -> str:
    return section_text(body, (key,))


def _lessons(body: Body) -> str:
    """The three lessons sub-sections, each under its own heading (as written)."""
    parts: list[str] = []
    for key in ("went-well", "went-wrong", "got-lucky"):
        found = body.section(key)
        text = _section(body, key)
        if found is not None and text:
            parts.append(f"**{found[0].text}**\n\n{text}")
    return "\n\n".join(parts)


def _timings(postmortem: Postmortem) -> tuple[tuple[str, int], ...]:
    times = postmortem.timestamps
    return tuple(
        (key, round(seconds / 60))
        for key, moment in (
            ("detect", times.detected),
            ("mitigate", times.mitigated),
            ("resolve", times.resolved),
        )
        if (seconds := since_start(times.started, moment)) is not None
    )
